"""Loads the .keras ConvLSTM models that scripts/save-conv-lstm-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input, compared with what this library computed (rtol 1e-5),
and the layer configs' regularizers as Keras read them.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_conv_lstm.py reports/keras-conv-lstm-interop
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-conv-lstm-interop"
expected = json.load(open(os.path.join(folder, "expected.json")))
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading ConvLSTM models saved by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    spec = case["input"]
    x = np.array(spec["values"], dtype=np.float32).reshape(spec["shape"])
    y = np.asarray(model(x, training=False)).reshape(-1)
    losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-6)
    same_losses = len(losses) == len(case["losses"]) and np.allclose(losses, case["losses"], rtol=1e-5, atol=1e-7)
    ok = same_output and same_losses
    failures += not ok
    worst = float(np.max(np.abs(y - np.array(case["output"])))) if y.size else 0.0
    kinds = ("kernel", "recurrent", "bias", "activity")
    regularized = [
        (layer.__class__.__name__, [k for k in kinds if getattr(layer, f"{k}_regularizer", None)])
        for layer in model.layers
        if layer.__class__.__name__.startswith("ConvLSTM")
    ]
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {len(model.layers)} layers {regularized}, "
        f"predictions max |diff| {worst:.2e}, "
        f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}"
    )
sys.exit(1 if failures else 0)
