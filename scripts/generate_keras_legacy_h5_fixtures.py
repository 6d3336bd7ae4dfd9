"""Saves small models using regularizers with real Keras 3's legacy HDF5 saver, for test/legacy-h5.test.ts.

Writes test/fixtures/keras-legacy-h5/<name>.h5 with `model.save("<name>.h5")`
(legacy_h5_format.py: model_config, training_config, model_weights) and
expected.json in the schema of scripts/check_keras_loads_functional.py:
{"models": {name: {inputs, predictions, losses, targets, evaluate}}}, each
with the inputs (by input name), Keras's predictions (by output name), the
model's `losses` after `model(x, training=False)` (Keras's order) and, for
compiled models, `evaluate`'s loss on the targets. Weights are drawn from a
seeded generator (biases and BatchNormalization statistics included), so
that a weight loaded into the wrong place shows.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_legacy_h5_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402  (registers my_pkg>MyScaledL1)

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-legacy-h5")
L = keras.layers
R = keras.regularizers
BATCH = 5


def tensor(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "dtype": "float32", "values": [float(v) for v in array.reshape(-1)]}


def seq_l1l2_activity():
    model = keras.Sequential(
        [
            keras.Input((4,)),
            L.Dense(5, activation="relu", kernel_regularizer=R.L1L2(l1=0.01, l2=0.02), activity_regularizer=R.L2(0.05)),
            L.Dense(2, kernel_regularizer=R.L1(0.03), bias_regularizer=R.L2(0.1)),
        ],
        name="seq_l1l2_activity",
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def seq_orthogonal_batchnorm():
    # BatchNormalization: trainable gamma, beta, then the moving statistics, in the legacy order.
    model = keras.Sequential(
        [
            keras.Input((3,)),
            L.Dense(6, kernel_regularizer=R.OrthogonalRegularizer(factor=0.1, mode="rows")),
            L.BatchNormalization(gamma_regularizer=R.L2(0.01)),
            L.Dense(3, activation="tanh", kernel_regularizer=R.OrthogonalRegularizer(factor=0.2, mode="columns")),
        ],
        name="seq_orthogonal_batchnorm",
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mae", metrics=["mse"])
    return model


def seq_custom_uncompiled():
    model = keras.Sequential(
        [
            keras.Input((4,)),
            L.Dense(3, kernel_regularizer=MyScaledL1(scale=0.5), bias_regularizer=MyScaledL1(scale=2.0)),
            L.Dropout(0.3),
            L.Dense(2, activity_regularizer=MyScaledL1(scale=1.5)),
        ],
        name="seq_custom_uncompiled",
    )
    return model


def func_branches():
    x = keras.Input((4,), name="x")
    a = L.Dense(4, kernel_regularizer=R.L2(0.02), name="left")(x)
    b = L.Dense(4, kernel_regularizer=R.L1(0.01), bias_regularizer=R.L1L2(0.01, 0.01), name="right")(x)
    s = L.Add(name="sum")([a, b])
    y = L.Dense(2, kernel_regularizer=MyScaledL1(scale=0.25), name="out")(s)
    model = keras.Model(x, y, name="func_branches")
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="mse")
    return model


def func_activity_layer():
    x = keras.Input((3,), name="features")
    h = L.Dense(4, activation="relu", kernel_regularizer=R.L1L2(l1=0.005, l2=0.01), name="hidden")(x)
    h = L.ActivityRegularization(l1=0.01, l2=0.02, name="act_reg")(h)
    y = L.Dense(1, activity_regularizer=R.L1(0.1), name="score")(h)
    model = keras.Model(x, y, name="func_activity_layer")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def func_two_in_two_out():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = L.Concatenate(name="concat")([a, b])
    h = L.Dense(5, activation="relu", kernel_regularizer=R.OrthogonalRegularizer(0.05), name="shared")(h)
    p = L.Dense(2, kernel_regularizer=R.L2(0.01), name="p")(h)
    q = L.Dense(1, bias_regularizer=MyScaledL1(scale=3.0), activity_regularizer=R.L2(0.02), name="q")(h)
    model = keras.Model([a, b], [p, q], name="func_two_in_two_out")
    model.compile(optimizer="adam", loss=["mse", "mae"], loss_weights=[1.0, 0.5])
    return model


MODELS = [
    seq_l1l2_activity,
    seq_orthogonal_batchnorm,
    seq_custom_uncompiled,
    func_branches,
    func_activity_layer,
    func_two_in_two_out,
]


def randomize(model, rng):
    for w in model.weights:
        values = rng.normal(0, 0.5, size=tuple(w.shape)).astype("float32")
        if "variance" in w.path:
            values = np.abs(values) + 0.5
        w.assign(values)


def main():
    os.makedirs(OUT, exist_ok=True)
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(15)
    expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
    for make in MODELS:
        model = make()
        name = model.name
        randomize(model, rng)
        xs = {t.name.split(":")[0]: rng.normal(size=(BATCH, *t.shape[1:])).astype("float32") for t in model.inputs}
        if isinstance(model, keras.Sequential):
            xs = {"input": next(iter(xs.values()))}
        x = list(xs.values()) if len(xs) > 1 else next(iter(xs.values()))
        y = model(x, training=False)
        ys = y if isinstance(y, (list, tuple)) else [y]
        out_names = list(getattr(model, "output_names", None) or ["output"])
        if isinstance(model, keras.Sequential):
            out_names = ["output"]
        case = {
            "inputs": {k: tensor(v) for k, v in xs.items()},
            "predictions": {n: tensor(ops.convert_to_numpy(v)) for n, v in zip(out_names, ys)},
            "losses": [float(ops.convert_to_numpy(loss)) for loss in model.losses],
            "input_names": list(xs),
            "output_names": out_names,
        }
        if model.compiled:
            targets = [rng.normal(size=tuple(v.shape)).astype("float32") for v in ys]
            case["targets"] = {n: tensor(t) for n, t in zip(out_names, targets)}
            result = model.evaluate(x, targets if len(targets) > 1 else targets[0], return_dict=True, verbose=0)
            case["evaluate"] = {k: float(v) for k, v in result.items() if k == "loss" or k.endswith("_loss")}
        model.save(os.path.join(OUT, f"{name}.h5"))
        expected["models"][name] = case
        print(name, "losses", case["losses"], "evaluate", case.get("evaluate"))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
