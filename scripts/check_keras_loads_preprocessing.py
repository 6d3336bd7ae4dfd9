"""Loads the .keras models that scripts/save-preprocessing-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, the weights in Keras's order
(Normalization's mean, variance, count first), the predictions on the saved
input compared with this library's (rtol 1e-5), the preprocessing layers'
configs as Keras read them, and one Keras train_on_batch step that runs
(and leaves the adapted statistics alone).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_preprocessing.py reports/keras-interop-preprocessing
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-interop-preprocessing"
expected = json.load(open(os.path.join(folder, "expected.json")))
PREPROCESSING = ("Rescaling", "Normalization", "Resizing", "CenterCrop", "Discretization", "CategoryEncoding")
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading preprocessing models saved by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    spec = case["input"]
    x = np.array(spec["values"], dtype=np.float32).reshape(spec["shape"])
    y = np.asarray(model.predict(x, verbose=0)).reshape(-1)
    names = [w.path.split("/")[-1] for w in model.weights]
    same_paths = names == [p.split("/")[-1] for p in case["weight_paths"]]
    same_weights = all(
        np.allclose(np.asarray(w, dtype=np.float64).reshape(-1), v, rtol=0, atol=0)
        for w, v in zip(model.weights, case["weights"])
    )
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-5)
    described = []
    for layer in model.layers:
        if layer.__class__.__name__ in PREPROCESSING:
            config = layer.get_config()
            keys = {
                k: config[k]
                for k in ("scale", "offset", "axis", "height", "width", "interpolation", "pad_to_aspect_ratio",
                          "bin_boundaries", "num_tokens", "output_mode")
                if k in config
            }
            described.append(f"{layer.__class__.__name__}({keys})")
    stats = [np.asarray(w).copy() for w in model.non_trainable_weights]
    model.compile(optimizer="adam", loss="mse")
    loss = float(model.train_on_batch(x, np.zeros_like(np.asarray(model(x))), return_dict=True)["loss"])
    kept = all(np.array_equal(np.asarray(w), b) for w, b in zip(model.non_trainable_weights, stats))
    ok = same_paths and same_weights and same_output and np.isfinite(loss) and kept
    failures += not ok
    worst = float(np.max(np.abs(y - np.array(case["output"])))) if y.size else 0.0
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {described}; weights {names} {'in our order' if same_paths else 'DIFFER'}, "
        f"weights {'equal' if same_weights else 'DIFFER'}, predictions max |diff| {worst:.2e}, "
        f"a Keras train_on_batch step: loss {loss:.4f}, statistics kept {kept}"
    )
sys.exit(1 if failures else 0)
