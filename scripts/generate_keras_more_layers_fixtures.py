"""Generates test/fixtures/keras-more-layers.json and test/fixtures/keras-more-layers/*.keras with real Keras 3.

Attention, AdditiveAttention, RMSNormalization, ReversibleEmbedding and the six
adaptive poolings: for each case the layer's config and JSON (build_config
included), the inputs and call keywords (masks, causal mask, returned scores,
reverse), the weights (set from a fixed rng after build, in Keras's order),
the outputs, `layer.losses`, and the gradients of `sum(outputs * cotangent)`
with respect to the float inputs and the trainable weights (jax.grad over
Keras's stateless_call).

The .keras files (each with its inputs, predictions, losses, weights, and
3 SGD train_on_batch steps' losses and weights):
- masked_bilstm_attention: Embedding(mask_zero=True) -> Bidirectional(LSTM)
  -> Attention (the issue's case: Keras records NotEqual and ConvertToTensor
  nodes for the masks) -> GlobalAveragePooling1D -> Dense, L2 penalties;
- tied_lm: ReversibleEmbedding -> RMSNormalization -> Attention(use_causal_mask)
  -> AdditiveAttention -> the same embedding called with reverse=True;
- adaptive_cnn: Conv2D -> AdaptiveMaxPooling2D -> AdaptiveAveragePooling2D
  (channels_first) -> Flatten -> Dense, and a 1D branch;
- lambda_model: a Lambda layer (a file that must be refused).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_more_layers_fixtures.py
"""

import json
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-more-layers.json")
FILES = os.path.join(HERE, "..", "test", "fixtures", "keras-more-layers")
os.makedirs(FILES, exist_ok=True)
rng = np.random.default_rng(20261207)
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array)
    if array.dtype == bool:
        return {"shape": list(array.shape), "dtype": "bool", "values": [bool(v) for v in array.reshape(-1)]}
    if array.dtype.kind in "iu":
        return {"shape": list(array.shape), "dtype": "int32", "values": [int(v) for v in array.reshape(-1)]}
    return {"shape": list(array.shape), "dtype": "float32", "values": floats(array)}


def plain(value):
    return json.loads(json.dumps(value))


def set_random_weights(layer, scale=0.5):
    values = [(rng.standard_normal(tuple(w.shape)) * scale).astype(np.float32) for w in layer.weights]
    layer.set_weights(values)


def weights_of(layer):
    return [{"path": w.path, "shape": list(w.shape), "values": floats(ops.convert_to_numpy(w))} for w in layer.weights]


def layer_case(kind, name, layer, inputs, kwargs=None, float_inputs=None):
    """inputs: a list of arrays (one per input; a layer of one input gets it alone); kwargs: call keywords (masks as arrays)."""
    kwargs = dict(kwargs or {})
    single = len(inputs) == 1
    xs = inputs[0] if single else list(inputs)
    layer(xs, **kwargs)  # builds
    set_random_weights(layer)
    out = layer(xs, **kwargs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    cotangents = [rng.standard_normal(tuple(o.shape)).astype(np.float32) for o in outs]
    float_at = [i for i, x in enumerate(inputs) if np.asarray(x).dtype == np.float32] if float_inputs is None else float_inputs
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]

    def objective(weights, floats_in):
        args = list(inputs)
        for i, f in zip(float_at, floats_in):
            args[i] = f
        y, _ = layer.stateless_call(weights, non_trainable, args[0] if single else args, **kwargs)
        ys = list(y) if isinstance(y, (tuple, list)) else [y]
        return sum(jnp.sum(a * c) for a, c in zip(ys, cotangents))

    weight_grads, input_grads = jax.grad(objective, argnums=(0, 1))(trainable, [jnp.asarray(inputs[i]) for i in float_at])
    call = {k: v for k, v in kwargs.items() if k != "mask"}
    return {
        "name": name,
        "kind": kind,
        "class_name": layer.__class__.__name__,
        "config": plain(layer.get_config()),
        "json": plain(keras.saving.serialize_keras_object(layer)),
        "inputs": [tensor(x) for x in inputs],
        "call": call,
        "masks": None if "mask" not in kwargs else [None if m is None else tensor(m) for m in kwargs["mask"]],
        "weights": weights_of(layer),
        "outputs": [tensor(o) for o in outs],
        "expected_losses": [float(ops.convert_to_numpy(v)) for v in layer.losses],
        "cotangents": [tensor(c) for c in cotangents],
        "grad_inputs": float_at,
        "input_grads": [tensor(g) for g in input_grads],
        "weight_grads": [tensor(g) for g in weight_grads],
    }


def normal(*shape):
    return rng.standard_normal(shape).astype(np.float32)


QM = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
VM = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], bool)

