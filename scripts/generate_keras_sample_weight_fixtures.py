"""Records how real Keras 3 weighs losses and metrics by sample and class, for test/sample-weights.test.ts.

For each case: a small model (Dense, a sequence Dense, Embedding(mask_zero) +
LSTM, a two-output Functional model) with seeded weights, data, and
`sample_weight` (per sample, per output, per time step) or `class_weight`
(binary, one-hot, sparse labels); then what Keras computes with them:
`evaluate` (batch_size=2, return_dict), two `train_on_batch` steps with SGD
(their logs and the weights after), and `fit` for 2 epochs (batch_size=3,
shuffle off) from the initial weights (its history and the weights after).
Logs carry `weighted_metrics` under Keras's names.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_sample_weight_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-sample-weights.json")
L = keras.layers


def values(array):
    array = np.asarray(array)
    return {"shape": list(array.shape), "dtype": str(array.dtype), "values": [float(v) for v in array.reshape(-1)]}


def floats(logs):
    return {k: float(v) for k, v in logs.items()}


def dense(units, activation=None):
    return lambda: keras.Sequential([keras.Input((3,)), L.Dense(units, activation=activation)])


def sequence():
    return keras.Sequential([keras.Input((4, 2)), L.Dense(1)])


def masked_lstm():
    return keras.Sequential(
        [keras.Input((4,), dtype="int32"), L.Embedding(6, 2, mask_zero=True), L.LSTM(2, return_sequences=True), L.Dense(1)]
    )


def two_outputs():
    x = keras.Input((3,), name="x")
    a = L.Dense(2, name="a")(x)
    b = L.Dense(1, activation="sigmoid", name="b")(x)
    return keras.Model(x, {"a": a, "b": b})


rng = np.random.RandomState(3)
X = rng.standard_normal((5, 3)).astype("float32")
SW = np.array([1.0, 0.5, 2.0, 0.0, 1.5], dtype="float32")
BINARY = np.array([[0], [1], [1], [0], [1]], dtype="float32")
SPARSE = np.array([0, 2, 1, 2, 0], dtype="int32")
ONE_HOT = np.eye(3, dtype="float32")[SPARSE]
SEQ_X = rng.standard_normal((5, 4, 2)).astype("float32")
SEQ_Y = rng.standard_normal((5, 4, 1)).astype("float32")
SEQ_SW = rng.uniform(0, 2, (5, 4)).astype("float32")
IDS = np.array([[1, 2, 0, 0], [3, 0, 4, 5], [2, 2, 2, 0], [5, 0, 0, 0], [1, 1, 1, 1]], dtype="int32")
Y2 = rng.standard_normal((5, 2)).astype("float32")

# name, builder, compile kwargs (loss, metrics, weighted_metrics, loss_weights), x, y, weights (sample_weight, class_weight)
CASES = [
    (
        "dense_mse_sample_weight",
        dense(2),
        {"loss": "mse", "metrics": ["mae"], "weighted_metrics": ["mae", "mse"]},
        X, Y2, {"sample_weight": SW},
    ),
    (
        "dense_mse_sample_weight_column",
        dense(2),
        {"loss": keras.losses.MeanSquaredError(reduction="mean_with_sample_weight"), "weighted_metrics": ["mae"]},
        X, Y2, {"sample_weight": SW.reshape(5, 1)},
    ),
    (
        "dense_mse_sum_sample_weight",
        dense(2),
        {"loss": keras.losses.MeanSquaredError(reduction="sum")},
        X, Y2, {"sample_weight": SW},
    ),
    (
        "binary_class_weight",
        dense(1, "sigmoid"),
        {"loss": "binary_crossentropy", "metrics": ["accuracy"], "weighted_metrics": ["accuracy"]},
        X, BINARY, {"class_weight": {0: 0.5, 1: 2.0}},
    ),
    (
        "categorical_class_weight",
        dense(3, "softmax"),
        {"loss": "categorical_crossentropy", "weighted_metrics": ["categorical_accuracy", "categorical_crossentropy"]},
        X, ONE_HOT, {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}},
    ),
    (
        "sparse_class_weight",
        dense(3, "softmax"),
        {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": ["accuracy"]},
        X, SPARSE, {"class_weight": {1: 4.0, 2: 0.25}},
    ),
    (
        "sparse_sample_weight",
        dense(3, "softmax"),
        {"loss": "sparse_categorical_crossentropy", "weighted_metrics": ["sparse_categorical_accuracy"]},
        X, SPARSE, {"sample_weight": SW},
    ),
    (
        "sequence_per_timestep",
        sequence,
        {"loss": "mse", "weighted_metrics": ["mae"]},
        SEQ_X, SEQ_Y, {"sample_weight": SEQ_SW},
    ),
    (
        "masked_lstm_sample_weight",
        masked_lstm,
        {"loss": "mse", "weighted_metrics": ["mae"]},
        IDS, SEQ_Y, {"sample_weight": SW.reshape(5, 1)},
    ),
    (
        "two_outputs_per_output",
        two_outputs,
        {
            "loss": {"a": "mse", "b": "binary_crossentropy"},
            "loss_weights": {"a": 1.0, "b": 0.5},
            "metrics": {"a": ["mae"]},
            "weighted_metrics": {"a": ["mae"], "b": ["accuracy"]},
        },
        X, {"a": Y2, "b": BINARY}, {"sample_weight": {"a": SW, "b": SW[::-1].copy()}},
    ),
    (
        "two_outputs_shared",
        two_outputs,
        {"loss": {"a": "mse", "b": "binary_crossentropy"}, "weighted_metrics": {"a": ["mse"]}},
        X, {"a": Y2, "b": BINARY}, {"sample_weight": SW},
    ),
]


def make(builder, compile_args, initial):
    model = builder()
    model.set_weights(initial)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), **compile_args)
    return model


def compile_json(compile_args):
    out = {}
    for key, value in compile_args.items():
        out[key] = keras.saving.serialize_keras_object(value) if isinstance(value, keras.losses.Loss) else value
    return out


cases = []
for name, builder, compile_args, x, y, weighting in CASES:
    keras.utils.set_random_seed(11)
    model = builder()
    initial = [np.asarray(rng.uniform(-0.6, 0.6, w.shape), dtype="float32") for w in model.get_weights()]
    sw = weighting.get("sample_weight")
    cw = weighting.get("class_weight")

    model = make(builder, compile_args, initial)
    evaluated = floats(model.evaluate(x, y, sample_weight=sw, batch_size=2, verbose=0, return_dict=True)) if cw is None else None
    steps = []
    for _ in range(2):
        steps.append(floats(model.train_on_batch(x, y, sample_weight=sw, class_weight=cw, return_dict=True)))
    after_steps = [values(w) for w in model.get_weights()]

    model = make(builder, compile_args, initial)
    history = model.fit(x, y, sample_weight=sw, class_weight=cw, batch_size=3, epochs=2, shuffle=False, verbose=0)
    after_fit = [values(w) for w in model.get_weights()]

    def data(value):
        if isinstance(value, dict):
            return {k: values(v) for k, v in value.items()}
        return values(value)

    cases.append(
        {
            "name": name,
            "compile": compile_json(compile_args),
            "initial": [values(w) for w in initial],
            "x": data(x),
            "y": data(y),
            "sample_weight": None if sw is None else data(sw),
            "class_weight": None if cw is None else {str(k): v for k, v in cw.items()},
            "evaluate": evaluated,
            "train_on_batch": steps,
            "weights_after_steps": after_steps,
            "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
            "weights_after_fit": after_fit,
        }
    )
    print(name, "ok", steps[0])

# What Keras refuses: 1-D sample weights against a loss per time step.
refusals = {}
model = sequence()
model.compile(optimizer="sgd", loss="mse")
try:
    model.evaluate(SEQ_X, SEQ_Y, sample_weight=SW, verbose=0)
except ValueError as error:
    refusals["sequence_1d_sample_weight"] = str(error)

with open(OUT, "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": cases, "refusals": refusals}, f, indent=1)
print("wrote", OUT)
