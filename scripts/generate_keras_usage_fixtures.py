"""Records what real Keras 3 does for the ways people use regularizers, for the usage tests.

Writes test/fixtures/keras-usage/:

- build-set-apply.json: layer.build(shape), layer.set_weights(...), y = layer(x),
  then layer.losses, for Dense, Conv1D/2D/3D, a custom layer that regularizes
  a weight made with add_weight, and a Sequential built with model.build().
- page-examples.json: the examples of the Keras regularizers docs, run literally,
  and the warning Keras gives for `input_dim`.
- <name>.keras and expected.json: a Sequential fitted with no Input, and models
  compiled with loss/metric objects and list/dict loss forms; for each, an input,
  Keras's predictions, `losses` after that call, evaluate (return_dict) on a
  few rows, and the compile_config Keras wrote into the file's config.json.
- to_json.json (the text of model.to_json()) with to_json.weights.h5.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_usage_fixtures.py
"""

import json
import os
import warnings
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers, ops, regularizers  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402,F401  (registers my_pkg>MyScaledL1)

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-usage")
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array)
    return {"shape": list(array.shape), "values": floats(array)}


def scalar(value):
    return float(np.asarray(ops.convert_to_numpy(value), dtype=np.float32))


def loss_values(layer):
    return [scalar(loss) for loss in layer.losses]


def close(a, b, tol=1e-5):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def write_json(name, data):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def compile_config_in(path):
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    return config.get("compile_config"), config


# --------------------------------------------------------------------------------------
# 1. build -> set_weights -> call -> losses


class ScaledKernel(layers.Layer):
    """One regularized weight made with add_weight in build(); call = matmul(x, kernel) * 2."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], self.units),
            initializer="glorot_uniform",
            regularizer=R.L2(0.05),
        )

    def call(self, x):
        return ops.matmul(x, self.kernel) * 2.0

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def weight_records(layer, values):
    return [
        {"path": w.path, "name": w.name, "shape": list(w.shape), "values": floats(v)}
        for w, v in zip(layer.weights, values)
    ]


def own_penalties(layer, y):
    """Each penalty worked out apart from Keras's `losses`: activity (over the batch), then per weight."""
    parts = []
    if getattr(layer, "activity_regularizer", None) is not None:
        parts.append({"source": "activity", "value": scalar(layer.activity_regularizer(y)) / y.shape[0]})
    for w in layer.weights:
        if w.regularizer is not None:
            parts.append({"source": w.path, "value": scalar(w.regularizer(w.value))})
    return parts


