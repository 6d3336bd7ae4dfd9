"""Generates test/fixtures/keras-shape-layers.json and test/fixtures/keras-shape-layers/*.keras with real Keras 3.

The pooling layers (MaxPooling, AveragePooling, GlobalMaxPooling,
GlobalAveragePooling, 1D/2D/3D), UpSampling1D/2D/3D, ZeroPadding1D/2D/3D,
Cropping1D/2D/3D and SpatialDropout1D/2D/3D.

'call' cases: Keras's config and JSON (no build_config), an input, the
output, the input gradient of sum(output * r) for a fixed random r (by
jax.grad through the layer), and compute_output_shape with an unknown (None)
batch axis. 'output_shape' cases hold compute_output_shape alone, for shapes
with unknown spatial axes. The .keras files are small models holding the
layers, saved with random weights; expected.json has an input, Keras's
predictions and the model's `losses` after that call (and, for the
Functional model, its weights by path).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_shape_fixtures.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-shape-layers.json")
MODELS = os.path.join(ROOT, "keras-shape-layers")
rng = np.random.default_rng(20260601)
L = keras.layers
R = keras.regularizers
CF = "channels_first"


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def call_case(name, layer, shape, gradient=True, mask=None):
    """`mask`: a (batch, steps) bool mask given to the call (GlobalAveragePooling1D)."""
    x = rng.standard_normal(shape).astype(np.float32)
    kwargs = {} if mask is None else {"mask": np.array(mask, dtype=bool)}
    y = np.asarray(layer(x, **kwargs))
    case = {
        "name": name,
        "kind": "call",
        "class_name": layer.__class__.__name__,
        "config": layer.get_config(),
        "json": {k: v for k, v in keras.saving.serialize_keras_object(layer).items() if k != "build_config"},
        "input": {"shape": list(shape), "values": floats(x)},
        "output": {"shape": list(y.shape), "values": floats(y)},
        "symbolic_input_shape": [None, *shape[1:]],
        "symbolic_output_shape": list(layer.compute_output_shape((None, *shape[1:]))),
    }
    if mask is not None:
        case["mask"] = {"shape": list(np.shape(mask)), "values": [bool(v) for v in np.reshape(mask, -1)]}
    if gradient:
        r = rng.standard_normal(y.shape).astype(np.float32)
        grad = jax.grad(lambda v: jnp.sum(layer(v, **kwargs) * r))(jnp.asarray(x))
        case["cotangent"] = floats(r)
        case["gradient"] = floats(grad)
    return case


def shape_case(name, layer, input_shape):
    return {
        "name": name,
        "kind": "output_shape",
        "class_name": layer.__class__.__name__,
        "config": layer.get_config(),
        "input_shape": list(input_shape),
        "output_shape": list(layer.compute_output_shape(input_shape)),
    }


cases = [
    call_case("MaxPooling1D defaults", L.MaxPooling1D(), (2, 7, 3)),
    call_case("MaxPooling1D pool 3, strides 2, same", L.MaxPooling1D(3, strides=2, padding="same"), (2, 8, 3)),
    call_case("MaxPooling1D channels_first", L.MaxPooling1D(2, data_format=CF), (2, 3, 7)),
    call_case("MaxPooling2D defaults", L.MaxPooling2D(), (2, 5, 5, 3)),
    call_case("MaxPooling2D pool (3, 2), strides (2, 1), same", L.MaxPooling2D((3, 2), (2, 1), "same"), (2, 7, 6, 2)),
    call_case("MaxPooling2D channels_first", L.MaxPooling2D(data_format=CF), (2, 3, 6, 5)),
    call_case("MaxPooling3D defaults", L.MaxPooling3D(), (1, 4, 5, 4, 2)),
    call_case("MaxPooling3D pool 3, strides 2, same", L.MaxPooling3D(3, 2, "same"), (1, 5, 6, 7, 2)),
    call_case("MaxPooling3D channels_first, pool (2, 1, 2)", L.MaxPooling3D((2, 1, 2), data_format=CF), (1, 2, 4, 3, 4)),
    call_case("AveragePooling1D pool 2", L.AveragePooling1D(2), (2, 7, 3)),
    call_case("AveragePooling1D pool 3, strides 2, same", L.AveragePooling1D(3, strides=2, padding="same"), (2, 8, 3)),
    call_case("AveragePooling1D channels_first, strides 1", L.AveragePooling1D(3, strides=1, data_format=CF), (2, 3, 6)),
    call_case("AveragePooling2D pool 2", L.AveragePooling2D(2), (2, 5, 4, 3)),
    call_case("AveragePooling2D pool 3, strides 2, same", L.AveragePooling2D(3, 2, "same"), (2, 7, 6, 2)),
    call_case("AveragePooling2D channels_first, pool (2, 3), same", L.AveragePooling2D((2, 3), padding="same", data_format=CF), (1, 2, 5, 7)),
    call_case("AveragePooling3D pool 2", L.AveragePooling3D(2), (1, 4, 5, 4, 2)),
    call_case("AveragePooling3D pool 3, strides 2, same", L.AveragePooling3D(3, 2, "same"), (1, 5, 6, 7, 2)),
    call_case("AveragePooling3D channels_first, strides 1", L.AveragePooling3D(2, strides=1, data_format=CF), (1, 2, 3, 4, 3)),
    call_case("GlobalMaxPooling1D", L.GlobalMaxPooling1D(), (2, 5, 3)),
    call_case("GlobalMaxPooling1D channels_first, keepdims", L.GlobalMaxPooling1D(data_format=CF, keepdims=True), (2, 3, 5)),
    call_case("GlobalMaxPooling2D keepdims", L.GlobalMaxPooling2D(keepdims=True), (2, 4, 3, 3)),
    call_case("GlobalMaxPooling2D channels_first", L.GlobalMaxPooling2D(data_format=CF), (2, 3, 4, 3)),
    call_case("GlobalMaxPooling3D", L.GlobalMaxPooling3D(), (2, 3, 2, 4, 3)),
    call_case("GlobalMaxPooling3D channels_first, keepdims", L.GlobalMaxPooling3D(data_format=CF, keepdims=True), (2, 3, 3, 2, 2)),
    call_case("GlobalAveragePooling1D", L.GlobalAveragePooling1D(), (2, 5, 3)),
    call_case("GlobalAveragePooling1D channels_first, keepdims", L.GlobalAveragePooling1D(data_format=CF, keepdims=True), (2, 3, 5)),
    call_case(
        "GlobalAveragePooling1D with a mask",
        L.GlobalAveragePooling1D(),
        (3, 4, 2),
        mask=[[True, True, False, False], [True, False, True, True], [True, True, True, True]],
    ),
    call_case(
        "GlobalAveragePooling1D channels_first, keepdims, with a mask",
        L.GlobalAveragePooling1D(data_format=CF, keepdims=True),
        (2, 3, 4),
        mask=[[False, True, True, False], [True, True, True, False]],
    ),
    call_case("GlobalAveragePooling2D", L.GlobalAveragePooling2D(), (2, 4, 3, 3)),
    call_case("GlobalAveragePooling2D channels_first, keepdims", L.GlobalAveragePooling2D(data_format=CF, keepdims=True), (2, 3, 4, 3)),
    call_case("GlobalAveragePooling3D keepdims", L.GlobalAveragePooling3D(keepdims=True), (2, 3, 2, 4, 3)),
    call_case("GlobalAveragePooling3D channels_first", L.GlobalAveragePooling3D(data_format=CF), (2, 3, 3, 2, 2)),
    call_case("UpSampling1D defaults", L.UpSampling1D(), (2, 4, 3)),
    call_case("UpSampling1D size 3", L.UpSampling1D(3), (2, 3, 2)),
    call_case("UpSampling2D defaults", L.UpSampling2D(), (2, 3, 2, 2)),
    call_case("UpSampling2D size (2, 3)", L.UpSampling2D((2, 3)), (1, 2, 3, 2)),
    call_case("UpSampling2D channels_first, size (3, 1)", L.UpSampling2D((3, 1), data_format=CF), (2, 2, 2, 3)),
    call_case("UpSampling2D bilinear", L.UpSampling2D(interpolation="bilinear"), (2, 3, 4, 2)),
    call_case("UpSampling2D bilinear, size (3, 2)", L.UpSampling2D((3, 2), interpolation="bilinear"), (1, 4, 3, 2)),
    call_case("UpSampling2D bilinear, channels_first, size (2, 3)", L.UpSampling2D((2, 3), data_format=CF, interpolation="bilinear"), (1, 2, 3, 3)),
    call_case("UpSampling3D defaults", L.UpSampling3D(), (1, 2, 3, 2, 2)),
    call_case("UpSampling3D size (1, 2, 3)", L.UpSampling3D((1, 2, 3)), (2, 2, 2, 2, 1)),
    call_case("UpSampling3D channels_first", L.UpSampling3D((2, 1, 2), data_format=CF), (1, 2, 2, 3, 2)),
    call_case("ZeroPadding1D defaults", L.ZeroPadding1D(), (2, 3, 2)),
    call_case("ZeroPadding1D (2, 0)", L.ZeroPadding1D((2, 0)), (2, 3, 2)),
    call_case("ZeroPadding1D channels_first, 2", L.ZeroPadding1D(2, data_format=CF), (2, 2, 3)),
    call_case("ZeroPadding2D defaults", L.ZeroPadding2D(), (2, 2, 3, 2)),
    call_case("ZeroPadding2D (1, 2)", L.ZeroPadding2D((1, 2)), (1, 2, 2, 2)),
    call_case("ZeroPadding2D ((1, 2), (0, 3))", L.ZeroPadding2D(((1, 2), (0, 3))), (1, 2, 2, 2)),
    call_case("ZeroPadding2D channels_first, 2", L.ZeroPadding2D(2, data_format=CF), (1, 2, 2, 3)),
    call_case("ZeroPadding3D defaults", L.ZeroPadding3D(), (1, 2, 2, 2, 2)),
    call_case("ZeroPadding3D ((1, 0), (0, 2), 1)", L.ZeroPadding3D(((1, 0), (0, 2), 1)), (1, 2, 2, 3, 1)),
    call_case("ZeroPadding3D channels_first, (1, 0, 2)", L.ZeroPadding3D((1, 0, 2), data_format=CF), (1, 2, 2, 2, 2)),
    call_case("Cropping1D defaults", L.Cropping1D(), (2, 5, 3)),
    call_case("Cropping1D (2, 0)", L.Cropping1D((2, 0)), (2, 5, 3)),
    call_case("Cropping1D 1", L.Cropping1D(1), (2, 4, 2)),
    call_case("Cropping2D defaults", L.Cropping2D(), (1, 3, 3, 2)),
    call_case("Cropping2D 1", L.Cropping2D(1), (2, 4, 5, 2)),
    call_case("Cropping2D (1, 2)", L.Cropping2D((1, 2)), (1, 4, 6, 2)),
    call_case("Cropping2D ((1, 0), (0, 2))", L.Cropping2D(((1, 0), (0, 2))), (1, 4, 5, 2)),
    call_case("Cropping2D channels_first, ((0, 1), (2, 1))", L.Cropping2D(((0, 1), (2, 1)), data_format=CF), (1, 2, 4, 5)),
    call_case("Cropping3D defaults", L.Cropping3D(), (1, 3, 4, 5, 2)),
    call_case("Cropping3D ((1, 0), (0, 2), 1)", L.Cropping3D(((1, 0), (0, 2), 1)), (1, 3, 4, 3, 1)),
    call_case("Cropping3D channels_first, (0, 1, 1)", L.Cropping3D((0, 1, 1), data_format=CF), (1, 2, 2, 3, 4)),
    call_case("SpatialDropout1D, inference", L.SpatialDropout1D(0.3), (2, 3, 4), gradient=False),
    call_case("SpatialDropout2D, inference", L.SpatialDropout2D(0.5, seed=7), (2, 3, 3, 2), gradient=False),
    call_case("SpatialDropout2D channels_first, inference", L.SpatialDropout2D(0.2, data_format=CF), (2, 2, 3, 3), gradient=False),
    call_case("SpatialDropout3D, inference", L.SpatialDropout3D(0.25), (1, 2, 2, 2, 3), gradient=False),
    call_case("SpatialDropout3D channels_first, inference", L.SpatialDropout3D(0.1, data_format=CF), (1, 3, 2, 2, 2), gradient=False),
    shape_case("MaxPooling2D, unknown rows", L.MaxPooling2D(), (None, None, 5, 3)),
    shape_case("AveragePooling1D same, unknown steps", L.AveragePooling1D(3, padding="same"), (None, None, 4)),
    shape_case("MaxPooling3D channels_first, unknown axes", L.MaxPooling3D(data_format=CF), (None, 2, None, 5, None)),
    shape_case("GlobalAveragePooling2D keepdims, unknown axes", L.GlobalAveragePooling2D(keepdims=True), (None, None, None, 3)),
    shape_case("GlobalMaxPooling1D channels_first, unknown channels", L.GlobalMaxPooling1D(data_format=CF), (None, None, 5)),
    shape_case("UpSampling1D, unknown steps", L.UpSampling1D(3), (None, None, 4)),
    shape_case("UpSampling2D, unknown rows", L.UpSampling2D((2, 3)), (None, None, 4, 3)),
    shape_case("UpSampling3D channels_first, unknown axes", L.UpSampling3D(data_format=CF), (None, 2, None, 3, None)),
    shape_case("ZeroPadding1D, unknown steps", L.ZeroPadding1D(2), (None, None, 4)),
    shape_case("ZeroPadding2D, unknown axes", L.ZeroPadding2D(((1, 2), (3, 4))), (None, None, 5, None)),
    shape_case("ZeroPadding3D channels_first, unknown axes", L.ZeroPadding3D(1, data_format=CF), (None, None, 3, None, 2)),
    shape_case("Cropping1D, unknown steps", L.Cropping1D(2), (None, None, 4)),
    shape_case("Cropping2D, unknown rows", L.Cropping2D(((1, 1), (2, 0))), (None, None, 5, 2)),
    shape_case("Cropping3D channels_first, unknown axes", L.Cropping3D(1, data_format=CF), (None, 2, None, 4, None)),
    shape_case("SpatialDropout2D, unknown axes", L.SpatialDropout2D(0.5), (None, None, None, 3)),
]


def model_1d():
    return keras.Sequential(
        [
            keras.Input((10, 3)),
            L.ZeroPadding1D((1, 2)),
            L.Conv1D(4, 3, kernel_regularizer=R.L2(0.01), activity_regularizer=R.L1(0.01)),
            L.MaxPooling1D(2),
            L.UpSampling1D(2),
            L.Cropping1D((1, 0)),
            L.SpatialDropout1D(0.2),
            L.AveragePooling1D(3, strides=2, padding="same"),
            L.GlobalAveragePooling1D(keepdims=True),
            L.GlobalMaxPooling1D(),
            L.Dense(2),
        ],
        name="shape_layers_1d",
    )


def model_2d():
    return keras.Sequential(
        [
            keras.Input((8, 8, 2)),
            L.ZeroPadding2D(((1, 0), (0, 1))),
            L.Conv2D(3, 3, kernel_regularizer=R.L1L2(0.01, 0.01)),
            L.AveragePooling2D(2, strides=1, padding="same"),
            L.MaxPooling2D(2, padding="same"),
            L.UpSampling2D((1, 2)),
            L.UpSampling2D(2, interpolation="bilinear"),
            L.Cropping2D(((1, 1), (0, 2))),
            L.SpatialDropout2D(0.3),
            L.GlobalMaxPooling2D(keepdims=True),
            L.GlobalAveragePooling2D(keepdims=True),
            L.Flatten(),
            L.Dense(2, bias_regularizer=R.L2(0.1)),
        ],
        name="shape_layers_2d",
    )


def model_3d():
    return keras.Sequential(
        [
            keras.Input((6, 6, 6, 1)),
            L.ZeroPadding3D(1),
            L.Conv3D(2, 3, kernel_regularizer=R.L2(0.05)),
            L.MaxPooling3D(2),
            L.UpSampling3D((1, 2, 2)),
            L.Cropping3D(((0, 1), (1, 1), (1, 1))),
            L.AveragePooling3D(2, padding="same"),
            L.SpatialDropout3D(0.1),
            L.GlobalAveragePooling3D(keepdims=True),
            L.GlobalMaxPooling3D(),
            L.Dense(1),
        ],
        name="shape_layers_3d",
    )


def model_channels_first():
    return keras.Sequential(
        [
            keras.Input((3, 9, 8)),
            L.ZeroPadding2D(1, data_format=CF),  # (3, 11, 10)
            L.MaxPooling2D(2, data_format=CF),  # (3, 5, 5)
            L.UpSampling2D(2, data_format=CF, interpolation="bilinear"),  # (3, 10, 10)
            L.Cropping2D(((1, 0), (2, 1)), data_format=CF),  # (3, 9, 7)
            L.AveragePooling2D(3, strides=2, padding="same", data_format=CF),  # (3, 5, 4)
            L.SpatialDropout2D(0.5, data_format=CF),
            L.Reshape((3, 20)),
            L.ZeroPadding1D((0, 2), data_format=CF),  # (3, 22)
            L.MaxPooling1D(4, data_format=CF),  # (3, 5)
            L.UpSampling1D(2),  # (6, 5): steps are axis 1 whatever the layout
            L.GlobalAveragePooling1D(data_format=CF),  # (6,)
            L.Dense(2, kernel_regularizer=R.L2(0.05)),
        ],
        name="shape_layers_channels_first",
    )


def model_masked_mean():
    """Embedding(mask_zero) -> SpatialDropout1D (passes the mask on) -> GlobalAveragePooling1D: the mean over real steps."""
    return keras.Sequential(
        [
            keras.Input((6,), dtype="int32"),
            L.Embedding(10, 4, mask_zero=True),
            L.SpatialDropout1D(0.2),
            L.GlobalAveragePooling1D(),
            L.Dense(2, activity_regularizer=R.L1(0.1)),
        ],
        name="shape_layers_masked_mean",
    )


def model_functional():
    """A Functional graph of channels-first layers, global poolings merged: built here from Keras's config."""
    x = keras.Input((3, 9, 8), name="image")
    h = L.ZeroPadding2D(1, data_format=CF)(x)  # (3, 11, 10)
    h = L.MaxPooling2D(2, data_format=CF)(h)  # (3, 5, 5)
    h = L.UpSampling2D(2, data_format=CF)(h)  # (3, 10, 10)
    h = L.Cropping2D(((1, 0), (2, 1)), data_format=CF)(h)  # (3, 9, 7)
    h = L.AveragePooling2D(3, strides=2, padding="same", data_format=CF)(h)  # (3, 5, 4)
    h = L.SpatialDropout2D(0.5, data_format=CF)(h)
    steps = L.Reshape((3, 20))(h)
    a = L.GlobalAveragePooling2D(data_format=CF)(h)
    b = L.GlobalMaxPooling2D(data_format=CF, keepdims=True)(h)
    c = L.GlobalAveragePooling1D(data_format=CF)(steps)
    d = L.MaxPooling1D(4, data_format=CF)(steps)  # (3, 5)
    merged = L.Concatenate()([a, L.Flatten()(b), c, L.GlobalMaxPooling1D(data_format=CF)(d)])
    out = L.Dense(2, kernel_regularizer=R.L2(0.05), activity_regularizer=R.L2(0.01), name="out")(merged)
    return keras.Model(x, out, name="shape_layers_functional")


