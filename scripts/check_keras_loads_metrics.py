"""Loads the model that scripts/save-metrics-models-for-keras.ts saved, compiled, in real Keras 3.

The metrics compiled here (top-k, IoU, R2, RMSE, losses as metrics,
correlations, objects and string names) must come back as Keras's metric
classes with the configs written here, and Keras's evaluate() on the saved
data must give this library's logs (rtol 1e-5).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_metrics.py reports/keras-interop-metrics
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-interop-metrics"
expected = json.load(open(os.path.join(folder, "expected.json")))
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading metrics compiled by keras-regularizers")
model = keras.models.load_model(os.path.join(folder, "metrics.keras"))
x = np.array(expected["x"]["values"], dtype=np.float32).reshape(expected["x"]["shape"])
y = np.array(expected["y"]["values"], dtype=np.float32).reshape(expected["y"]["shape"])
logs = model.evaluate(x, y, batch_size=3, verbose=0, return_dict=True)
ours = expected["evaluate_batch_size_3"]
failures = 0
for key, value in logs.items():
    mine = ours.get(key)
    ok = mine is not None and np.allclose(mine, float(value), rtol=1e-5, atol=1e-6)
    failures += not ok
    print(f"  {'ok ' if ok else 'BAD'} {key}: keras {float(value):.7g}, ours {mine}")
extra = sorted(set(ours) - set(logs) - {"regularization_loss"})
if extra:
    failures += 1
    print(f"  BAD logs only here: {extra}")
configs = [m if isinstance(m, str) else m["config"] for m in model.get_compile_config()["metrics"]]
written = [m if isinstance(m, str) else m["config"] for m in expected["compile_config"]["metrics"]]
same = configs == written
failures += not same
print(f"  {'ok ' if same else 'BAD'} metric configs as written here")
print("all ok" if failures == 0 else f"{failures} failures")
sys.exit(1 if failures else 0)
