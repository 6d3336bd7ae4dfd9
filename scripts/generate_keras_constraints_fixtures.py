"""Generates test/fixtures/keras-constraints.json and test/fixtures/keras-constraints/ with real Keras 3.

- `apply` cases: each constraint of keras.constraints (MaxNorm, MinMaxNorm,
  NonNeg, UnitNorm, with int, negative, list and None axes) as Keras
  serializes it, a weight tensor and what the constraint returns for it
  (some weights hold an all-zero slice, where epsilon decides).
- `training` cases: for each layer family (Dense, Conv2D, DepthwiseConv2D +
  SeparableConv2D, Conv2DTranspose, Embedding, LSTM, GRU, ConvLSTM2D,
  BatchNormalization, PReLU, MultiHeadAttention) a small model with a
  constraint on every constrained weight, trained three steps on mse with SGD
  and with Adam, each with and without an L2 regularizer on the constrained
  weights, from fixed initial weights: Keras's model JSON, the losses and the
  weights after each step.
- `keras-constraints/constrained.keras`: a model with MaxNorm, NonNeg and
  UnitNorm saved by Keras, and `expected.json`: its input, target and the
  weights after three SGD steps (Keras's, after loading the file).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_constraints_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-constraints.json")
FOLDER = os.path.join(HERE, "..", "test", "fixtures", "keras-constraints")
rng = np.random.default_rng(20261207)
L = keras.layers
C = keras.constraints
R = keras.regularizers


def floats(array):
    # 9 significant digits give back each float32 exactly, in half the characters of a double's repr.
    return [float(f"{v:.9g}") for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array)
    dtype = "int32" if np.issubdtype(array.dtype, np.integer) else "float32"
    return {"shape": list(array.shape), "values": [float(f"{v:.9g}") for v in array.reshape(-1)], "dtype": dtype}


cases = []

# ---- apply cases ---------------------------------------------------------------------------------


def apply_case(name, constraint, w):
    w = np.asarray(w, dtype=np.float32)
    out = np.asarray(constraint(keras.ops.convert_to_tensor(w)))
    cases.append(
        {
            "name": name,
            "kind": "apply",
            "constraint": keras.constraints.serialize(constraint),
            "w": tensor(w),
            "expected": floats(out),
        }
    )


w2 = (rng.standard_normal((5, 4)) * 1.5).astype(np.float32)
w2_zero = w2.copy()
w2_zero[:, 1] = 0  # a column of zeros: norm 0, epsilon keeps it 0
w2_zero[3, :] = 0
w4 = (rng.standard_normal((3, 3, 2, 4)) * 0.8).astype(np.float32)
w1 = (rng.standard_normal((6,)) * 2).astype(np.float32)
w3 = (rng.standard_normal((2, 3, 4)) * 1.2).astype(np.float32)

apply_case("MaxNorm() on (5, 4)", C.MaxNorm(), w2)
apply_case("MaxNorm(1.5, axis=1)", C.MaxNorm(1.5, axis=1), w2)
apply_case("MaxNorm(1, axis=-1) with zero slices", C.MaxNorm(1.0, axis=-1), w2_zero)
apply_case("MaxNorm(0.7) with a zero column", C.MaxNorm(0.7, axis=0), w2_zero)
apply_case("MaxNorm(1.2, axis=[0, 1, 2]) on a Conv2D kernel", C.MaxNorm(1.2, axis=[0, 1, 2]), w4)
apply_case("MaxNorm(2, axis=None)", C.MaxNorm(2.0, axis=None), w3)
apply_case("MaxNorm(3) on a rank-1 weight", C.MaxNorm(3), w1)
apply_case("MaxNorm(0) sets every weight to 0", C.MaxNorm(0, axis=0), w2)
apply_case("MaxNorm(1, axis=[-1, 0]) on rank 3", C.MaxNorm(1, axis=[-1, 0]), w3)
apply_case("MinMaxNorm() on (5, 4)", C.MinMaxNorm(), w2)
apply_case("MinMaxNorm(1, 2, rate=0.7, axis=1)", C.MinMaxNorm(1.0, 2.0, rate=0.7, axis=1), w2)
apply_case("MinMaxNorm(0.5, 1.5, rate=0.25, axis=-1) with zero slices", C.MinMaxNorm(0.5, 1.5, 0.25, -1), w2_zero)
apply_case("MinMaxNorm(0.5, 1, axis=[0, 1, 2])", C.MinMaxNorm(0.5, 1.0, 1.0, [0, 1, 2]), w4)
apply_case("MinMaxNorm(2, 3, rate=0) leaves norms", C.MinMaxNorm(2, 3, rate=0.0), w2)
apply_case("NonNeg()", C.NonNeg(), w2)
apply_case("NonNeg() on rank 4", C.NonNeg(), w4)
apply_case("UnitNorm()", C.UnitNorm(), w2)
apply_case("UnitNorm(axis=-1) with zero slices", C.UnitNorm(axis=-1), w2_zero)
apply_case("UnitNorm(axis=[0, 1, 2])", C.UnitNorm(axis=[0, 1, 2]), w4)
apply_case("UnitNorm(axis=1) on rank 3", C.UnitNorm(axis=1), w3)
apply_case("get('max_norm')", keras.constraints.get("max_norm"), w2)
apply_case("get('unit_norm')", keras.constraints.get("unit_norm"), w2)
apply_case("get('non_neg')", keras.constraints.get("non_neg"), w2)
apply_case("get('min_max_norm')", keras.constraints.get("min_max_norm"), w2)

# ---- training cases ------------------------------------------------------------------------------


def l2(reg):
    return R.L2(0.01) if reg else None


def initial_weights(model):
    values = []
    for w in model.weights:
        v = (rng.standard_normal(w.shape) * 0.4).astype(np.float32)
        if "moving_variance" in w.path:
            v = np.abs(v) + 0.5
        values.append(v)
    return values


FAMILIES = {
    "Dense": (
        lambda reg: [
            L.Dense(
                3,
                activation="tanh",
                kernel_constraint=C.MaxNorm(0.6),
                bias_constraint=C.NonNeg(),
                kernel_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
            L.Dense(
                2,
                kernel_constraint=C.UnitNorm(axis=0),
                bias_constraint=C.MinMaxNorm(0.2, 0.5, rate=0.5),
                kernel_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
        ],
        (5,),
        "float",
    ),
    "Conv2D": (
        lambda reg: [
            L.Conv2D(
                3,
                2,
                kernel_constraint=C.MaxNorm(0.8, axis=[0, 1, 2]),
                bias_constraint=C.NonNeg(),
                kernel_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
            L.Flatten(),
        ],
        (4, 4, 2),
        "float",
    ),
    "DepthwiseConv2D and SeparableConv2D": (
        lambda reg: [
            L.DepthwiseConv2D(
                2,
                depth_multiplier=2,
                depthwise_constraint=C.UnitNorm(axis=[0, 1]),
                bias_constraint=C.NonNeg(),
                depthwise_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
            L.SeparableConv2D(
                2,
                2,
                depthwise_constraint=C.MaxNorm(0.5, axis=[0, 1]),
                pointwise_constraint=C.MinMaxNorm(0.2, 0.6, rate=0.5, axis=[0, 1, 2]),
                bias_constraint=C.NonNeg(),
                depthwise_regularizer=l2(reg),
                pointwise_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
            L.Flatten(),
        ],
        (4, 4, 2),
        "float",
    ),
    "Conv2DTranspose": (
        lambda reg: [
            L.Conv2DTranspose(
                2,
                2,
                strides=2,
                kernel_constraint=C.MaxNorm(0.5, axis=[0, 1, 3]),
                bias_constraint=C.NonNeg(),
                kernel_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
            L.Flatten(),
        ],
        (2, 2, 3),
        "float",
    ),
    "Embedding": (
        lambda reg: [
            L.Embedding(7, 3, embeddings_constraint=C.MaxNorm(0.5, axis=1), embeddings_regularizer=l2(reg)),
            L.Flatten(),
            L.Dense(2, kernel_constraint=C.NonNeg()),
        ],
        (4,),
        "ids",
    ),
    "LSTM": (
        lambda reg: [
            L.LSTM(
                3,
                kernel_constraint=C.MaxNorm(0.5),
                recurrent_constraint=C.UnitNorm(axis=1),
                bias_constraint=C.NonNeg(),
                kernel_regularizer=l2(reg),
                recurrent_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
        ],
        (4, 2),
        "float",
    ),
    "GRU": (
        lambda reg: [
            L.GRU(
                3,
                kernel_constraint=C.UnitNorm(axis=0),
                recurrent_constraint=C.MaxNorm(0.4, axis=0),
                bias_constraint=C.MinMaxNorm(0.1, 0.4, axis=-1),
                kernel_regularizer=l2(reg),
                recurrent_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
        ],
        (4, 2),
        "float",
    ),
    "ConvLSTM2D": (
        lambda reg: [
            L.ConvLSTM2D(
                2,
                2,
                kernel_constraint=C.MaxNorm(0.6, axis=[0, 1, 2]),
                recurrent_constraint=C.MaxNorm(0.5, axis=[0, 1, 2]),
                bias_constraint=C.NonNeg(),
                kernel_regularizer=l2(reg),
                recurrent_regularizer=l2(reg),
                bias_regularizer=l2(reg),
            ),
            L.Flatten(),
        ],
        (3, 3, 3, 1),
        "float",
    ),
    "BatchNormalization": (
        lambda reg: [
            L.Dense(3, use_bias=False),
            L.BatchNormalization(
                gamma_constraint=C.NonNeg(),
                beta_constraint=C.MaxNorm(0.3),
                gamma_regularizer=l2(reg),
                beta_regularizer=l2(reg),
            ),
        ],
        (4,),
        "float",
    ),
    "PReLU": (
        lambda reg: [
            L.Dense(3),
            L.PReLU(alpha_constraint=C.MinMaxNorm(0.1, 0.3), alpha_regularizer=l2(reg)),
        ],
        (4,),
        "float",
    ),
}


def attention_model(reg):
    inputs = keras.Input((3, 4))
    attended = L.MultiHeadAttention(
        num_heads=2,
        key_dim=2,
        kernel_constraint=C.MaxNorm(0.5, axis=0),
        bias_constraint=C.NonNeg(),
        kernel_regularizer=l2(reg),
        bias_regularizer=l2(reg),
    )(inputs, inputs)
    return keras.Model(inputs, attended)


# Adam's epsilon is raised from 1e-7 so that a gradient that is 0 up to rounding (a bias before
# BatchNormalization, MultiHeadAttention's key bias) does not become a full step of rounding noise.
OPTIMIZERS = {
    "SGD": lambda: keras.optimizers.SGD(0.1),
    "Adam": lambda: keras.optimizers.Adam(0.05, epsilon=1e-3),
}


def training_case(family, optimizer_name, reg, make_model, shape, inputs):
    model = make_model()
    initial = initial_weights(model)
    model.set_weights(initial)
    optimizer = OPTIMIZERS[optimizer_name]()
    model.compile(optimizer=optimizer, loss="mse")
    if inputs == "ids":
        x = rng.integers(0, 7, (4, *shape)).astype(np.int32)
    else:
        x = rng.standard_normal((4, *shape)).astype(np.float32)
    y = rng.standard_normal((4, *model.output_shape[1:])).astype(np.float32)
    losses, weights = [], []
    for _ in range(3):
        losses.append(float(model.train_on_batch(x, y)))
        weights.append([floats(w) for w in model.get_weights()])
    cases.append(
        {
            "name": f"{family}, {optimizer_name}{' + L2' if reg else ''}",
            "kind": "training",
            "family": family,
            "optimizer": {"name": optimizer_name, "config": optimizer.get_config()},
            "model": json.loads(model.to_json()),
            "initial_weights": [floats(w) for w in initial],
            "x": tensor(x),
            "y": tensor(y),
            "losses": losses,
            "weights_after_each_step": weights,
        }
    )


for family, (make, shape, inputs) in FAMILIES.items():
    for optimizer_name in OPTIMIZERS:
        for reg in (False, True):
            training_case(
                family,
                optimizer_name,
                reg,
                lambda make=make, shape=shape, reg=reg: keras.Sequential([keras.Input(shape), *make(reg)]),
                shape,
                inputs,
            )
for optimizer_name in OPTIMIZERS:
    for reg in (False, True):
        training_case(
            "MultiHeadAttention", optimizer_name, reg, lambda reg=reg: attention_model(reg), (3, 4), "float"
        )

# ---- a .keras file -------------------------------------------------------------------------------

os.makedirs(FOLDER, exist_ok=True)
model = keras.Sequential(
    [
        keras.Input((4,)),
        L.Dense(5, activation="relu", kernel_constraint=C.MaxNorm(0.7), bias_constraint=C.NonNeg()),
        L.Dropout(0.5),
        L.Dense(3, kernel_constraint=C.UnitNorm(axis=0), bias_constraint=C.MaxNorm(0.5, axis=None)),
    ]
)
model.set_weights(initial_weights(model))
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
path = os.path.join(FOLDER, "constrained.keras")
model.save(path)
x = rng.standard_normal((6, 4)).astype(np.float32)
y = rng.standard_normal((6, 3)).astype(np.float32)
loaded = keras.models.load_model(path)
predictions = np.asarray(loaded.predict(x, verbose=0))
losses, weights = [], []
# Dropout's mask in training is random: the steps are taken with its rate set to 0 (the test does the same).
loaded.layers[1].rate = 0.0
for _ in range(3):
    losses.append(float(loaded.train_on_batch(x, y)))
    weights.append([floats(w) for w in loaded.get_weights()])
with open(os.path.join(FOLDER, "expected.json"), "w") as f:
    json.dump(
        {
            "x": tensor(x),
            "y": tensor(y),
            "predictions": floats(predictions),
            "losses": losses,
            "weights_after_each_step": weights,
            "configs": [layer.get_config() for layer in loaded.layers],
        },
        f,
    )

with open(OUT, "w") as f:
    json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases}, f)
print(f"wrote {len(cases)} cases to {OUT} and {path}")
