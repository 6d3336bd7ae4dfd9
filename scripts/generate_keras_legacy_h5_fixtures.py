"""Saves small models using regularizers with real Keras 3's legacy HDF5 saver, for test/legacy-h5.test.ts.

Writes test/fixtures/keras-legacy-h5/<name>.h5 with `model.save("<name>.h5")`
(legacy_h5_format.py: model_config, training_config, model_weights) and
expected.json in the schema of scripts/check_keras_loads_functional.py:
{"models": {name: {inputs, predictions, losses, targets, evaluate}}}, each
with the inputs (by input name), Keras's predictions (by output name), the
model's `losses` after `model(x, training=False)` (Keras's order) and, for
compiled models, `evaluate`'s loss on the targets. Weights are drawn from a
seeded generator (biases and BatchNormalization statistics included), so
that a weight loaded into the wrong place shows. Two models nest one in
the other (a Sequential in a Functional model, and the reverse).

keras2_<name>.h5 are copies of those files whose training_config is
rewritten (h5py) in Keras 2's spellings (KERAS2 below: `lr`, `decay`,
"Custom>Adam", MeanMetricWrapper metrics, reduction "auto", losses and
metrics by output, weighted_metrics); expected.json's "keras2" holds, for
each, whether Keras 3.15 loads it, Keras's evaluate logs and its
predictions after one train_on_batch, from the file itself or, where Keras
3 refuses it, from the same settings in Keras 3's spelling.

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


def func_with_sequential():
    # A Sequential (with its own BatchNormalization statistics) called inside a Functional model.
    inner = keras.Sequential(
        [
            keras.Input((4,)),
            L.Dense(5, activation="relu", kernel_regularizer=R.L1L2(l1=0.01, l2=0.02), name="inner_dense"),
            L.BatchNormalization(beta_regularizer=R.L1(0.05), name="inner_bn"),
        ],
        name="inner_seq",
    )
    x = keras.Input((4,), name="x")
    h = inner(x)
    y = L.Dense(2, kernel_regularizer=MyScaledL1(scale=0.5), activity_regularizer=R.L2(0.03), name="head")(h)
    model = keras.Model(x, y, name="func_with_sequential")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.02), loss="mean_absolute_error")
    return model


def seq_with_functional():
    # A Functional model (two branches) as a layer of a Sequential.
    a = keras.Input((3,), name="a")
    left = L.Dense(4, kernel_regularizer=R.OrthogonalRegularizer(0.1), name="left")(a)
    right = L.Dense(4, activation="tanh", bias_regularizer=R.L2(0.2), name="right")(a)
    inner = keras.Model(a, L.Add(name="join")([left, right]), name="inner_func")
    model = keras.Sequential(
        [keras.Input((3,)), inner, L.Dense(2, kernel_regularizer=R.L2(0.01), name="out")],
        name="seq_with_functional",
    )
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


MODELS = [
    seq_l1l2_activity,
    seq_orthogonal_batchnorm,
    seq_custom_uncompiled,
    func_branches,
    func_activity_layer,
    func_two_in_two_out,
    func_with_sequential,
    seq_with_functional,
]


# Keras 2 spellings of training_config, written over a Keras 3 file's (h5py): what tf.keras 2 and
# standalone Keras 2 wrote. Each case: the base model's file, its training_config, and, where Keras
# 3.15's legacy loader refuses that spelling (or drops its settings), the Keras 3 spelling of the same
# compile settings that Keras's numbers come from. optimizer_weights is removed: Keras 2 named the
# optimizer's state otherwise, and neither Keras 3 nor this library restores it into another optimizer.
SGD_V2 = {"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.05, "decay": 0.0, "momentum": 0.9, "nesterov": False}}
KERAS2 = {
    # tf.keras 2.0 to 2.10 (OptimizerV2): `decay`, which Keras 3 ignores with a warning; metrics by alias.
    "keras2_optimizer_v2": (
        "seq_l1l2_activity",
        {
            "loss": "mean_squared_error",
            "metrics": ["mae"],
            "weighted_metrics": None,
            "loss_weights": None,
            "sample_weight_mode": None,
            "optimizer_config": {
                "class_name": "Adam",
                "config": {"name": "Adam", "learning_rate": 0.002, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False},
            },
        },
        None,
    ),
    # Standalone Keras 2.2: `lr`, which Keras 3 refuses ("Argument(s) not recognized").
    "keras2_lr": (
        "seq_l1l2_activity",
        {
            "loss": "mean_absolute_error",
            "metrics": ["mse"],
            "loss_weights": None,
            "sample_weight_mode": None,
            "optimizer_config": {"class_name": "SGD", "config": {"lr": 0.05, "momentum": 0.9, "decay": 0.0, "nesterov": False}},
        },
        {"loss": "mean_absolute_error", "metrics": ["mse"], "loss_weights": None, "optimizer_config": SGD_V2},
    ),
    # tf.keras 2.11 to 2.15: "Custom>Adam" with jit_compile and is_legacy_optimizer, and metrics as
    # MeanMetricWrapper objects (as saved after training). Keras 3 refuses the metrics, and rebuilds a
    # "Custom>" optimizer with its defaults; the reference keeps the file's learning rate, as Keras 2 did.
    "keras2_tf211": (
        "seq_l1l2_activity",
        {
            "loss": "mean_squared_error",
            "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "mae", "dtype": "float32", "fn": "mean_absolute_error"}}]],
            "weighted_metrics": None,
            "loss_weights": None,
            "optimizer_config": {
                "class_name": "Custom>Adam",
                "config": {
                    "name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "jit_compile": False,
                    "is_legacy_optimizer": False, "learning_rate": 0.003, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False,
                },
            },
        },
        {
            "loss": "mean_squared_error",
            "metrics": [{"class_name": "MeanAbsoluteError", "config": {"name": "mae", "dtype": "float32"}}],
            "loss_weights": None,
            "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.003}},
        },
    ),
    # A Loss object with Keras 2's reduction "auto" (sum over the batch size), which Keras 3 refuses.
    "keras2_loss_object_auto": (
        "seq_l1l2_activity",
        {
            "loss": {"class_name": "MeanSquaredError", "config": {"reduction": "auto", "name": "mean_squared_error"}},
            "metrics": None,
            "weighted_metrics": None,
            "loss_weights": None,
            "optimizer_config": {"class_name": "RMSprop", "config": {"name": "RMSprop", "learning_rate": 0.01, "decay": 0.0, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": False}},
        },
        {
            "loss": {"class_name": "MeanSquaredError", "config": {"reduction": "sum_over_batch_size", "name": "mean_squared_error"}},
            "metrics": None,
            "loss_weights": None,
            "optimizer_config": {"class_name": "RMSprop", "config": {"name": "RMSprop", "learning_rate": 0.01, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": False}},
        },
    ),
    # weighted_metrics beside metrics: Keras names the repeated one weighted_<name>.
    "keras2_weighted_metrics": (
        "seq_l1l2_activity",
        {
            "loss": "mean_squared_error",
            "metrics": ["mean_absolute_error"],
            "weighted_metrics": ["mean_absolute_error", "mean_squared_error"],
            "loss_weights": None,
            "optimizer_config": {"class_name": "sgd", "config": {"learning_rate": 0.05, "decay": 0.0}},
        },
        None,
    ),
    # Two outputs: loss, loss_weights and metrics as dicts by output name, and as lists.
    "keras2_outputs_dict": (
        "func_two_in_two_out",
        {
            "loss": {"p": "mean_squared_error", "q": "mean_absolute_error"},
            "metrics": {"p": ["mae"], "q": ["mean_squared_error"]},
            "weighted_metrics": None,
            "loss_weights": {"p": 1.0, "q": 0.5},
            "optimizer_config": SGD_V2,
        },
        None,
    ),
    "keras2_outputs_list": (
        "func_two_in_two_out",
        {
            "loss": ["mean_absolute_error", "mean_squared_error"],
            "metrics": [["mean_squared_error"], []],
            "weighted_metrics": None,
            "loss_weights": [0.3, 0.7],
            "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.01, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}},
        },
        None,
    ),
}


def with_training_config(source, target, training_config):
    """A copy of the Keras 3 file `source` whose training_config is `training_config`, without optimizer_weights."""
    import shutil

    import h5py

    shutil.copy(source, target)
    with h5py.File(target, "a") as f:
        f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        if "optimizer_weights" in f:
            del f["optimizer_weights"]


def data(case):
    """The inputs and targets of an expected.json case, as Keras's evaluate takes them."""
    x = [np.array(case["inputs"][n]["values"], "float32").reshape(case["inputs"][n]["shape"]) for n in case["input_names"]]
    y = [np.array(case["targets"][n]["values"], "float32").reshape(case["targets"][n]["shape"]) for n in case["output_names"]]
    return (x if len(x) > 1 else x[0]), (y if len(y) > 1 else y[0])


