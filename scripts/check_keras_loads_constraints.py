"""Loads the .keras models with weight constraints that scripts/save-constraints-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions on the saved
input and the weights, compared with ours (rtol 1e-5), and every layer's
constraint arguments as Keras rebuilt them (serialized again), compared with
what our configs wrote. Last, one more SGD step in Keras: each constrained
weight still satisfies its constraint (Keras applies what it read).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_constraints.py reports/keras-constraints-interop
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-constraints-interop"
expected = json.load(open(os.path.join(folder, "expected.json")))
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading constrained models saved by keras-regularizers")
for name, case in expected.items():
    model = keras.models.load_model(os.path.join(folder, f"{name}.keras"))
    spec = case["input"]
    x = np.array(spec["values"], dtype=np.float32).reshape(spec["shape"])
    y = np.asarray(model(x, training=False)).reshape(-1)
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-6)
    same_weights = all(
        np.allclose(np.asarray(w).reshape(-1), ours, rtol=0, atol=0) for w, ours in zip(model.get_weights(), case["weights"])
    )
    found = []
    same_constraints = True
    for layer, ours in zip(model.layers, case["constraints"]):
        for key, value in ours.items():
            theirs = keras.constraints.serialize(getattr(layer, f"_{key}", None) or getattr(layer, key, None))
            if key in ("kernel_constraint", "recurrent_constraint", "bias_constraint") and hasattr(layer, "cell"):
                theirs = keras.constraints.serialize(getattr(layer.cell, key))
            if theirs != value:
                same_constraints = False
                print(f"  {layer.name}.{key}: keras {theirs} ours {value}")
            if value is not None:
                found.append(f"{layer.name}.{key}={value['class_name']}")
    # One Keras step: the constraints Keras read are applied to the updated weights.
    model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
    target = np.ones((x.shape[0], *model.output_shape[1:]), dtype=np.float32) * 5
    model.train_on_batch(x, target)
    applied = True
    for variable in model.trainable_variables:
        if variable.constraint is None:
            continue
        value = np.asarray(variable)
        projected = np.asarray(variable.constraint(value))
        if not np.allclose(value, projected, rtol=1e-5, atol=1e-6):
            applied = False
            print(f"  {variable.path} does not satisfy its constraint after a Keras step")
    ok = same_output and same_weights and same_constraints and applied and found
    failures += not ok
    worst = float(np.max(np.abs(y - np.array(case["output"])))) if y.size else 0.0
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: predictions max |diff| {worst:.2e}, weights equal: {same_weights}, "
        f"constraints read back equal ours: {same_constraints} ({', '.join(found)}), "
        f"constraints applied by a Keras step: {applied}"
    )
sys.exit(1 if failures else 0)