cases = [
    layer_case("dense_attention", "Attention dot, no scale", L.Attention(), [normal(2, 4, 3), normal(2, 5, 3)]),
    layer_case(
        "dense_attention",
        "Attention dot with scale, query and value masks, causal, scores returned",
        L.Attention(use_scale=True),
        [normal(2, 4, 3), normal(2, 4, 3)],
        {"mask": [QM, QM], "use_causal_mask": True, "return_attention_scores": True},
    ),
    layer_case(
        "dense_attention",
        "Attention concat with scale and a key, value mask",
        L.Attention(use_scale=True, score_mode="concat"),
        [normal(2, 4, 3), normal(2, 5, 2), normal(2, 5, 3)],
        {"mask": [None, VM]},
    ),
    layer_case(
        "dense_attention",
        "Attention concat without scale, dropout 0.5 at inference, scores returned",
        L.Attention(score_mode="concat", dropout=0.5, seed=3),
        [normal(2, 3, 4), normal(2, 5, 4)],
        {"mask": [np.array([[1, 0, 1], [1, 1, 1]], bool), VM], "return_attention_scores": True},
    ),
    layer_case("dense_attention", "AdditiveAttention default (scale)", L.AdditiveAttention(), [normal(2, 4, 3), normal(2, 5, 3)]),
    layer_case(
        "dense_attention",
        "AdditiveAttention with masks and a key",
        L.AdditiveAttention(),
        [normal(2, 4, 3), normal(2, 5, 2), normal(2, 5, 3)],
        {"mask": [QM, VM]},
    ),
    layer_case(
        "dense_attention",
        "AdditiveAttention without scale, causal, scores returned",
        L.AdditiveAttention(use_scale=False),
        [normal(2, 4, 3), normal(2, 4, 3)],
        {"use_causal_mask": True, "return_attention_scores": True},
    ),
    layer_case(
        "dense_attention",
        "Attention with an activity regularizer (on both outputs), scores returned",
        L.Attention(use_scale=True, activity_regularizer=R.L2(0.1)),
        [normal(3, 2, 4), normal(3, 3, 4)],
        {"return_attention_scores": True},
    ),
    layer_case("rms_normalization", "RMSNormalization axis -1", L.RMSNormalization(), [normal(2, 3, 4)]),
    layer_case(
        "rms_normalization", "RMSNormalization axes [2, 1], epsilon 0.1", L.RMSNormalization(axis=[2, 1], epsilon=0.1), [normal(2, 3, 4) * 0.3]
    ),
    layer_case("rms_normalization", "RMSNormalization rank 2", L.RMSNormalization(epsilon=1e-3), [normal(3, 5)]),
    layer_case(
        "reversible_embedding",
        "ReversibleEmbedding forward, mask_zero, L2 on the embeddings",
        L.ReversibleEmbedding(7, 3, mask_zero=True, embeddings_regularizer=R.L2(0.1)),
        [np.array([[1, 2, 0], [6, 0, 0]], np.int32)],
    ),
    layer_case(
        "reversible_embedding",
        "ReversibleEmbedding reverse, tied",
        L.ReversibleEmbedding(7, 3, embeddings_regularizer=R.L1(0.05)),
        [normal(2, 4, 3)],
        {"reverse": True},
    ),
    layer_case(
        "reversible_embedding",
        "ReversibleEmbedding reverse, untied, logit_soft_cap 2",
        L.ReversibleEmbedding(6, 3, tie_weights=False, logit_soft_cap=2.0, embeddings_regularizer=R.L2(0.01)),
        [normal(2, 3) * 3],
        {"reverse": True},
    ),
]

for cls, shape, size, fmt in [
    (L.AdaptiveAveragePooling1D, (2, 7, 3), 3, "channels_last"),
    (L.AdaptiveAveragePooling1D, (2, 3, 5), 8, "channels_first"),
    (L.AdaptiveMaxPooling1D, (2, 10, 2), 4, "channels_last"),
    (L.AdaptiveMaxPooling1D, (2, 2, 3), 5, "channels_first"),
    (L.AdaptiveAveragePooling2D, (2, 5, 7, 2), (3, 4), "channels_last"),
    (L.AdaptiveAveragePooling2D, (1, 2, 6, 4), 3, "channels_first"),
    (L.AdaptiveMaxPooling2D, (2, 5, 7, 2), (2, 3), "channels_last"),
    (L.AdaptiveMaxPooling2D, (1, 2, 4, 3), (3, 5), "channels_first"),
    (L.AdaptiveAveragePooling3D, (1, 3, 5, 4, 2), (2, 3, 2), "channels_last"),
    (L.AdaptiveAveragePooling3D, (1, 2, 3, 4, 5), 2, "channels_first"),
    (L.AdaptiveMaxPooling3D, (1, 4, 3, 5, 2), (3, 2, 2), "channels_last"),
    (L.AdaptiveMaxPooling3D, (1, 2, 3, 3, 4), (2, 2, 3), "channels_first"),
]:
    layer = cls(size, data_format=fmt)
    cases.append(layer_case("adaptive_pooling", f"{cls.__name__} {shape} -> {size} {fmt}", layer, [normal(*shape)]))


