"""Generates test/fixtures/keras-attention.json and test/fixtures/keras-attention/*.keras with real Keras 3.

EinsumDense, MultiHeadAttention and GroupQueryAttention: for each case the
layer's config and JSON (as Keras writes them, build_config included), the
inputs and call arguments, the weights Keras's layer holds (path, shape,
values; set from a fixed rng so the numbers do not depend on initializers),
the outputs, `layer.losses` (in Keras's order), the symbolic output shape
(compute_output_spec on a None batch) and, for composite layers, the
`model.weights.h5` paths of each weight when the layer sits in a model.

The .keras files: a transformer encoder block (MultiHeadAttention,
Dropout, Add, LayerNormalization, Dense), a small model whose attention
mask is an Input, and a compiled classifier (MultiHeadAttention,
GroupQueryAttention, EinsumDense) with three SGD train_on_batch steps; the
"models" entries hold their inputs, predictions, losses, the datasets of
their model.weights.h5 (path and shape) and, for the classifier, the logs
and the weights after each step.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_attention_fixtures.py
"""

import json
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras.src.backend.common.masking import get_keras_mask, set_keras_mask  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-attention.json")
FILES = os.path.join(HERE, "..", "test", "fixtures", "keras-attention")
rng = np.random.default_rng(20260601)
os.makedirs(FILES, exist_ok=True)
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array)
    if array.dtype == bool:
        return {"shape": list(array.shape), "dtype": "bool", "values": [bool(v) for v in array.reshape(-1)]}
    return {"shape": list(array.shape), "dtype": "float32", "values": floats(array)}


def shape_json(shape):
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [list(s) for s in shape]
    return list(shape)


def set_random_weights(layer, scale=0.5):
    values = [(rng.standard_normal(tuple(w.shape)) * scale).astype(np.float32) for w in layer.weights]
    layer.set_weights(values)


def weights_of(layer):
    return [{"path": w.path, "shape": list(w.shape), "values": floats(ops.convert_to_numpy(w))} for w in layer.weights]


def h5_paths(model):
    """Every dataset of the model's model.weights.h5, by path, as Keras saves it."""
    path = os.path.join(FILES, "_probe.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z, open(path + ".h5", "wb") as f:
        f.write(z.read("model.weights.h5"))
    found = []
    with h5py.File(path + ".h5", "r") as f:
        f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) else None)
    os.remove(path)
    os.remove(path + ".h5")
    return sorted(found)


def json_of(layer):
    return json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))


def einsum_case(name, layer, input_shape):
    x = rng.standard_normal(input_shape).astype(np.float32)
    layer.build(input_shape)
    set_random_weights(layer)
    y = layer(x)
    losses = [float(ops.convert_to_numpy(loss)) for loss in layer.losses]
    symbolic = (None, *input_shape[1:])
    return {
        "name": name,
        "kind": "einsum_dense",
        "config": json.loads(json.dumps(layer.get_config())),
        "json": json_of(layer),
        "inputs": [tensor(x)],
        "weights": weights_of(layer),
        "outputs": [tensor(y)],
        "expected_losses": losses,
        "symbolic_input_shape": list(symbolic),
        "symbolic_output_shape": shape_json(layer.compute_output_shape(symbolic)),
    }


