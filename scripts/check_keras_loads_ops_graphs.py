"""Loads the .keras models that scripts/save-ops-graphs-for-keras.ts saved, in real Keras 3.

Graphs with keras.ops nodes (Add, GetItem, NotEqual, Cast, Where, Matmul,
...) and a dict-output model: the Keras-made files trained 3 steps here,
and the same graphs built here with `ops`. For each: keras.models.load_model,
the op nodes Keras rebuilt, and the predictions on the saved input
compared with this library's (rtol 1e-5, atol 1e-5).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_ops_graphs.py reports/keras-interop-ops-graphs
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-interop-ops-graphs"
expected = json.load(open(os.path.join(folder, "expected.json")))
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading ops graphs saved by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    xs = [np.array(v["values"], dtype=np.int32 if v["dtype"] == "int32" else np.float32).reshape(v["shape"]) for v in case["inputs"]]
    y = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    got = {k: np.asarray(v).reshape(-1) for k, v in y.items()} if isinstance(y, dict) else {"output": np.asarray(y).reshape(-1)}
    worst = 0.0
    ok = set(got) == set(case["predictions"])
    for key, values in case["predictions"].items():
        if key not in got:
            continue
        worst = max(worst, float(np.max(np.abs(got[key] - np.asarray(values)))) if len(values) else 0.0)
        ok = ok and np.allclose(got[key], values, rtol=1e-5, atol=1e-5)
    ops_classes = [op.__class__.__name__ for op in model._operations if not isinstance(op, keras.layers.Layer)]
    print(f"{'PASS' if ok else 'FAIL'} {name}: max |diff| {worst:.2e}; ops {', '.join(ops_classes) or '(none)'}")
    failures += 0 if ok else 1
print(f"{len(expected) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
