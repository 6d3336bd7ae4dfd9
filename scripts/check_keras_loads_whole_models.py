"""Loads the whole models that scripts/save-whole-models-for-keras.ts saved, in real Keras 3.

For each file (built_<name>: made with the TypeScript API; resaved_<name>:
Keras's fixture loaded, trained and saved again there), all after three fit
steps in this library: keras.models.load_model (compiled from the file's
compile_config), then compared with what this library computed:

- every weight, by position (the path printed on a mismatch), exactly: the
  file holds float32 and so did we; BatchNormalization's moving statistics
  are among them;
- predict(x), `losses` after one call on all of x, and evaluate(x, y) loss,
  rtol 1e-5 (atol 1e-6 for predictions, 1e-7 for losses).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_whole_models.py reports/keras-whole-models-interop
"""

import json
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-whole-models-interop"
expected = json.load(open(os.path.join(folder, "expected.json")))


def array(spec):
    return np.array(spec["values"], dtype=np.int32 if spec["dtype"] == "int32" else np.float32).reshape(spec["shape"])


def worst(a, b):
    a, b = np.asarray(a, dtype=np.float64).reshape(-1), np.asarray(b, dtype=np.float64).reshape(-1)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading whole models saved by keras-regularizers")
for name, case in expected.items():
    with warnings.catch_warnings():
        # Our files hold no optimizer state; Keras says so when it builds its optimizer.
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    x, y = array(case["x"]), array(case["y"])
    problems = []
    ours = case["weights"]
    if len(model.weights) != len(ours):
        problems.append(f"{len(model.weights)} weights, ours {len(ours)}")
    else:
        for variable, w in zip(model.weights, ours):
            value = np.asarray(variable.numpy(), dtype=np.float32)
            if list(value.shape) != w["shape"] or not np.array_equal(value.reshape(-1), np.float32(w["values"])):
                problems.append(f"weight {variable.path} (ours {w['path']}) differs")
    weights_equal = not problems
    prediction = model.predict(x, batch_size=case["batch_size"], verbose=0)
    if prediction.shape != tuple(case["prediction"]["shape"]) or not np.allclose(
        prediction.reshape(-1), case["prediction"]["values"], rtol=1e-5, atol=1e-6
    ):
        problems.append(f"predictions max |diff| {worst(prediction, case['prediction']['values']):.2e}")
    model(x, training=False)
    losses = [float(ops.convert_to_numpy(v)) for v in model.losses]
    if len(losses) != len(case["losses"]) or not np.allclose(losses, case["losses"], rtol=1e-5, atol=1e-7):
        problems.append(f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}")
    evaluated = float(model.evaluate(x, y, batch_size=case["batch_size"], verbose=0))
    if not np.isclose(evaluated, case["evaluate"], rtol=1e-5, atol=0):
        problems.append(f"evaluate keras={evaluated:.7g} ours={case['evaluate']:.7g}")
    failures += bool(problems)
    print(
        f"{'FAIL' if problems else 'PASS'} {name}: {len(model.layers)} layers, {len(model.weights)} weights "
        f"{'equal' if weights_equal else 'NOT equal'}, "
        f"predictions max |diff| {worst(prediction, case['prediction']['values']):.1e}, "
        f"{len(losses)} losses max |diff| {worst(losses, case['losses']) if len(losses) == len(case['losses']) else float('nan'):.1e}, "
        f"evaluate {evaluated:.6f} (ours {case['evaluate']:.6f}), {type(model.optimizer).__name__} "
        f"{model.loss if isinstance(model.loss, str) else type(model.loss).__name__}"
        + ("".join(f"\n    {p}" for p in problems))
    )
print(f"{len(expected) - failures}/{len(expected)} models load in Keras with the same weights, predictions, losses and evaluate")
sys.exit(1 if failures else 0)