# ---------------------------------------------------------------- .keras files


def masked_bilstm_attention():
    ids = keras.Input((6,), dtype="int32", name="ids")
    e = L.Embedding(9, 4, mask_zero=True, embeddings_regularizer=R.L2(0.01), name="embed")(ids)
    h = L.Bidirectional(L.LSTM(3, return_sequences=True, kernel_regularizer=R.L2(0.01)), name="bilstm")(e)
    a = L.Attention(use_scale=True, name="attention")([h, h])
    p = L.GlobalAveragePooling1D(name="pool")(a)
    y = L.Dense(1, kernel_regularizer=R.L2(0.02), name="head")(p)
    return keras.Model(ids, y, name="masked_bilstm_attention")


def tied_lm():
    ids = keras.Input((5,), dtype="int32", name="ids")
    embed = L.ReversibleEmbedding(11, 4, embeddings_regularizer=R.L2(0.01), name="embed")
    h = embed(ids)
    h = L.RMSNormalization(name="norm")(h)
    a = L.Attention(use_scale=True, score_mode="concat", name="self_attention")([h, h], use_causal_mask=True)
    b = L.AdditiveAttention(name="additive")([a, h])
    logits = embed(b, reverse=True)
    return keras.Model(ids, logits, name="tied_lm")


def adaptive_cnn():
    image = keras.Input((7, 6, 2), name="image")
    c = L.Conv2D(3, 2, kernel_regularizer=R.L2(0.01), name="conv")(image)
    m = L.AdaptiveMaxPooling2D((3, 2), name="max")(c)
    f = L.Permute((3, 1, 2), name="to_channels_first")(m)
    a = L.AdaptiveAveragePooling2D((2, 1), data_format="channels_first", name="avg")(f)
    s = L.Reshape((3, 2), name="seq")(a)
    s = L.AdaptiveAveragePooling1D(4, name="avg1d")(s)
    s = L.AdaptiveMaxPooling1D(2, name="max1d")(s)
    y = L.Dense(2, name="head")(L.Flatten(name="flat")(s))
    return keras.Model(image, y, name="adaptive_cnn")


def model_entry(name, model, x, y):
    for layer in model.layers:
        if layer.weights:
            set_random_weights(layer, 0.4)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    path = os.path.join(FILES, f"{name}.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
    entry = {
        "file": f"{name}.keras",
        "inputs": [tensor(x)],
        "outputs": [tensor(model.predict(x, verbose=0))],
        "expected_losses": [float(ops.convert_to_numpy(v)) for v in model.losses],
        "weight_paths": [w.path for w in model.weights],
        "initial_weights": weights_of(model),
        "layer_classes": [l["class_name"] for l in config["config"]["layers"]],
        "targets": tensor(y),
    }
    entry["train_on_batch"] = [{k: float(v) for k, v in model.train_on_batch(x, y, return_dict=True).items()} for _ in range(3)]
    entry["weights_after_training"] = weights_of(model)
    entry["outputs_after_training"] = [tensor(model.predict(x, verbose=0))]
    return entry


ids = np.array([[3, 1, 4, 1, 0, 0], [5, 8, 2, 6, 5, 3], [7, 0, 0, 0, 0, 0]], np.int32)
lm_ids = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 5, 0]], np.int32)
models = {
    "masked_bilstm_attention": model_entry("masked_bilstm_attention", masked_bilstm_attention(), ids, normal(3, 1)),
    "tied_lm": model_entry("tied_lm", tied_lm(), lm_ids, normal(2, 5, 11)),
    "adaptive_cnn": model_entry("adaptive_cnn", adaptive_cnn(), normal(2, 7, 6, 2), normal(2, 2)),
}

# A file with a Lambda layer: Keras itself refuses it in safe mode; this library refuses it always.
x = keras.Input((3,), name="x")
lambda_model = keras.Model(x, L.Dense(2, name="head")(L.Lambda(lambda t: t * 2.0, name="double")(x)))
lambda_model.save(os.path.join(FILES, "lambda_model.keras"))
try:
    keras.models.load_model(os.path.join(FILES, "lambda_model.keras"))
    keras_lambda_error = None
except ValueError as error:
    keras_lambda_error = str(error)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_more_layers_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "keras_lambda_error": keras_lambda_error,
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases, "models": models}, f, indent=1)
print(f"wrote {len(cases)} cases and {len(models)} models to {OUT}")