os.makedirs(MODELS, exist_ok=True)
expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
for build in (model_1d, model_2d, model_3d, model_channels_first, model_masked_mean, model_functional):
    model = build()
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    shape = model.inputs[0].shape[1:]
    if build is model_masked_mean:
        # Token ids, 0 the padding that the mask leaves out; the last sample is all padding but one step.
        x = np.array([[3, 5, 1, 0, 0, 0], [9, 2, 2, 7, 4, 0], [0, 0, 0, 0, 0, 6]], dtype=np.int32)
    else:
        x = rng.standard_normal((3, *shape)).astype(np.float32)
    y = model(x, training=False)
    losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
    model.save(os.path.join(MODELS, f"{model.name}.keras"))
    expected["models"][model.name] = {
        "input": {"shape": list(x.shape), "values": floats(x), "dtype": str(x.dtype)},
        "output": {"shape": list(y.shape), "values": floats(y)},
        "losses": losses,
    }
    if build is model_functional:
        # No .keras loader for Functional models here yet: the test builds it from config.json and these weights.
        expected["models"][model.name]["weights"] = [
            {"path": w.path, "shape": list(w.shape), "values": floats(w)} for w in model.weights
        ]
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_shape_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "note": "'call' cases: input, inference output, the input gradient of sum(output * cotangent) (jax.grad), config, JSON (no build_config) and compute_output_shape with a None batch axis; 'output_shape' cases: compute_output_shape alone.",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT} and {len(expected['models'])} models to {MODELS}")