def attention_case(name, layer, shapes, kwargs=None, mask=None, keras_masks=None, training=False):
    """shapes: [query, value] or [query, value, key]; mask: an attention_mask array; keras_masks: the masks query and value carry."""
    kwargs = dict(kwargs or {})
    xs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    call_kwargs = dict(kwargs)
    if mask is not None:
        call_kwargs["attention_mask"] = mask
    args = [jnp.asarray(x) for x in xs[:2]]
    if len(xs) == 3:
        call_kwargs["key"] = jnp.asarray(xs[2])

    def with_masks():
        # Keras masks ride on the tensors (as an Embedding's would); the layer's call removes them, so set them anew.
        if keras_masks is not None:
            for x, m in zip(args, keras_masks):
                set_keras_mask(x, jnp.asarray(m))
        return args

    layer(*with_masks(), **call_kwargs)  # builds
    set_random_weights(layer)
    out = layer(*with_masks(), training=training, **call_kwargs)
    output_mask = None if keras_masks is None else get_keras_mask(out[0] if isinstance(out, tuple) else out)
    outs = list(out) if isinstance(out, tuple) else [out]
    losses = [float(ops.convert_to_numpy(loss)) for loss in layer.losses]
    # The h5 paths Keras gives this layer's weights inside a model.
    inputs = [keras.Input(s[1:]) for s in shapes]
    fresh = layer.__class__.from_config(layer.get_config())
    sym_kwargs = {k: v for k, v in kwargs.items() if k != "return_attention_scores"}
    if len(inputs) == 3:
        sym_kwargs["key"] = inputs[2]
    model = keras.Model(inputs, fresh(inputs[0], inputs[1], **sym_kwargs))
    symbolic = [(None, *s[1:]) for s in shapes]
    spec_args = [keras.KerasTensor(s) for s in symbolic]
    spec_kwargs = {"key": spec_args[2]} if len(spec_args) == 3 else {}
    spec = layer.compute_output_spec(
        spec_args[0], spec_args[1], return_attention_scores=kwargs.get("return_attention_scores", False), **spec_kwargs
    )
    specs = list(spec) if isinstance(spec, (list, tuple)) else [spec]
    return {
        "name": name,
        "kind": "attention",
        "class_name": layer.__class__.__name__,
        "config": json.loads(json.dumps(layer.get_config())),
        "json": json_of(layer),
        "inputs": [tensor(x) for x in xs],
        "call": {k: v for k, v in kwargs.items()},
        "attention_mask": None if mask is None else tensor(mask),
        "keras_masks": None if keras_masks is None else [tensor(m) for m in keras_masks],
        "output_mask": None if output_mask is None else tensor(np.asarray(output_mask)),
        "training": training,
        "weights": weights_of(layer),
        "outputs": [tensor(o) for o in outs],
        "expected_losses": losses,
        "h5_paths": h5_paths(model),
        "symbolic_input_shape": [list(s) for s in symbolic],
        "symbolic_output_shape": [list(s.shape) for s in specs],
    }


def mask_with_empty_row(batch, t, s):
    mask = rng.random((batch, t, s)) > 0.4
    mask[0, 1, :] = False  # query 1 of sample 0 may attend to nothing
    mask[:, :, 0] = mask[:, :, 0] | (np.arange(t) != 1)[None, :]
    return mask


