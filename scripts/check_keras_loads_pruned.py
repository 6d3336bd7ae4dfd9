"""Loads the pruned models that scripts/save-pruned-models-for-keras.ts saved, in real Keras 3.

Each file is a model that models.prune made smaller (issue 25). Keras loads it
as a plain .keras file (standard layers only, no custom objects) and its
predict(x) must equal, rtol 1e-5 (atol 1e-6):

- the pruned model's predictions in this library, and
- the unpruned model's predictions in this library (pruning at threshold 0
  does not change predictions).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_pruned.py reports/keras-pruned-interop
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-pruned-interop"
expected = json.load(open(os.path.join(folder, "expected.json")))


def array(spec):
    return np.array(spec["values"], dtype=np.int32 if spec["dtype"] == "int32" else np.float32).reshape(spec["shape"])


failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading models pruned by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"), compile=False)
    prediction = model.predict(array(case["x"]), verbose=0)
    problems = []
    for label in ("pruned", "unpruned"):
        want = array(case[label])
        if prediction.shape != want.shape or not np.allclose(prediction, want, rtol=1e-5, atol=1e-6):
            diff = float(np.max(np.abs(prediction - want))) if prediction.shape == want.shape else float("nan")
            problems.append(f"predictions differ from ours ({label}): max |diff| {diff:.2e}")
    worst = max(float(np.max(np.abs(prediction - array(case[k])))) for k in ("pruned", "unpruned"))
    failures += bool(problems)
    print(
        f"{'FAIL' if problems else 'PASS'} {name}: {model.count_params()} parameters "
        f"(ours {case['params'][1]}, unpruned {case['params'][0]}), max |diff| {worst:.1e}"
        + "".join(f"\n    {p}" for p in problems)
    )
print(f"{len(expected) - failures}/{len(expected)} pruned models load in Keras with the same predictions")
sys.exit(1 if failures else 0)
