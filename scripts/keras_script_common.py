"""What the Keras fixture and check scripts share: the backend, the folder and
expected.json of a check, inputs from their JSON encoding, and the comparison
of a loaded model's predictions and `losses` with what this library computed.

Imported first (it sets KERAS_BACKEND to jax unless already set, before
keras is imported):

    from keras_script_common import keras, np, load_expected, ...
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

__all__ = [
    "keras",
    "np",
    "ops",
    "load_expected",
    "input_array",
    "load_case_model",
    "check_predictions_and_losses",
    "check_saved_models",
]


def load_expected(default_folder):
    """The check's folder (argv[1], else `default_folder`) and its expected.json."""
    folder = sys.argv[1] if len(sys.argv) > 1 else default_folder
    with open(os.path.join(folder, "expected.json")) as f:
        return folder, json.load(f)


def input_array(spec):
    """A saved input {"shape", "values"[, "dtype"]}: int32 ids where the dtype says so, else float32."""
    dtype = np.int32 if spec.get("dtype") == "int32" else np.float32
    return np.array(spec["values"], dtype=dtype).reshape(spec["shape"])


def load_case_model(folder, name):
    """keras.models.load_model of `<folder>/<name>.keras`."""
    return keras.models.load_model(os.path.join(folder, f"{name}.keras"))


def check_predictions_and_losses(model, case, x):
    """The inference predictions and `model.losses` against the case's (rtol 1e-5).

    Returns (ok, worst |diff| of the predictions, Keras's losses).
    """
    y = np.asarray(model(x, training=False)).reshape(-1)
    losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-6)
    same_losses = len(losses) == len(case["losses"]) and np.allclose(losses, case["losses"], rtol=1e-5, atol=1e-7)
    worst = float(np.max(np.abs(y - np.array(case["output"])))) if y.size else 0.0
    return bool(same_output and same_losses), worst, losses


def check_saved_models(default_folder, what, describe=None, extra=None, summary=False):
    """Loads each model of a save-*-for-keras.ts folder and checks its predictions and losses; exits 1 on a mismatch.

    One line per model: `describe(model)` (default: its layer count) after the
    name, `extra(model)` (default: nothing) at the end; `summary` adds the
    count of the models that passed.
    """
    folder, expected = load_expected(default_folder)
    failures = 0
    print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading {what} saved by keras-regularizers")
    for name, case in expected.items():
        model = load_case_model(folder, name)
        ok, worst, losses = check_predictions_and_losses(model, case, input_array(case["input"]))
        failures += not ok
        about = describe(model) if describe else f"{len(model.layers)} layers"
        print(
            f"{'PASS' if ok else 'FAIL'} {name}: {about}, predictions max |diff| {worst:.2e}, "
            f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}"
            f"{extra(model) if extra else ''}"
        )
    if summary:
        print(f"{len(expected) - failures}/{len(expected)} models load in Keras with the same predictions and losses")
    sys.exit(1 if failures else 0)