def layer_case(name, spec, make, build_shape, batch, rng):
    keras.backend.clear_session()
    layer = make()
    layer.build(build_shape)
    weights_after_build = len(layer.weights)
    values = [(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in layer.weights]
    layer.set_weights(values)
    x = rng.standard_normal((batch, *build_shape[1:])).astype(np.float32)
    y = np.asarray(layer(x))
    losses = loss_values(layer)
    parts = own_penalties(layer, y)
    assert close(losses, [p["value"] for p in parts]), (name, losses, parts)
    # calling again replaces the activity loss, does not add to it
    layer(x)
    assert close(loss_values(layer), losses), name
    return {
        "name": name,
        "spec": spec,
        "class_name": layer.__class__.__name__,
        "build_shape": list(build_shape),
        "weights_after_build": weights_after_build,
        "weights": weight_records(layer, values),
        "x": tensor(x),
        "y": tensor(y),
        "losses": losses,
        "loss_sources": [p["source"] for p in parts],
        "num_weights": len(layer.weights),
        "losses_after_second_call": loss_values(layer),
    }


def sequential_case(rng):
    keras.backend.clear_session()
    model = keras.Sequential([
        L.Dense(4, kernel_regularizer=R.L2(0.01)),
        L.Dense(2, kernel_regularizer=R.L1(0.02), activity_regularizer=R.L1(0.01)),
    ])
    model.build((None, 3))
    weights_after_build = len(model.weights)
    values = [(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.weights]
    model.set_weights(values)
    x = rng.standard_normal((3, 3)).astype(np.float32)
    y_predict = model.predict(x, verbose=0)
    losses_after_predict = loss_values(model)
    y_call = np.asarray(model(x))
    losses = loss_values(model)
    assert close(y_predict, y_call)
    hidden = np.asarray(model.layers[0](x))
    parts = [
        {"source": "activity", "value": scalar(R.L1(0.01)(y_call)) / 3},
        {"source": model.layers[0].kernel.path, "value": scalar(R.L2(0.01)(model.layers[0].kernel.value))},
        {"source": model.layers[1].kernel.path, "value": scalar(R.L1(0.02)(model.layers[1].kernel.value))},
    ]
    assert close(np.asarray(model.layers[1](hidden)), y_call)
    assert close(losses, [p["value"] for p in parts]), (losses, parts)
    return {
        "name": "sequential_build",
        "spec": "Sequential([Dense(4, kernel_regularizer=L2(0.01)), Dense(2, kernel_regularizer=L1(0.02), "
        "activity_regularizer=L1(0.01))]); model.build((None, 3)); set_weights; predict(x); model(x)",
        "class_name": "Sequential",
        "build_shape": [None, 3],
        "weights_after_build": weights_after_build,
        "weights": weight_records(model, values),
        "x": tensor(x),
        "y": tensor(y_call),
        "y_predict": tensor(y_predict),
        "losses_after_predict": losses_after_predict,
        "losses": losses,
        "loss_sources": [p["source"] for p in parts],
        "num_weights": len(model.weights),
    }


def build_set_apply():
    rng = np.random.default_rng(21)
    cases = [
        layer_case(
            "dense", "Dense(4, kernel_regularizer=L1(0.01), bias_regularizer=L2(0.1), activity_regularizer=L2(0.01))",
            lambda: L.Dense(4, kernel_regularizer=R.L1(0.01), bias_regularizer=R.L2(0.1), activity_regularizer=R.L2(0.01)),
            (None, 3), 3, rng,
        ),
        layer_case(
            "conv1d", "Conv1D(2, 3, kernel_regularizer=L2(0.05))",
            lambda: L.Conv1D(2, 3, kernel_regularizer=R.L2(0.05)),
            (None, 6, 2), 2, rng,
        ),
        layer_case(
            "conv2d", "Conv2D(2, 2, kernel_regularizer=L1L2(0.01, 0.02), bias_regularizer=L1(0.1))",
            lambda: L.Conv2D(2, 2, kernel_regularizer=R.L1L2(0.01, 0.02), bias_regularizer=R.L1(0.1)),
            (None, 4, 4, 2), 2, rng,
        ),
        layer_case(
            "conv3d", "Conv3D(2, 2, kernel_regularizer=L2(0.1))",
            lambda: L.Conv3D(2, 2, kernel_regularizer=R.L2(0.1)),
            (None, 3, 3, 3, 1), 2, rng,
        ),
        layer_case(
            "custom_scaled_kernel",
            "ScaledKernel(units=3): build adds weight 'kernel' (in, 3) with regularizer=L2(0.05); call = matmul(x, kernel) * 2.0",
            lambda: ScaledKernel(3),
            (None, 3), 2, rng,
        ),
        sequential_case(rng),
    ]
    write_json("build-set-apply.json", {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "note": "losses are in Keras's order: activity penalties of the last call, then weight penalties in weight order; "
        "activity penalties are divided by the batch size",
        "cases": cases,
    })
    return cases


# --------------------------------------------------------------------------------------
# 2. the regularizers page examples, run literally


class L2Regularizer(R.Regularizer):
    def __init__(self, l2=0.0):
        self.l2 = l2

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": float(self.l2)}


def l1_reg(weight_matrix):
    return 0.01 * ops.sum(ops.absolute(weight_matrix))


def with_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [{"category": w.category.__name__, "message": str(w.message)} for w in caught]


def page_examples():
    examples = {}

    keras.backend.clear_session()

    def example_dense():
        layer = layers.Dense(
            5, input_dim=5,
            kernel_initializer="ones",
            kernel_regularizer=regularizers.L1(0.01),
            activity_regularizer=regularizers.L2(0.01),
        )
        t = ops.ones(shape=(5, 5)) * 2.0
        out = layer(t)
        return layer, out

    (layer, out), caught = with_warnings(example_dense)
    examples["dense_l1_kernel_l2_activity"] = {
        "code": "layer = layers.Dense(5, input_dim=5, kernel_initializer='ones', kernel_regularizer=L1(0.01), "
        "activity_regularizer=L2(0.01)); tensor = ops.ones(shape=(5, 5)) * 2.0; out = layer(tensor); ops.sum(layer.losses)",
        "output": tensor(out),
        "losses": loss_values(layer),
        "sum_losses": scalar(ops.sum(layer.losses)),
        "python_sum_losses": scalar(sum(layer.losses)),
        "warnings": caught,
        "config_has_input_dim": "input_dim" in layer.get_config(),
        "config_batch_input_shape": layer.get_config().get("batch_input_shape"),
    }
    assert abs(examples["dense_l1_kernel_l2_activity"]["sum_losses"] - 5.25) < 1e-6

    def example_direct():
        regularizer = regularizers.L2(2.0)
        return scalar(regularizer(ops.ones(shape=(5, 5))))

    value, caught = with_warnings(example_direct)
    examples["l2_direct_call"] = {
        "code": "regularizer = L2(2.); tensor = ops.ones(shape=(5, 5)); regularizer(tensor)",
        "value": value,
        "warnings": caught,
    }
    assert abs(value - 50.0) < 1e-6

    keras.backend.clear_session()

    def example_function():
        layer = layers.Dense(5, input_dim=5, kernel_initializer="ones", kernel_regularizer=l1_reg)
        out = layer(ops.ones(shape=(5, 5)))
        return layer, out

    (layer, out), caught = with_warnings(example_function)
    examples["function_regularizer"] = {
        "code": "def l1_reg(w): return 0.01 * ops.sum(ops.absolute(w)); layer = Dense(5, input_dim=5, "
        "kernel_initializer='ones', kernel_regularizer=l1_reg); out = layer(ops.ones(shape=(5, 5))); layer.losses",
        "output": tensor(out),
        "losses": loss_values(layer),
        "warnings": caught,
        "serialized_kernel_regularizer": layer.get_config()["kernel_regularizer"],
    }

    keras.backend.clear_session()

    def example_subclass():
        layer = layers.Dense(5, input_dim=5, kernel_initializer="ones", kernel_regularizer=L2Regularizer(l2=0.5))
        out = layer(ops.ones(shape=(5, 5)))
        return layer, out

    (layer, out), caught = with_warnings(example_subclass)
    examples["subclass_regularizer"] = {
        "code": "class L2Regularizer(Regularizer): __call__ = l2 * ops.sum(ops.square(x)); layer = Dense(5, input_dim=5, "
        "kernel_initializer='ones', kernel_regularizer=L2Regularizer(l2=0.5)); out = layer(ops.ones(shape=(5, 5))); layer.losses",
        "output": tensor(out),
        "losses": loss_values(layer),
        "warnings": caught,
        "serialized_kernel_regularizer": layer.get_config()["kernel_regularizer"],
    }

    ones = ops.ones(shape=(5, 5))
    examples["available_penalties"] = {
        "code": "L1(0.3), L2(0.1), L1L2(l1=0.01, l2=0.01) called on ops.ones((5, 5))",
        "values": {
            "L1(0.3)": scalar(regularizers.L1(0.3)(ones)),
            "L2(0.1)": scalar(regularizers.L2(0.1)(ones)),
            "L1L2(l1=0.01, l2=0.01)": scalar(regularizers.L1L2(l1=0.01, l2=0.01)(ones)),
        },
        "configs": {
            "L1(0.3)": regularizers.L1(0.3).get_config(),
            "L2(0.1)": regularizers.L2(0.1).get_config(),
            "L1L2(l1=0.01, l2=0.01)": regularizers.L1L2(l1=0.01, l2=0.01).get_config(),
        },
    }

    keras.backend.clear_session()
    strings = {}
    for name in ["l1", "l2", "l1_l2", "L1", "L2", "L1L2", "orthogonal_regularizer"]:
        try:
            reg = regularizers.get(name)
            dense = layers.Dense(3, kernel_regularizer=name)
            strings[name] = {
                "class_name": reg.__class__.__name__,
                "config": reg.get_config(),
                "value_on_ones_5x5": scalar(reg(ones)),
                "dense_config_kernel_regularizer": dense.get_config()["kernel_regularizer"],
            }
        except Exception as e:  # record what Keras rejects
            strings[name] = {"error": f"{type(e).__name__}: {e}"}
    examples["string_identifiers"] = {
        "code": "Dense(3, kernel_regularizer='l1' | 'l2' | 'l1_l2' | ...); regularizers.get(name)",
        "results": strings,
    }

    keras.backend.clear_session()
    rng = np.random.default_rng(5)
    regularizer = regularizers.OrthogonalRegularizer(factor=0.01)
    layer = layers.Dense(units=4, kernel_regularizer=regularizer)
    layer.build((None, 3))
    kernel = (rng.standard_normal((3, 4)) * 0.4).astype(np.float32)
    bias = np.zeros(4, np.float32)
    layer.set_weights([kernel, bias])
    x = rng.standard_normal((2, 3)).astype(np.float32)
    out = layer(x)
    examples["orthogonal_regularizer"] = {
        "code": "regularizer = OrthogonalRegularizer(factor=0.01); layer = Dense(units=4, kernel_regularizer=regularizer); "
        "layer.build((None, 3)); set_weights([kernel, zeros]); layer(x); layer.losses",
        "config": regularizer.get_config(),
        "kernel": tensor(kernel),
        "x": tensor(x),
        "output": tensor(out),
        "losses": loss_values(layer),
        "direct_call_on_kernel": scalar(regularizer(kernel)),
    }

    write_json("page-examples.json", {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "examples": examples,
    })
    return examples


# --------------------------------------------------------------------------------------
# 3. .keras files and to_json


def compiled_record(name, model, x, y, path, extra=None):
    """Predictions, losses after that call, evaluate; then load the file back and check it agrees."""
    y_pred = np.asarray(model(x, training=False))
    losses = loss_values(model)
    evaluate = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    evaluate = {k: float(v) for k, v in evaluate.items()}
    predict = model.predict(x, verbose=0)
    assert close(predict, y_pred), name

    loaded, load_warnings = with_warnings(lambda: keras.saving.load_model(path))
    assert close(np.asarray(loaded(x, training=False)), y_pred), name
    assert close(loss_values(loaded), losses), name
    loaded_evaluate = loaded.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    loaded_evaluate = {k: float(v) for k, v in loaded_evaluate.items()}
    assert loaded_evaluate.keys() == evaluate.keys(), (name, evaluate, loaded_evaluate)
    assert close(list(loaded_evaluate.values()), list(evaluate.values())), (name, evaluate, loaded_evaluate)

    compile_config, config = compile_config_in(path)
    first_layer = config["config"]["layers"][0]
    record = {
        "file": os.path.basename(path),
        "input": tensor(x),
        "target": tensor(y),
        "output": tensor(y_pred),
        "losses": losses,
        "evaluate": evaluate,
        "evaluate_after_load": loaded_evaluate,
        "compile_config": compile_config,
        "model_class": config["class_name"],
        "first_layer": {"class_name": first_layer["class_name"], "config": first_layer["config"]},
        "build_config": config.get("build_config"),
        "output_names": list(model.output_names) if hasattr(model, "output_names") else None,
        "load_warnings": load_warnings,
    }
    if extra:
        record.update(extra)
    return record


def seq_fit_no_input(rng):
    keras.backend.clear_session()
    keras.utils.set_random_seed(3)
    model = keras.Sequential([
        L.Dense(8, activation="relu", kernel_regularizer=R.L2(0.01)),
        L.Dense(3, activity_regularizer=R.L1(0.01)),
    ])
    model.compile(optimizer="adam", loss="mse")
    x16 = rng.standard_normal((16, 12)).astype(np.float32)
    y16 = rng.standard_normal((16, 3)).astype(np.float32)
    history = model.fit(x16, y16, batch_size=16, epochs=1, verbose=0, shuffle=False)
    path = os.path.join(OUT, "seq_fit_no_input.keras")
    model.save(path)
    x = rng.standard_normal((4, 12)).astype(np.float32)
    y = rng.standard_normal((4, 3)).astype(np.float32)
    record = compiled_record("seq_fit_no_input", model, x, y, path)
    _, config = compile_config_in(path)
    input_layer = config["config"]["layers"][0]
    record.update({
        "code": "Sequential([Dense(8, relu, kernel_regularizer=L2(0.01)), Dense(3, activity_regularizer=L1(0.01))]) "
        "with no Input; compile('adam', 'mse'); fit(x16, y16, batch_size=16, epochs=1); save",
        "fit_loss": [float(v) for v in history.history["loss"]],
        "recorded_batch_shape": input_layer["config"].get("batch_shape"),
        "mse_without_penalties": float(np.mean((y_pred_of(model, x) - y) ** 2)),
    })
    return record


def y_pred_of(model, x):
    return np.asarray(model(x, training=False), dtype=np.float64)


def compiled_loss_objects(rng):
    keras.backend.clear_session()
    keras.utils.set_random_seed(4)
    model = keras.Sequential([
        keras.Input((5,)),
        L.Dense(8, activation="relu", kernel_regularizer=R.L2(0.01)),
        L.Dense(3, kernel_regularizer=R.L1(0.01)),
    ])
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.weights])
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(), "accuracy"],
    )
    x_train = rng.standard_normal((12, 5)).astype(np.float32)
    y_train = rng.integers(0, 3, size=(12,)).astype(np.int32)
    model.fit(x_train, y_train, batch_size=12, epochs=2, verbose=0, shuffle=False)
    path = os.path.join(OUT, "compiled_loss_objects.keras")
    model.save(path)
    x = rng.standard_normal((6, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=(6,)).astype(np.int32)
    record = compiled_record("compiled_loss_objects", model, x, y, path)
    logits = y_pred_of(model, x)
    log_softmax = logits - logits.max(1, keepdims=True)
    log_softmax -= np.log(np.exp(log_softmax).sum(1, keepdims=True))
    record.update({
        "code": "Input(5), Dense(8, relu, L2(0.01)), Dense(3, L1(0.01)); compile(SGD(0.1), "
        "SparseCategoricalCrossentropy(from_logits=True), [SparseCategoricalAccuracy(), 'accuracy']); fit 2 epochs",
        "target": {"shape": list(y.shape), "values": [int(v) for v in y]},
        "crossentropy_without_penalties": float(-np.mean(log_softmax[np.arange(len(y)), y])),
        "accuracy_by_hand": float(np.mean(logits.argmax(1) == y)),
    })
    return record


def compiled_mse_object(rng):
    keras.backend.clear_session()
    keras.utils.set_random_seed(5)
    model = keras.Sequential([
        keras.Input((4,)),
        L.Dense(6, activation="tanh", kernel_regularizer=R.L1L2(0.01, 0.01)),
        L.Dense(2, activity_regularizer=R.L2(0.02)),
    ])
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.weights])
    model.compile(
        optimizer=keras.optimizers.RMSprop(),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanAbsoluteError()],
    )
    path = os.path.join(OUT, "compiled_mse_object.keras")
    model.save(path)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    y = rng.standard_normal((5, 2)).astype(np.float32)
    record = compiled_record("compiled_mse_object", model, x, y, path)
    pred = y_pred_of(model, x)
    record.update({
        "code": "Input(4), Dense(6, tanh, L1L2(0.01, 0.01)), Dense(2, activity L2(0.02)); compile(RMSprop(), "
        "MeanSquaredError(), [MeanAbsoluteError()]); not fitted",
        "mse_without_penalties": float(np.mean((pred - y) ** 2)),
        "mae_by_hand": float(np.mean(np.abs(pred - y))),
    })
    return record


