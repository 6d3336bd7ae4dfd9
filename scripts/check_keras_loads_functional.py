"""Loads .keras files saved by this library (Functional models too) in real Keras 3 and compares.

The folder holds <name>.keras files and an expected.json in the schema that
scripts/generate_keras_functional_fixtures.py writes: {"models": {name: case}}
(or {name: case} directly), each case with

    inputs       {input name: {"shape", "values"[, "dtype"]}}
    predictions  {output name: {"shape", "values"}}
    losses       [float, ...]                (model.losses after model(x, training=False), Keras order)
    targets      {output name: {"shape", "values"[, "dtype"]}}   optional, with
    evaluate     {"loss": float, ...}        optional: evaluate's loss (and any "<output>_loss") is compared
    input_names / output_names               optional: the order of the model's inputs / outputs
    loss_counts_every_call  true             optional: a layer with an activity penalty is called more
                                             than once. Keras on JAX evaluates through stateless_call,
                                             which keeps only the last call's penalty (model.losses, and
                                             the TensorFlow and PyTorch backends, keep each); the loss is
                                             then compared with Keras's compute_loss after model(x), which
                                             keeps each, as this library does (COMPATIBILITY.md, 30)
    weights_file "<name>.weights.h5"         optional, with weights_predictions {output name: {"shape",
                                             "values"}} and weights_losses [float, ...]: after the checks
                                             above, model.load_weights(weights_file), then the predictions
                                             and losses are compared with these

The Sequential schema of scripts/check_keras_loads.py ("input": {"shape", "values"},
"output": flat list or {"shape", "values"}) is read too. For each model:
keras.models.load_model, the predictions, `losses` and, where the file holds a
compile config and the case has targets, evaluate's loss, each compared at
rtol 1e-5. One line per model; exit status 1 on any mismatch.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_functional.py test/fixtures/keras-functional
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402,F401  (registers my_pkg>MyScaledL1)

RTOL = 1e-5
# The files' extension: scripts/check_keras_loads_h5.py sets ".h5" to check legacy HDF5 model files.
EXTENSION = ".keras"


def array(spec, default_dtype="float32"):
    if isinstance(spec, list):
        return np.asarray(spec, dtype=default_dtype)
    dtype = spec.get("dtype") or default_dtype
    return np.asarray(spec["values"], dtype=dtype).reshape(spec["shape"])


def normalized(case):
    """The case in the Functional schema (dicts by name), whichever schema it came in."""
    if "inputs" in case:
        return case
    out = dict(case)
    out["inputs"] = {"input": case["input"]}
    out["predictions"] = {"output": case["output"]}
    return out


def by_name(names, values, wanted):
    """A list/tuple/dict/single tensor of model outputs keyed by the names the case uses."""
    if isinstance(values, dict):
        got = {k: np.asarray(v) for k, v in values.items()}
    else:
        values = values if isinstance(values, (list, tuple)) else [values]
        got = {n: np.asarray(v) for n, v in zip(names, values)}
    if set(wanted) <= set(got):
        return got
    # Names differ (e.g. a Sequential case's "output"): match by position.
    return dict(zip(wanted, got.values()))


def model_inputs(model, case):
    xs = {n: array(s) for n, s in case["inputs"].items()}
    names = [t.name for t in model.inputs]
    if len(names) == 1 and len(xs) == 1:
        return next(iter(xs.values()))
    if set(names) == set(xs):
        return {n: xs[n] for n in names}
    order = case.get("input_names") or list(xs)
    return [xs[n] for n in order]


def output_names(model):
    """Functional models name their outputs; a Sequential one has no output_names."""
    names = getattr(model, "output_names", None)
    return list(names) if names else [f"output_{i}" for i in range(len(model.outputs))]


def model_targets(model, case):
    ys = {n: array(s) for n, s in case["targets"].items()}
    names = output_names(model)
    if len(names) == 1 and len(ys) == 1:
        return next(iter(ys.values()))
    if set(names) == set(ys):
        return {n: ys[n] for n in names}
    order = case.get("output_names") or list(ys)
    return [ys[n] for n in order]


def close(a, b, atol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=atol)


def check(folder, name, case):
    case = normalized(case)
    model = keras.models.load_model(os.path.join(folder, f"{name}{EXTENSION}"))
    x = model_inputs(model, case)
    wanted = list(case["predictions"])
    got = by_name(output_names(model), model(x, training=False), wanted)
    problems, worst = [], 0.0
    for out_name in wanted:
        expected = array(case["predictions"][out_name]).reshape(-1)
        actual = got[out_name].reshape(-1) if out_name in got else np.zeros(0)
        if actual.shape != expected.shape:
            problems.append(f"{out_name}: {actual.size} values, expected {expected.size}")
            continue
        worst = max(worst, float(np.max(np.abs(actual - expected))) if expected.size else 0.0)
        if not close(actual, expected, 1e-6):
            problems.append(f"{out_name} predictions differ")
    losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
    if not close(losses, case["losses"], 1e-7):
        problems.append(f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}")
    evaluated = ""
    can_evaluate = case.get("evaluate") and case.get("targets") and getattr(model, "compiled", False)
    if can_evaluate and case.get("loss_counts_every_call"):
        # model(x) records every call's penalty in model.losses; compute_loss adds them to the compiled loss.
        y_pred = model(x, training=False)
        total = model.compute_loss(x=x, y=model_targets(model, case), y_pred=y_pred, training=False)
        total = float(ops.convert_to_numpy(total))
        if not close(total, case["evaluate"]["loss"], 1e-7):
            problems.append(f"compute_loss keras={total:.7g} ours={case['evaluate']['loss']:.7g}")
        evaluated = f", compute_loss (every call's penalty)={total:.6g}"
    elif can_evaluate:
        result = model.evaluate(x, model_targets(model, case), return_dict=True, verbose=0)
        keys = [k for k in case["evaluate"] if k in result and (k == "loss" or k.endswith("_loss"))]
        if "loss" not in keys:
            problems.append(f"evaluate gave {sorted(result)}, no loss to compare")
        for k in keys:
            if not close(float(result[k]), case["evaluate"][k], 1e-7):
                problems.append(f"evaluate {k} keras={float(result[k]):.7g} ours={case['evaluate'][k]:.7g}")
        evaluated = f", evaluate {', '.join(f'{k}={float(result[k]):.6g}' for k in keys)}"
    elif case.get("evaluate"):
        problems.append("the file has no compile config to evaluate with")
    loaded_weights = ""
    if case.get("weights_file"):
        model.load_weights(os.path.join(folder, case["weights_file"]))
        got = by_name(output_names(model), model(x, training=False), wanted)
        for out_name in wanted:
            expected = array(case["weights_predictions"][out_name]).reshape(-1)
            if out_name not in got or not close(got[out_name].reshape(-1), expected, 1e-6):
                problems.append(f"{out_name} predictions after load_weights differ")
        after = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
        if not close(after, case["weights_losses"], 1e-7):
            ours = [round(v, 6) for v in case["weights_losses"]]
            problems.append(f"losses after load_weights keras={[round(v, 6) for v in after]} ours={ours}")
        loaded_weights = f"; load_weights({case['weights_file']}): same predictions and {len(after)} losses"
    kind = type(model).__name__
    line = (
        f"{'FAIL' if problems else 'PASS'} {name}: {kind}, {len(model.inputs)} in / {len(model.outputs)} out, "
        f"{len(model.layers)} layers, predictions max |diff| {worst:.2e}, {len(losses)} losses{evaluated}{loaded_weights}"
    )
    if problems:
        line += " -- " + "; ".join(problems)
    return not problems, line


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-interop-functional"
    expected = json.load(open(os.path.join(folder, "expected.json")))
    cases = expected["models"] if isinstance(expected.get("models"), dict) else expected
    print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading files from {folder}")
    failures = 0
    for name, case in cases.items():
        try:
            ok, line = check(folder, name, case)
        except Exception as error:  # a file Keras cannot load is a failure, not a crash
            ok, line = False, f"FAIL {name}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        failures += not ok
        print(line)
    print(
        f"{len(cases) - failures}/{len(cases)} models load in Keras with the same predictions, losses and evaluate loss"
        " (and their .weights.h5 files with model.load_weights, where given)"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
