"""Real Keras loads the .keras files that keep this package's own regularizers,
with the Python module in python/ (keras_regularizers) imported.

  TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-proximal-regularizers-for-keras.ts test/fixtures/proximal-regularizers
  KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_python_regularizers.py test/fixtures/proximal-regularizers

Checks, for each model saved by the TypeScript side:
- without the module, Keras refuses the file (it names the unknown class);
- with it, the file loads: the regularizers are the module's classes with the
  configs written (proximal flags included), predictions equal ours (rtol 1e-5),
  and Keras's model.losses (the penalties, computed by the module's classes
  from the loaded weights) equal ours (rtol 1e-5);
- Keras saves it again and loads its own file with the same configs;
- the module's GroupLasso on an all-zero group has a finite gradient (0);
- bad arguments raise ValueError naming the argument.
"""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test/fixtures/proximal-regularizers")
expected = json.load(open(os.path.join(folder, "expected.json")))

# 1. Without the module: Keras cannot load the file (run in a fresh interpreter, nothing registered).
probe = subprocess.run(
    [sys.executable, "-c", "import keras, sys; keras.saving.load_model(sys.argv[1])", os.path.join(folder, "mlp.keras")],
    capture_output=True,
    text=True,
)
assert probe.returncode != 0 and "GroupLasso" in probe.stderr, probe.stderr[-2000:]
print("without the module: Keras refuses the file, naming GroupLasso")

sys.path.insert(0, os.path.join(ROOT, "python"))
import keras  # noqa: E402
import keras_regularizers as kr  # noqa: E402

failures = []


def close(name, got, want, rtol=1e-5, atol=1e-6):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=atol):
        failures.append(f"{name}: got {got.ravel()[:8]}, expected {want.ravel()[:8]}")
    else:
        print(f"ok {name}")


def regularizers_of(model):
    found = []
    for layer in model.layers:
        cell = getattr(layer, "cell", None)
        for owner in [layer] + ([cell] if cell is not None else []):
            for attr in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer"):
                reg = getattr(owner, attr, None)
                if reg is not None:
                    found.append((f"{layer.name}.{attr}", reg))
    return found


for name, case in expected.items():
    path = os.path.join(folder, f"{name}.keras")
    model = keras.saving.load_model(path)
    x = np.asarray(case["x"]["values"], dtype=np.float32).reshape(case["x"]["shape"])
    close(f"{name} predictions", model.predict(x, verbose=0), np.asarray(case["prediction"]).reshape(-1, model.output_shape[-1]))
    close(f"{name} model.losses", [float(loss) for loss in model.losses], case["losses"])
    regs = regularizers_of(model)
    kinds = {type(r).__name__ for _, r in regs}
    assert all(type(r).__module__.startswith("keras_regularizers") for _, r in regs), [type(r) for _, r in regs]
    print(f"ok {name} regularizers: {sorted(kinds)}")
    with tempfile.TemporaryDirectory() as tmp:
        again = os.path.join(tmp, "again.keras")
        model.save(again)
        reloaded = keras.saving.load_model(again)
        a = [(n, r.get_config()) for n, r in regs]
        b = [(n, r.get_config()) for n, r in regularizers_of(reloaded)]
        if a != b:
            failures.append(f"{name}: configs after Keras's own save differ: {a} vs {b}")
        else:
            print(f"ok {name} Keras saves and reloads the configs: {a}")

# The written configs keep the proximal flags and the group axes.
mlp = keras.saving.load_model(os.path.join(folder, "mlp.keras"))
configs = {n: (type(r).__name__, r.get_config()) for n, r in regularizers_of(mlp)}
assert configs["hidden.kernel_regularizer"] == ("GroupLasso", {"factor": 0.05, "axis": -1, "gates": 1, "proximal": True}), configs
assert configs["out.kernel_regularizer"][1]["axis"] == 0 and configs["out.kernel_regularizer"][1]["proximal"] is True, configs
assert configs["hidden.bias_regularizer"][0] == "L1" and configs["hidden.bias_regularizer"][1]["proximal"] is True, configs
assert configs["out.bias_regularizer"][0] == "L1L2" and configs["out.bias_regularizer"][1]["proximal"] is True, configs
print("ok configs keep proximal flags and axes")

# Values against float64 math, and a finite gradient at an all-zero group.
w = np.array([[3.0, 0.0], [4.0, 0.0], [0.0, 1.0], [0.0, 0.0]], dtype=np.float32)
close("GroupLasso value", float(kr.GroupLasso(0.5)(w)), 0.5 * 2 * (5 + 1))
close("SparseGroupLasso value", float(kr.SparseGroupLasso(factor=0.5, l1=0.1, axis=0)(w)), 0.5 * np.sqrt(2) * (3 + 4 + 1) + 0.1 * 8)
gated = np.arange(24, dtype=np.float32).reshape(2, 12) / 10
close("group_norms with gates", kr.group_norms(gated, axis=-1, gates=4), [np.linalg.norm(gated[:, j::3]) for j in range(3)])
import jax  # noqa: E402

zero_column = np.array([[3.0, 0.0], [4.0, 0.0]], dtype=np.float32)
grad = np.asarray(jax.grad(lambda v: kr.GroupLasso(0.5)(v))(zero_column))
# λ = 0.5 √2; column 0 has gradient λ x / ||x||, the all-zero column 0.
close("GroupLasso gradient", grad, [[0.5 * np.sqrt(2) * 0.6, 0], [0.5 * np.sqrt(2) * 0.8, 0]])
print("ok finite gradient at a zero group")

for make, text in [
    (lambda: kr.GroupLasso(factor=-1), "Invalid value for argument factor: expected a non-negative float. Received: factor=-1"),
    (lambda: kr.GroupLasso(axis=2)(w), "Invalid value for argument axis: expected an integer in [-2, 1] for a weight of rank 2 (shape [4, 2]). Received: axis=2"),
    (lambda: kr.GroupLasso(gates=3)(w), "Invalid value for argument gates: expected a divisor of the size 2 of axis 1 (shape [4, 2]). Received: gates=3"),
    (lambda: kr.L1(proximal="yes"), "Invalid value for argument proximal: expected a boolean. Received: proximal='yes'"),
]:
    try:
        make()
        failures.append(f"no error for: {text}")
    except ValueError as error:
        if str(error) != text:
            failures.append(f"error text: {error} != {text}")
print("ok errors")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"all checks pass with keras {keras.__version__}")