def single_output_model(kind):
    keras.backend.clear_session()
    keras.utils.set_random_seed(6)
    rng = np.random.default_rng(100)
    hidden = L.Dense(4, activation="relu", kernel_regularizer=R.L2(0.02), name="hidden")
    out = L.Dense(2, kernel_regularizer=R.L1(0.01), name="out")
    if kind == "sequential":
        model = keras.Sequential([keras.Input((3,)), hidden, out])
    else:
        inputs = keras.Input((3,), name="x")
        model = keras.Model(inputs, out(hidden(inputs)))
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.weights])
    return model


# name: (model kind, compile kwargs, saved as <name>.keras). The same weights and data for all,
# so the evaluate numbers show which forms apply loss_weights.
COMPILE_FORMS = {
    "compiled_loss_list_weights": ("sequential", dict(loss=["mse"], loss_weights=[0.5], metrics=[["mae"]]), True),
    "compiled_loss_dict_weights": (
        "functional", dict(loss={"out": "mse"}, loss_weights={"out": 0.5}, metrics={"out": ["mae"]}), True),
    "sequential_loss_dict_weights": (
        "sequential", dict(loss={"out": "mse"}, loss_weights={"out": 0.5}, metrics={"out": ["mae"]}), False),
    "sequential_loss_dict_only": ("sequential", dict(loss={"out": "mse"}), False),
    "sequential_string_loss_dict_weights": ("sequential", dict(loss="mse", loss_weights={"out": 0.5}), False),
    "sequential_loss_list_flat_metrics": ("sequential", dict(loss=["mse"], loss_weights=[0.5], metrics=["mae"]), False),
    "sequential_scalar_loss_weight": ("sequential", dict(loss="mse", loss_weights=0.5, metrics=["mae"]), False),
    "functional_loss_list_weights": ("functional", dict(loss=["mse"], loss_weights=[0.5], metrics=[["mae"]]), False),
    "no_loss_weights": ("sequential", dict(loss="mse", metrics=["mae"]), False),
}


