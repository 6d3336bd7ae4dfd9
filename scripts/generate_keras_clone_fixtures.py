"""Real Keras's clone_model with a clone_function that adds L2(1e-4) to every
kernel, for the cloning tests: the clone's `losses` for the original's weights.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_clone_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-clone.json")
L = keras.layers
R = keras.regularizers


def add_l2(layer):
    config = layer.get_config()
    if "kernel_regularizer" in config:
        config["kernel_regularizer"] = R.L2(1e-4)
    return layer.__class__.from_config(config)


def functional():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    shared = L.Dense(5, activation="relu", name="shared", activity_regularizer=R.L1(0.01))
    x = L.Concatenate(name="concat")([shared(L.Dense(5, name="pa")(a)), shared(L.Dense(5, name="pb")(b))])
    y = L.Dense(2, name="head", kernel_regularizer=R.L1(0.05))(x)
    return keras.Model([a, b], y, name="graph")


def sequential():
    return keras.Sequential(
        [keras.Input((4,), name="x"), L.Dense(3, name="d1", kernel_regularizer=R.L1(0.02)), L.Dropout(0.1), L.Dense(2, name="d2")],
        name="stack",
    )


def flat(x):
    return {"shape": list(np.shape(x)), "values": [float(v) for v in np.asarray(x).reshape(-1)]}


rng = np.random.default_rng(5)
cases = {}
for name, make, inputs in [
    ("functional", functional, [(3, 4), (3, 3)]),
    ("sequential", sequential, [(3, 4)]),
]:
    model = make()
    weights = [(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    clone = keras.models.clone_model(model, clone_function=add_l2)
    clone.set_weights(weights)
    xs = [rng.standard_normal(s).astype(np.float32) for s in inputs]
    y = clone(xs if len(xs) > 1 else xs[0], training=False)
    cases[name] = {
        "weights": [{"path": w.path, **flat(v)} for w, v in zip(model.weights, weights)],
        "inputs": [flat(x) for x in xs],
        "output": flat(y),
        "clone_losses": [float(ops.convert_to_numpy(loss)) for loss in clone.losses],
        "clone_layer_names": [layer.name for layer in clone.layers],
        "clone_kernel_regularizers": {
            layer.name: keras.saving.serialize_keras_object(layer.kernel_regularizer)
            for layer in clone.layers
            if hasattr(layer, "kernel_regularizer")
        },
    }
with open(OUT, "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": cases}, f, indent=1)
print("wrote", OUT)
