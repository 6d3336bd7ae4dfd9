"""Loads the .keras models that scripts/save-more-layers-for-keras.ts saved, in real Keras 3.

Attention, AdditiveAttention, RMSNormalization, ReversibleEmbedding (forward and
reverse=True) and the adaptive poolings: Keras-made files trained here 3 SGD
steps and saved back (the masked BiLSTM with Attention among them), and models
built here.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input (int32 ids or floats), compared with what this library
computed (rtol 1e-5). Masks are not in the files: Keras recomputes them.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_more_layers.py reports/keras-more-layers-interop
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-more-layers-interop"
expected = json.load(open(os.path.join(folder, "expected.json")))
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading more-layers models saved by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    spec = case["input"]
    x = np.array(spec["values"], dtype=np.int32 if spec["dtype"] == "int32" else np.float32).reshape(spec["shape"])
    y = np.asarray(model(x, training=False)).reshape(-1)
    losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-6)
    same_losses = len(losses) == len(case["losses"]) and np.allclose(losses, case["losses"], rtol=1e-5, atol=1e-7)
    ok = same_output and same_losses
    failures += not ok
    worst = float(np.max(np.abs(y - np.array(case["output"])))) if y.size else 0.0
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {len(model.layers)} layers, predictions max |diff| {worst:.2e}, "
        f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}"
    )
sys.exit(1 if failures else 0)