def compile_forms(rng):
    records, tried = {}, {}
    x = rng.standard_normal((4, 3)).astype(np.float32)
    y = rng.standard_normal((4, 2)).astype(np.float32)
    for name, (kind, kwargs, saved) in COMPILE_FORMS.items():
        model = single_output_model(kind)
        entry = {"model": kind, "compile_kwargs": kwargs}
        try:
            model.compile(optimizer=keras.optimizers.SGD(0.05), **kwargs)
        except Exception as e:
            tried[name] = {**entry, "compile_error": f"{type(e).__name__}: {e}"}
            continue
        try:
            evaluate = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
        except Exception as e:
            tried[name] = {**entry, "compile_ok": True, "evaluate_error": f"{type(e).__name__}: {e}"}
            assert not saved, name
            continue
        pred = y_pred_of(model, x)
        mse = float(np.mean((pred - y) ** 2))
        penalties = float(sum(loss_values(model)))
        loss = float(evaluate["loss"])
        tried[name] = {
            **entry,
            "compile_ok": True,
            "evaluate": {k: float(v) for k, v in evaluate.items()},
            "mse_without_penalties": mse,
            "penalties": penalties,
            "loss_is_half_mse_plus_penalties": abs(loss - (0.5 * mse + penalties)) < 1e-5,
            "loss_is_mse_plus_penalties": abs(loss - (mse + penalties)) < 1e-5,
        }
        if saved:
            path = os.path.join(OUT, f"{name}.keras")
            model.save(path)
            record = compiled_record(name, model, x, y, path)
            record.update({
                "code": f"{kind} model: Input(3), Dense(4, relu, L2(0.02), name='hidden'), Dense(2, L1(0.01), name='out'); "
                f"compile(SGD(0.05), {', '.join(f'{k}={v!r}' for k, v in kwargs.items())}); not fitted",
                "mse_without_penalties": mse,
                "penalties": penalties,
                "mae_by_hand": float(np.mean(np.abs(pred - y))),
            })
            records[name] = record
    return records, tried


