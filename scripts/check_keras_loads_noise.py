"""Loads the .keras models that scripts/save-noise-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the weights in Keras's order
(with their paths: SpectralNormalization's kernel, vector_u, bias), the
predictions on the saved input compared with this library's (rtol 1e-5),
the noise layers' and SpectralNormalization's configs as Keras read them,
and one Keras training step (train_on_batch) that runs and moves vector_u.
Keras casts SpectralNormalization's output to its inputs' dtype, so over an
Embedding its outputs are the int32-truncated values; there the check runs
the wrapped Embedding itself, as ours does.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_noise.py reports/keras-interop-noise
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-interop-noise"
expected = json.load(open(os.path.join(folder, "expected.json")))
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading noise/SpectralNormalization models saved by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    spec = case["input"]
    x = np.array(spec["values"], dtype=np.int32 if spec["dtype"] == "int32" else np.float32).reshape(spec["shape"])
    # Keras casts SpectralNormalization's output to its inputs' dtype: over an Embedding, to the
    # int32 ids (whole numbers). We keep floats; the check runs the wrapped Embedding itself there.
    h = x
    for layer in model.layers:
        int_input = isinstance(layer, keras.layers.SpectralNormalization) and h.dtype == np.int32
        h = np.asarray((layer.layer if int_input else layer)(h, training=False))
    y = h.reshape(-1)
    keras_cast = not np.allclose(np.asarray(model(x, training=False)).reshape(-1), y)
    # Paths differ in their prefixes (a loaded model's are `dense/kernel`); the weights' names and order are compared.
    names = [w.path.split("/")[-1] for w in model.weights]
    same_paths = names == [p.split("/")[-1] for p in case["weight_paths"]]
    same_weights = all(
        np.allclose(np.asarray(w).reshape(-1), v, rtol=0, atol=0) for w, v in zip(model.weights, case["weights"])
    )
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-6)
    described = []
    for layer in model.layers:
        config = layer.get_config()
        if isinstance(layer, keras.layers.SpectralNormalization):
            described.append(f"SpectralNormalization({layer.layer.__class__.__name__}, power_iterations={config['power_iterations']})")
        elif isinstance(layer, (keras.layers.GaussianNoise, keras.layers.GaussianDropout, keras.layers.AlphaDropout)):
            keys = {k: config[k] for k in ("stddev", "rate", "seed", "noise_shape") if k in config}
            described.append(f"{layer.__class__.__name__}({keys})")
    u_before = [np.asarray(w).copy() for w in model.non_trainable_weights]
    model.compile(optimizer="adam", loss="mse")
    loss = float(model.train_on_batch(x, np.zeros_like(np.asarray(model(x))), return_dict=True)["loss"])
    u_moved = all(not np.array_equal(np.asarray(w), b) for w, b in zip(model.non_trainable_weights, u_before))
    ok = same_paths and same_weights and same_output and np.isfinite(loss) and u_moved
    failures += not ok
    worst = float(np.max(np.abs(y - np.array(case["output"])))) if y.size else 0.0
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {described}; weights {names} {'in our order' if same_paths else 'DIFFER'}, "
        f"weights {'equal' if same_weights else 'DIFFER'}, predictions max |diff| {worst:.2e}{' (with the Embedding run unwrapped: Keras casts its output to int32)' if keras_cast else ''}, "
        f"a Keras train_on_batch step: loss {loss:.4f}, vector_u moved {u_moved}"
    )
sys.exit(1 if failures else 0)