def keras2_cases(cases):
    """Writes keras2_<name>.h5 and returns their expected numbers: Keras's evaluate logs and predictions after one step."""
    import tempfile
    import warnings

    out = {}
    for name, (base, training_config, equivalent) in KERAS2.items():
        target = os.path.join(OUT, f"{name}.h5")
        with_training_config(os.path.join(OUT, f"{base}.h5"), target, training_config)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            case = cases[base]
            try:
                # Some spellings load and fail only when compile builds its metrics: evaluated too.
                loaded = keras.models.load_model(target)
                loaded.evaluate(*data(case), verbose=0)
                refusal = None
            except Exception as error:  # noqa: BLE001  (what Keras says is recorded, not raised)
                refusal = f"{type(error).__name__}: {error}"
        source = target
        if equivalent is not None:
            source = os.path.join(tempfile.mkdtemp(), f"{name}.h5")
            with_training_config(os.path.join(OUT, f"{base}.h5"), source, equivalent)
        model = keras.models.load_model(source)
        x, y = data(case)
        logs = model.evaluate(x, y, return_dict=True, verbose=0)
        model.train_on_batch(x, y)
        after = model(x, training=False)
        after = after if isinstance(after, (list, tuple)) else [after]
        out[name] = {
            "base": base,
            "keras3_loads": refusal is None,
            "keras3_refusal": refusal,
            "keras3_warnings": sorted({str(w.message) for w in caught if "decay" in str(w.message)}),
            "reference_training_config": equivalent,
            "optimizer": {"class_name": type(model.optimizer).__name__, "learning_rate": float(model.optimizer.learning_rate)},
            "evaluate": {k: float(v) for k, v in logs.items()},
            "after_step": {n: tensor(ops.convert_to_numpy(v)) for n, v in zip(case["output_names"], after)},
        }
        print(name, "keras3 loads" if refusal is None else f"keras3 refuses: {refusal[:80]}", out[name]["evaluate"])
    return out


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
    expected["keras2"] = keras2_cases(expected["models"])
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