def to_json_case(rng):
    keras.backend.clear_session()
    keras.utils.set_random_seed(7)
    model = keras.Sequential([
        keras.Input((4,)),
        L.Dense(5, activation="relu", kernel_regularizer=R.L1L2(0.01, 0.02), bias_regularizer=R.L2(0.1)),
        L.Dense(2, kernel_regularizer=MyScaledL1(2.0), activity_regularizer=R.L2(0.01)),
    ])
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.weights])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    text = model.to_json()
    with open(os.path.join(OUT, "to_json.json"), "w") as f:
        f.write(text)
    weights_path = os.path.join(OUT, "to_json.weights.h5")
    model.save_weights(weights_path)
    x = rng.standard_normal((3, 4)).astype(np.float32)
    y = np.asarray(model(x, training=False))
    losses = loss_values(model)

    rebuilt = keras.models.model_from_json(text)
    rebuilt_compiled = bool(rebuilt.compiled)
    _, load_warnings = with_warnings(lambda: rebuilt.load_weights(weights_path))
    assert close(np.asarray(rebuilt(x, training=False)), y)
    assert close(loss_values(rebuilt), losses)
    parsed = json.loads(text)
    return {
        "file": "to_json.json",
        "weights_file": "to_json.weights.h5",
        "code": "Input(4), Dense(5, relu, L1L2(0.01, 0.02), bias L2(0.1)), Dense(2, MyScaledL1(2.0), activity L2(0.01)); "
        "compile(Adam(0.01), 'mse', ['mae']); model.to_json(); model.save_weights(...)",
        "input": tensor(x),
        "output": tensor(y),
        "losses": losses,
        "to_json_top_level_keys": sorted(parsed.keys()),
        "to_json_has_compile_config": "compile_config" in parsed,
        "compile_config": parsed.get("compile_config"),
        "model_from_json_is_compiled": rebuilt_compiled,
        "load_weights_warnings": load_warnings,
        "weights_h5_top_level": h5_top_level(weights_path),
    }


def h5_top_level(path):
    try:
        import h5py
    except ImportError:
        return None
    names = []
    with h5py.File(path, "r") as f:
        f.visit(names.append)
    return names


def model_files():
    rng = np.random.default_rng(31)
    expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
    expected["models"]["seq_fit_no_input"] = seq_fit_no_input(rng)
    expected["models"]["compiled_loss_objects"] = compiled_loss_objects(rng)
    expected["models"]["compiled_mse_object"] = compiled_mse_object(rng)
    forms, tried = compile_forms(rng)
    expected["models"].update(forms)
    expected["single_output_compile_forms"] = tried
    expected["to_json"] = to_json_case(rng)
    write_json("expected.json", expected)
    return expected


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    cases = build_set_apply()
    examples = page_examples()
    expected = model_files()
    print(f"wrote {len(cases)} build-set-apply cases, {len(examples)} page examples, "
          f"{len(expected['models'])} .keras files and to_json to {os.path.normpath(OUT)}")