cases = [
    einsum_case(
        "EinsumDense ab,bc->ac, bias c, every regularizer",
        L.EinsumDense(
            "ab,bc->ac",
            output_shape=5,
            bias_axes="c",
            kernel_regularizer=R.L1L2(0.01, 0.02),
            bias_regularizer=R.L2(0.1),
            activity_regularizer=R.L1(0.05),
        ),
        (3, 4),
    ),
    einsum_case(
        "EinsumDense abc,cd->abd, relu, output (None, 6)",
        L.EinsumDense("abc,cd->abd", output_shape=(None, 6), bias_axes="d", activation="relu", kernel_regularizer="l2"),
        (2, 3, 4),
    ),
    einsum_case(
        "EinsumDense ...b,bc->...c on rank 4",
        L.EinsumDense("...b,bc->...c", output_shape=4, bias_axes="c", activity_regularizer=R.L2(0.1)),
        (2, 3, 2, 5),
    ),
    einsum_case(
        "EinsumDense ab...,bc->ac... (right ellipsis), bias c",
        L.EinsumDense("ab...,bc->ac...", output_shape=4, bias_axes="c", bias_regularizer=R.L1(0.3)),
        (2, 3, 5),
    ),
    einsum_case(
        "EinsumDense abcd,cde->abe (two contracted axes)",
        L.EinsumDense("abcd,cde->abe", output_shape=(None, 5), bias_axes="e", kernel_regularizer=R.L1(0.02)),
        (2, 3, 2, 4),
    ),
    einsum_case(
        "EinsumDense abc,cde->abde (a query projection), bias de",
        L.EinsumDense(
            "abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de", kernel_regularizer=R.L2(0.05), bias_regularizer="l1"
        ),
        (2, 4, 6),
    ),
    einsum_case(
        "EinsumDense abcd,cde->abe, no bias, tanh",
        L.EinsumDense("abcd,cde->abe", output_shape=(None, 3), activation="tanh"),
        (2, 5, 2, 3),
    ),
    einsum_case(
        "EinsumDense ab,cb->ac (kernel read transposed), bias c",
        L.EinsumDense("ab,cb->ac", output_shape=3, bias_axes="c"),
        (4, 5),
    ),
    einsum_case(
        "EinsumDense abc,bcd->abd (b shared by input, kernel and output)",
        L.EinsumDense("abc,bcd->abd", output_shape=(3, 5), bias_axes="bd", kernel_regularizer=R.L1L2(0.01, 0.01)),
        (2, 3, 4),
    ),
    einsum_case(
        "EinsumDense abc,bcd->ad (contracts two axes), bias d",
        L.EinsumDense("abc,bcd->ad", output_shape=4, bias_axes="d"),
        (3, 2, 5),
    ),
    attention_case(
        "MHA self-attention, every regularizer",
        L.MultiHeadAttention(
            num_heads=2,
            key_dim=3,
            kernel_regularizer=R.L2(0.01),
            bias_regularizer=R.L1(0.02),
            activity_regularizer=R.L2(0.05),
        ),
        [(2, 5, 8), (2, 5, 8)],
    ),
    attention_case(
        # Scores returned: Keras's fused path on jax fails when value_dim differs from key_dim.
        "MHA cross-attention with key, value_dim 4, output_shape 3, scores returned",
        L.MultiHeadAttention(num_heads=3, key_dim=2, value_dim=4, output_shape=3, kernel_regularizer=R.L1L2(0.01, 0.02)),
        [(2, 4, 8), (2, 6, 7), (2, 6, 5)],
        kwargs={"return_attention_scores": True},
    ),
    attention_case(
        "MHA causal mask, scores returned",
        L.MultiHeadAttention(num_heads=2, key_dim=4),
        [(3, 5, 6), (3, 5, 6)],
        kwargs={"use_causal_mask": True, "return_attention_scores": True},
    ),
    attention_case(
        "MHA causal mask (fused path)",
        L.MultiHeadAttention(num_heads=2, key_dim=4, bias_regularizer=R.L2(0.3)),
        [(2, 5, 6), (2, 5, 6)],
        kwargs={"use_causal_mask": True},
    ),
    attention_case(
        "MHA attention mask with an empty row (fused path: uniform)",
        L.MultiHeadAttention(num_heads=2, key_dim=3),
        [(2, 4, 6), (2, 5, 6)],
        mask=mask_with_empty_row(2, 4, 5),
    ),
    attention_case(
        "MHA attention mask with an empty row, scores returned (zeros)",
        L.MultiHeadAttention(num_heads=2, key_dim=3),
        [(2, 4, 6), (2, 5, 6)],
        kwargs={"return_attention_scores": True},
        mask=mask_with_empty_row(2, 4, 5),
    ),
    attention_case(
        "MHA attention mask and causal mask, dropout 0.5 at inference",
        L.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5),
        [(2, 4, 6), (2, 4, 6)],
        kwargs={"use_causal_mask": True},
        mask=mask_with_empty_row(2, 4, 4),
    ),
    attention_case(
        "MHA attention_axes (1, 2) on rank 4, scores returned",
        L.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=(1, 2), kernel_regularizer=R.L2(0.01)),
        [(2, 3, 2, 5), (2, 3, 2, 5)],
        kwargs={"return_attention_scores": True},
    ),
    attention_case(
        "MHA attention_axes 2 on rank 4 (attends over axis 2 only)",
        L.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=2),
        [(2, 3, 4, 5), (2, 3, 4, 5)],
    ),
    attention_case(
        "MHA no bias, gate, sliding window 2, causal",
        L.MultiHeadAttention(num_heads=2, key_dim=3, use_bias=False, use_gate=True, sliding_window=2, kernel_regularizer="l1"),
        [(2, 6, 4), (2, 6, 4)],
        kwargs={"use_causal_mask": True},
    ),
    attention_case(
        "MHA output_shape (2, 3)",
        L.MultiHeadAttention(num_heads=2, key_dim=2, output_shape=(2, 3), activity_regularizer=R.L1(0.1)),
        [(2, 3, 4), (2, 3, 4)],
    ),
    attention_case(
        "MHA Keras masks on query and value (padding), fused path",
        L.MultiHeadAttention(num_heads=2, key_dim=3),
        [(2, 5, 4), (2, 5, 4)],
        keras_masks=(np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool), np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)),
    ),
    attention_case(
        "MHA Keras masks on query and value, causal, scores returned",
        L.MultiHeadAttention(num_heads=2, key_dim=3),
        [(2, 5, 4), (2, 5, 4)],
        kwargs={"use_causal_mask": True, "return_attention_scores": True},
        keras_masks=(np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool), np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)),
    ),
    attention_case(
        "GQA self-attention, every regularizer",
        L.GroupQueryAttention(
            head_dim=3,
            num_query_heads=4,
            num_key_value_heads=2,
            kernel_regularizer=R.L2(0.01),
            bias_regularizer=R.L1(0.02),
            activity_regularizer=R.L2(0.05),
        ),
        [(2, 5, 8), (2, 5, 8)],
    ),
    attention_case(
        "GQA cross-attention with key, causal, scores returned",
        L.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=1),
        [(2, 4, 6), (2, 5, 6), (2, 5, 3)],
        kwargs={"use_causal_mask": True, "return_attention_scores": True},
    ),
    attention_case(
        "GQA float mask with 0.3 entries (fused path: nonzero attends)",
        L.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=2),
        [(2, 4, 6), (2, 4, 6)],
        mask=rng.choice(np.array([0.0, 0.3, 1.0], np.float32), size=(2, 4, 4)),
    ),
    attention_case(
        "GQA float mask with 0.3 entries, scores returned (> 0.5 attends)",
        L.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=2),
        [(2, 4, 6), (2, 4, 6)],
        kwargs={"return_attention_scores": True},
        mask=rng.choice(np.array([0.0, 0.3, 1.0], np.float32), size=(2, 4, 4)),
    ),
    attention_case(
        "GQA Keras masks on query and value, fused path",
        L.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2),
        [(2, 5, 4), (2, 5, 4)],
        keras_masks=(np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], bool), np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)),
    ),
    attention_case(
        "GQA no bias, gate, sliding window 3, kernel L1",
        L.GroupQueryAttention(
            head_dim=2, num_query_heads=6, num_key_value_heads=3, use_bias=False, use_gate=True, sliding_window=3, kernel_regularizer="l1"
        ),
        [(2, 5, 4), (2, 5, 4)],
    ),
]


