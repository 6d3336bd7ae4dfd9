"""Loads the .keras models that scripts/save-text-audio-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model and its predictions on the saved
input compared with this library's (rtol 1e-5). The audio models
(STFTSpectrogram, MelSpectrogram) load with any backend; the
TextVectorization and HashedCrossing models need TensorFlow (Keras's constructor raises
ImportError without it): reported as skipped when it is absent.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_text_audio.py reports/keras-interop-text-audio
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-interop-text-audio"
expected = json.load(open(os.path.join(folder, "expected.json")))
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading text and audio models saved by keras-regularizers")
for name, case in expected.items():
    spec = case["input"]
    try:
        model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    except (ImportError, TypeError) as error:
        # Keras wraps a layer's ImportError in the model's TypeError.
        if "requires TensorFlow" not in str(error):
            raise
        print(f"  {name}: SKIPPED (Keras needs TensorFlow for its text layers and HashedCrossing)")
        continue
    if case["kind"] == "cross":
        x = [np.array(v["values"], dtype=np.int64).reshape(v["shape"]) for v in spec]
    elif case["kind"] == "text":
        x = np.array(spec["values"], dtype=object).reshape(spec["shape"])
    else:
        x = np.array(spec["values"], dtype=np.float32).reshape(spec["shape"])
    y = np.asarray(model(x)).reshape(-1)
    ours = np.array(case["output"]["values"])
    scale = max(1.0, float(np.max(np.abs(ours))))
    ok = np.allclose(y, ours, rtol=1e-5, atol=1e-6 * scale)
    failures += 0 if ok else 1
    layers = ", ".join(layer.__class__.__name__ for layer in model.layers)
    print(f"  {name}: {'OK' if ok else 'MISMATCH'} [{layers}] max |diff| {float(np.max(np.abs(y - ours))):.3g}")
sys.exit(1 if failures else 0)
