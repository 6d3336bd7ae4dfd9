"""Generates test/fixtures/keras-ops-graphs/*.keras and test/fixtures/keras-ops-graphs.json with real Keras 3.

Functional graphs written with keras.ops on symbolic tensors (Keras records
each op as a node: Add, Multiply, Concatenate, GetItem, NotEqual, Cast,
Where, Clip, Matmul, ...), and a model whose outputs are a dict. For each:
the .keras file, an input, Keras's predictions, and the weights after each
of 3 SGD(0.1) train_on_batch steps on MSE.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_ops_graphs_fixtures.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-ops-graphs.json")
MODELS = os.path.join(ROOT, "keras-ops-graphs")
os.makedirs(MODELS, exist_ok=True)
rng = np.random.default_rng(20261207)
L = keras.layers
keras.utils.set_random_seed(7)


def values(array):
    array = np.asarray(array)
    dtype = "int32" if np.issubdtype(array.dtype, np.integer) else "float32"
    return {"shape": list(array.shape), "dtype": dtype, "values": [float(v) for v in array.reshape(-1)]}


def concat_square_slice():
    x = keras.Input((4,), name="x")
    h = ops.concatenate([x, ops.square(x)], axis=-1) * 0.5 + 1
    return keras.Model(x, L.Dense(2)(h[:, :3]))


def reshape_transpose():
    x = keras.Input((6,), name="x")
    h = L.Dense(6)(x)
    h = ops.transpose(ops.reshape(h, (-1, 2, 3)), (0, 2, 1))
    h = ops.reshape(h, (-1, 6)) - 1
    return keras.Model(x, L.Dense(2)(ops.expand_dims(h, 1))[:, 0])


def reductions():
    x = keras.Input((3, 4), name="x")
    h = L.Dense(4, activation="tanh")(x)
    parts = [ops.sum(h, axis=1), ops.mean(h, axis=1), ops.max(h, axis=-1), ops.min(h, axis=1), ops.squeeze(ops.sum(h, axis=-1, keepdims=True), axis=-1)]
    return keras.Model(x, L.Dense(1)(ops.concatenate(parts, axis=-1)))


def masked_bilstm():
    # Keras records the Embedding's mask as a NotEqual node passed to the RNN as mask=.
    ids = keras.Input((5,), dtype="int32", name="ids")
    e = L.Embedding(7, 4, mask_zero=True)(ids)
    h = L.Bidirectional(L.LSTM(3, return_sequences=True))(e)
    return keras.Model(ids, L.Dense(1)(ops.mean(L.LSTM(2, return_sequences=True)(h), axis=1)))


def cast_where_clip():
    x = keras.Input((4,), name="x")
    ids = keras.Input((4,), dtype="int32", name="ids")
    h = L.Dense(4)(x)
    h = ops.where(ops.greater(h, 0.0), h, h * 0.1)
    h = ops.clip(h, -0.5, 0.5)
    c = ops.cast(ids, "float32") / 4
    return keras.Model([x, ids], L.Dense(2)(ops.concatenate([h, c], axis=-1)))


def matmul_attention():
    x = keras.Input((3, 4), name="x")
    q = L.Dense(4)(x)
    scores = ops.softmax(ops.matmul(q, ops.transpose(x, (0, 2, 1))) / 2.0, axis=-1)
    h = ops.matmul(scores, x)
    return keras.Model(x, L.Dense(2)(ops.reshape(h, (-1, 12))))


def stack_split():
    x = keras.Input((6,), name="x")
    a, b = ops.split(L.Dense(6)(x), 2, axis=-1)
    s = ops.stack([a, b * 2.0], axis=1)
    return keras.Model(x, L.Dense(1)(ops.reshape(ops.maximum(s, 0.0) + ops.minimum(s, 0.0) * 0.5, (-1, 6))))


def activations():
    x = keras.Input((4,), name="x")
    h = L.Dense(4)(x)
    h = ops.concatenate([ops.relu(h), ops.sigmoid(h), ops.tanh(h), ops.exp(-ops.abs(h)), ops.log(1.0 + ops.square(h)), ops.sqrt(ops.abs(h) + 1.0)], axis=-1)
    return keras.Model(x, L.Dense(2)(h))


def mha_with_mask():
    ids = keras.Input((4,), dtype="int32", name="ids")
    e = L.Embedding(6, 4)(ids)
    mask = ops.not_equal(ids, 0)[:, None, :]
    h = L.MultiHeadAttention(2, 2)(e, e, attention_mask=mask)
    return keras.Model(ids, L.Dense(1)(h[:, -1]))


def slicing():
    x = keras.Input((4, 5), name="x")
    h = L.Dense(5)(x)
    parts = [h[..., 0], h[:, 1:3, ::2][:, :, -1], h[:, -1], h[:, :, 1:4][:, 0]]
    return keras.Model(x, L.Dense(2)(ops.concatenate(parts, axis=-1)))


def scalars_left():
    x = keras.Input((4,), name="x")
    h = L.Dense(4)(x)
    h = 1.0 - h
    h = 2.0 / (1.0 + ops.exp(h))
    h = ops.power(h, 2) - ops.mean(h, axis=-1, keepdims=True)
    return keras.Model(x, L.Dense(2)(-h))


def dict_outputs():
    x = keras.Input((4,), name="x")
    h = L.Dense(16, activation="relu", name="hidden")(x)
    outs = {"score": L.Dense(1, name="score")(h), "cls": L.Dense(3, name="cls")(h), "aux": L.Dense(2, name="aux")(x)}
    return keras.Model(x, outs)


BUILDERS = [concat_square_slice, reshape_transpose, reductions, masked_bilstm, cast_where_clip, matmul_attention, stack_split, activations, mha_with_mask, slicing, scalars_left, dict_outputs]


def make_input(model):
    xs = []
    for t in model.inputs:
        shape = (3,) + tuple(t.shape[1:])
        if t.dtype == "int32":
            v = rng.integers(0, 5, shape).astype(np.int32)
            v[0, -2:] = 0
            xs.append(v)
        else:
            xs.append(rng.normal(size=shape).astype(np.float32))
    return xs


cases = {}
for build in BUILDERS:
    keras.utils.set_random_seed(11)
    model = build()
    name = build.__name__
    xs = make_input(model)
    x = xs if len(xs) > 1 else xs[0]
    y_pred = model.predict(x, verbose=0)
    if isinstance(y_pred, dict):
        y = {k: rng.normal(size=v.shape).astype(np.float32) for k, v in y_pred.items()}
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss={k: "mse" for k in y})
    else:
        y = rng.normal(size=y_pred.shape).astype(np.float32)
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.save(os.path.join(MODELS, f"{name}.keras"))
    case = {
        "inputs": [values(v) for v in xs],
        "weight_paths": [w.path for w in model.weights],
        "weights": [values(w) for w in model.weights],
        "layer_names": [l.name for l in model.layers],
    }
    if isinstance(y_pred, dict):
        case["outputs"] = {k: values(v) for k, v in y_pred.items()}
        case["targets"] = {k: values(v) for k, v in y.items()}
    else:
        case["output"] = values(y_pred)
        case["target"] = values(y)
    steps = []
    for _ in range(3):
        logs = model.train_on_batch(x, y, return_dict=True)
        steps.append({"loss": float(logs["loss"]), "weights": [values(w) for w in model.weights]})
    case["steps"] = steps
    cases[name] = case
    print(name, "ok", [l.__class__.__name__ for l in model._operations])

# One op per model: its Keras config (the op node with its args) and output, for the ops the graphs above do not use.
a = rng.normal(size=(2, 3, 4)).astype(np.float32)
b = rng.normal(size=(2, 3, 4)).astype(np.float32)
ids_in = rng.integers(0, 5, (2, 3)).astype(np.int32)
OP_CASES = {
    "equal": lambda x, y, i: ops.cast(ops.equal(ops.round(x), ops.round(y)), "float32"),
    "less": lambda x, y, i: ops.cast(ops.less(x, y), "float32"),
    "less_equal": lambda x, y, i: ops.cast(ops.less_equal(x, 0.0), "float32"),
    "greater_equal": lambda x, y, i: ops.cast(ops.greater_equal(x, y), "float32"),
    "logical": lambda x, y, i: ops.cast(ops.logical_or(ops.logical_and(x > 0, y > 0), ops.logical_not(x > y)), "float32"),
    "argmax": lambda x, y, i: ops.cast(ops.argmax(x, axis=-1), "float32"),
    "tile": lambda x, y, i: ops.tile(x, (1, 2, 1)),
    "one_hot": lambda x, y, i: ops.one_hot(i, 5),
    "gelu": lambda x, y, i: ops.gelu(x),
    "gelu_exact": lambda x, y, i: ops.gelu(x, approximate=False),
    "silu": lambda x, y, i: ops.silu(x),
    "softplus": lambda x, y, i: ops.softplus(x),
    "log_softmax": lambda x, y, i: ops.log_softmax(x, axis=1),
    "softmax_axis1": lambda x, y, i: ops.softmax(x, axis=1),
    "rsqrt": lambda x, y, i: ops.rsqrt(ops.abs(x) + 1.0),
    "floor": lambda x, y, i: ops.floor(x * 3.0),
    "prod": lambda x, y, i: ops.prod(x, axis=1),
    "negative_power": lambda x, y, i: ops.power(ops.abs(x) + 1.0, -0.5),
    "sum_all": lambda x, y, i: ops.sum(x, keepdims=True),
    "mean_keepdims": lambda x, y, i: ops.mean(x, axis=(1, 2), keepdims=True),
    "max_all": lambda x, y, i: ops.max(x, keepdims=True),
    "expand_squeeze": lambda x, y, i: ops.squeeze(ops.expand_dims(x, -1)),
    "transpose_default": lambda x, y, i: ops.transpose(x),
    "where_scalar": lambda x, y, i: ops.where(x > 0, x, 0.0),
    "clip_cast_int": lambda x, y, i: ops.cast(ops.clip(ops.cast(i, "float32"), 1.0, 3.0), "int32"),
    "int_arithmetic": lambda x, y, i: ops.cast(i * 2 + 1, "float32"),
    "split_indices": lambda x, y, i: ops.split(x, [1, 3], axis=-1)[1],
    "stack_neg_axis": lambda x, y, i: ops.stack([x, y], axis=-1),
    "elu_leaky": lambda x, y, i: ops.elu(x, alpha=0.5) + ops.leaky_relu(y, negative_slope=0.1),
    "trig_erf_sign": lambda x, y, i: ops.sin(x) * ops.cos(y) + ops.erf(x) - ops.sign(y),
    "var_std": lambda x, y, i: ops.var(x, axis=1) + ops.std(y, axis=-1, keepdims=True)[:, :, 0][:, :1],
    "any_all": lambda x, y, i: ops.cast(ops.logical_and(ops.any(x > 1.0, axis=-1), ops.all(y > -1.5, axis=-1)), "float32"),
    "logsumexp": lambda x, y, i: ops.logsumexp(x, axis=1),
    "moveaxis_swapaxes": lambda x, y, i: ops.moveaxis(x, 1, 2) + ops.swapaxes(y, 1, 2),
    "flip_cumsum": lambda x, y, i: ops.cumsum(ops.flip(x, axis=1), axis=1),
    "zeros_ones_like": lambda x, y, i: ops.zeros_like(x) + ops.ones_like(y) * x,
    "hard_sigmoid": lambda x, y, i: ops.hard_sigmoid(x * 3.0),
    "normalize": lambda x, y, i: ops.normalize(x, axis=-1),
}
op_cases = {}
for name, fn in OP_CASES.items():
    x_in = keras.Input((3, 4), name="a")
    y_in = keras.Input((3, 4), name="b")
    i_in = keras.Input((3,), dtype="int32", name="i")
    model = keras.Model([x_in, y_in, i_in], fn(x_in, y_in, i_in))
    out = model.predict([a, b, ids_in], verbose=0)
    op_cases[name] = {"config": json.loads(json.dumps(model.get_config())), "output": values(out)}
    print(name, "ok")

with open(OUT, "w") as f:
    json.dump(
        {
            "keras_version": keras.__version__,
            "models": cases,
            "op_inputs": [values(a), values(b), values(ids_in)],
            "ops": op_cases,
        },
        f,
        indent=None,
    )
    f.write("\n")