# ---------------------------------------------------------------- .keras files


def encoder_block():
    x = keras.Input((8, 16), name="tokens")
    attention = L.MultiHeadAttention(
        num_heads=2,
        key_dim=8,
        dropout=0.1,
        kernel_regularizer=R.L2(1e-3),
        bias_regularizer=R.L1(1e-3),
        activity_regularizer=R.L2(1e-4),
        name="self_attention",
    )(x, x, use_causal_mask=True)
    h = L.Add(name="residual_1")([x, L.Dropout(0.1, name="attention_dropout")(attention)])
    h = L.LayerNormalization(epsilon=1e-6, name="norm_1")(h)
    f = L.Dense(32, activation="relu", kernel_regularizer=R.L2(1e-3), name="ffn_1")(h)
    f = L.Dense(16, name="ffn_2")(f)
    h = L.Add(name="residual_2")([h, f])
    y = L.LayerNormalization(epsilon=1e-6, name="norm_2")(h)
    return keras.Model(x, y, name="encoder_block")


def masked_attention():
    q = keras.Input((4, 6), name="query")
    v = keras.Input((5, 6), name="value")
    m = keras.Input((4, 5), name="mask")
    out, scores = L.GroupQueryAttention(head_dim=3, num_query_heads=2, num_key_value_heads=1, name="gqa")(
        q, v, attention_mask=m, return_attention_scores=True
    )
    mha = L.MultiHeadAttention(num_heads=2, key_dim=3, kernel_regularizer=R.L1(1e-3), name="mha")(out, v, v)
    return keras.Model([q, v, m], [mha, scores], name="masked_attention")


def attention_classifier():
    """No dropout: its training steps are deterministic, so Keras's weights after them are the answer."""
    x = keras.Input((5, 8), name="tokens")
    a = L.MultiHeadAttention(
        num_heads=2,
        key_dim=4,
        kernel_regularizer=R.L2(0.01),
        bias_regularizer=R.L1(0.01),
        activity_regularizer=R.L1(0.001),
        name="mha",
    )(x, x, use_causal_mask=True)
    h = L.LayerNormalization(name="norm")(L.Add(name="residual")([x, a]))
    g = L.GroupQueryAttention(head_dim=4, num_query_heads=2, num_key_value_heads=1, kernel_regularizer=R.L1L2(0.001, 0.01), name="gqa")(h, h)
    e = L.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d", kernel_regularizer=R.L2(0.02), name="proj")(g)
    y = L.Dense(1, name="head")(L.GlobalAveragePooling1D(name="pool")(e))
    model = keras.Model(x, y, name="attention_classifier")
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return model


def training_entry(name, model, x, y):
    entry = model_entry(name, model, [x])
    entry["targets"] = tensor(y)
    entry["initial_weights"] = weights_of(model)
    entry["train_on_batch"] = [
        {k: float(v) for k, v in model.train_on_batch(x, y, return_dict=True).items()} for _ in range(3)
    ]
    entry["weights_after_training"] = weights_of(model)
    return entry


def model_entry(name, model, inputs):
    for layer in model.layers:
        if layer.weights:
            set_random_weights(layer, 0.3)
    path = os.path.join(FILES, f"{name}.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        with open(os.path.join(FILES, f"{name}.config.json"), "w") as f:
            json.dump(config, f, indent=1)
        h5 = os.path.join(FILES, "_weights.h5")
        with open(h5, "wb") as f:
            f.write(z.read("model.weights.h5"))
    by_path = {}
    with h5py.File(h5, "r") as f:
        f.visititems(lambda p, o: by_path.__setitem__(p, list(o.shape)) if isinstance(o, h5py.Dataset) else None)
    os.remove(h5)
    y = model(inputs if len(inputs) > 1 else inputs[0], training=False)
    ys = list(y) if isinstance(y, (list, tuple)) else [y]
    return {
        "file": f"{name}.keras",
        "inputs": [tensor(v) for v in inputs],
        "outputs": [tensor(v) for v in ys],
        "expected_losses": [float(ops.convert_to_numpy(v)) for v in model.losses],
        "weight_paths": [w.path for w in model.weights],
        "h5_datasets": by_path,
    }


block_input = rng.standard_normal((3, 8, 16)).astype(np.float32)
mask_inputs = [
    rng.standard_normal((2, 4, 6)).astype(np.float32),
    rng.standard_normal((2, 5, 6)).astype(np.float32),
    (rng.random((2, 4, 5)) > 0.3).astype(np.float32),
]
models = {
    "encoder_block": model_entry("encoder_block", encoder_block(), [block_input]),
    "masked_attention": model_entry("masked_attention", masked_attention(), mask_inputs),
    "attention_classifier": training_entry(
        "attention_classifier",
        attention_classifier(),
        rng.standard_normal((4, 5, 8)).astype(np.float32),
        rng.standard_normal((4, 1)).astype(np.float32),
    ),
}

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_attention_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "note": "weights are set from a fixed rng after build; 'weights' lists them in Keras's order with their paths.",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases, "models": models}, f, indent=1)
print(f"wrote {len(cases)} cases and {len(models)} models to {OUT}")
