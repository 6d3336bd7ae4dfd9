"""Generates test/fixtures/keras-conv-variants.json and test/fixtures/keras-conv-variants/ with real Keras 3.

The convolution variants: DepthwiseConv1D/2D, SeparableConv1D/2D and
Conv1D/2D/3DTranspose. For each `layer` case: Keras's config and JSON, the
input, the weights (random, set by hand), the output, `layer.losses`, the
output shape for an unknown batch axis, and, by jax.grad through
`stateless_call`, the gradients (input and every weight) of
  - `penalty`: sum(layer.losses), the weight and activity penalties alone;
  - `total`:   sum(output * r) + sum(layer.losses), for a fixed random r.
`output_shape` cases hold Keras's compute_output_shape alone (the transposed
convolutions' output-size rule); `training` cases, small Sequential models
trained three SGD steps by Keras (losses, and the weights after each step). The folder holds small Sequential models
saved as .keras files, and expected.json: an input, Keras's predictions and
the model's losses.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_conv_variants_fixtures.py
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

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-conv-variants.json")
MODELS = os.path.join(HERE, "..", "test", "fixtures", "keras-conv-variants")
rng = np.random.default_rng(20260601)
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def gradients(layer, x, r):
    """Gradients of sum(losses) and of sum(y * r) + sum(losses), for the input and each trainable weight."""
    trainable = [v.value for v in layer.trainable_variables]
    frozen = [v.value for v in layer.non_trainable_variables]

    def run(inputs, weights):
        # stateless_call runs `call`, not `__call__`: the weight penalties come back, the activity
        # penalty is added here as Keras's __call__ adds it (divided by the batch size).
        y, _, losses = layer.stateless_call(weights, frozen, inputs, return_losses=True)
        total = sum(losses) if losses else jnp.float32(0)
        if layer.activity_regularizer is not None:
            total = total + layer.activity_regularizer(y) / y.shape[0]
        return y, total

    def penalty(inputs, weights):
        return run(inputs, weights)[1]

    def total(inputs, weights):
        y, losses = run(inputs, weights)
        return jnp.sum(y * r) + losses

    # The penalty function computes exactly what layer.losses holds after a call.
    assert np.isclose(float(penalty(jnp.asarray(x), trainable)), sum(float(v) for v in layer.losses), rtol=1e-5)
    out = {}
    for name, f in (("penalty", penalty), ("total", total)):
        gx, gw = jax.grad(f, argnums=(0, 1))(jnp.asarray(x), trainable)
        out[name] = {"input": floats(gx), "weights": [floats(g) for g in gw]}
    return out


def layer_case(name, layer, input_shape):
    x = rng.standard_normal(input_shape).astype(np.float32)
    layer.build(input_shape)
    for variable in layer.weights:
        variable.assign(rng.standard_normal(variable.shape).astype(np.float32) * 0.5)
    y = layer(x)
    losses = [float(ops.convert_to_numpy(loss)) for loss in layer.losses]
    r = rng.standard_normal(y.shape).astype(np.float32)
    json_form = keras.saving.serialize_keras_object(layer)
    json_form.pop("build_config", None)
    symbolic = (None, *input_shape[1:])
    return {
        "name": name,
        "kind": "layer",
        "class_name": layer.__class__.__name__,
        "json": json_form,
        "weights": [
            {"name": v.name, "path": v.path, "shape": list(v.shape), "values": floats(v.numpy())} for v in layer.weights
        ],
        "input": tensor(x),
        "output": tensor(y),
        "losses": losses,
        "r": floats(r),
        "gradients": gradients(layer, x, r),
        "symbolic_input_shape": list(symbolic),
        "symbolic_output_shape": list(layer.compute_output_shape(symbolic)),
    }


def shape_case(name, layer, input_shape):
    """compute_output_shape alone, checked against a real call when every axis is known."""
    out = list(layer.compute_output_shape(input_shape))
    if None not in input_shape:
        assert list(layer(np.zeros(input_shape, np.float32)).shape) == out, name
    json_form = keras.saving.serialize_keras_object(layer)
    json_form.pop("build_config", None)
    return {"name": name, "kind": "output_shape", "json": json_form, "input_shape": list(input_shape), "output_shape": out}


cases = [
    # DepthwiseConv2D
    layer_case(
        "DepthwiseConv2D 3x3, every regularizer",
        L.DepthwiseConv2D(
            3,
            depthwise_regularizer=R.L2(0.1),
            bias_regularizer=R.L1(0.05),
            activity_regularizer=R.L2(0.01),
        ),
        (2, 6, 5, 3),
    ),
    layer_case(
        "DepthwiseConv2D (3, 2), depth_multiplier 2, same, strides 2, relu, L1L2",
        L.DepthwiseConv2D(
            (3, 2),
            strides=2,
            padding="same",
            depth_multiplier=2,
            activation="relu",
            depthwise_regularizer=R.L1L2(0.01, 0.02),
            activity_regularizer=R.L1(0.02),
        ),
        (2, 7, 6, 2),
    ),
    layer_case(
        "DepthwiseConv2D dilation 2, same, depth_multiplier 3, no bias, tanh",
        L.DepthwiseConv2D(3, dilation_rate=2, padding="same", depth_multiplier=3, use_bias=False, activation="tanh"),
        (1, 7, 6, 2),
    ),
    layer_case(
        "DepthwiseConv2D strides 2 and dilation 2 together",
        L.DepthwiseConv2D(3, strides=2, dilation_rate=2, padding="same", bias_regularizer=R.L2(0.3)),
        (1, 9, 8, 2),
    ),
    layer_case(
        "DepthwiseConv2D channels_first, strides (1, 2)",
        L.DepthwiseConv2D(
            2, strides=(1, 2), data_format="channels_first", depth_multiplier=2, depthwise_regularizer=R.L1(0.1)
        ),
        (2, 3, 5, 6),
    ),
    # DepthwiseConv1D
    layer_case(
        "DepthwiseConv1D k 3, depth_multiplier 2, every regularizer",
        L.DepthwiseConv1D(
            3,
            depth_multiplier=2,
            depthwise_regularizer=R.L2(0.05),
            bias_regularizer=R.L2(0.1),
            activity_regularizer=R.L1L2(0.01, 0.01),
        ),
        (2, 8, 3),
    ),
    layer_case(
        "DepthwiseConv1D same, strides 2, sigmoid",
        L.DepthwiseConv1D(4, strides=2, padding="same", activation="sigmoid"),
        (2, 9, 2),
    ),
    layer_case(
        "DepthwiseConv1D channels_first, dilation 2",
        L.DepthwiseConv1D(2, dilation_rate=2, data_format="channels_first", depthwise_regularizer=R.L2(0.2)),
        (2, 3, 8),
    ),
    # SeparableConv2D
    layer_case(
        "SeparableConv2D 3x3, depth_multiplier 2, every regularizer",
        L.SeparableConv2D(
            4,
            3,
            depth_multiplier=2,
            depthwise_regularizer=R.L2(0.1),
            pointwise_regularizer=R.L1(0.05),
            bias_regularizer=R.L2(0.2),
            activity_regularizer=R.L1(0.01),
        ),
        (2, 6, 5, 3),
    ),
    layer_case(
        "SeparableConv2D same, strides 2, relu",
        L.SeparableConv2D(
            3, (2, 3), strides=2, padding="same", activation="relu", pointwise_regularizer=R.L1L2(0.01, 0.03)
        ),
        (2, 7, 7, 2),
    ),
    layer_case(
        "SeparableConv2D dilation 2, no bias, channels_first",
        L.SeparableConv2D(2, 2, dilation_rate=2, use_bias=False, data_format="channels_first"),
        (1, 3, 6, 5),
    ),
    # SeparableConv1D
    layer_case(
        "SeparableConv1D k 3, every regularizer",
        L.SeparableConv1D(
            5,
            3,
            depthwise_regularizer=R.L1(0.02),
            pointwise_regularizer=R.L2(0.03),
            bias_regularizer=R.L1(0.1),
            activity_regularizer=R.L2(0.02),
        ),
        (2, 7, 3),
    ),
    layer_case(
        "SeparableConv1D same, strides 2, depth_multiplier 3, elu",
        L.SeparableConv1D(2, 3, strides=2, padding="same", depth_multiplier=3, activation="elu"),
        (3, 8, 2),
    ),
    # Conv2DTranspose
    layer_case(
        "Conv2DTranspose 3x3, strides 2, valid, every regularizer",
        L.Conv2DTranspose(
            3,
            3,
            strides=2,
            kernel_regularizer=R.L2(0.1),
            bias_regularizer=R.L1(0.1),
            activity_regularizer=R.L2(0.01),
        ),
        (2, 3, 4, 2),
    ),
    layer_case(
        "Conv2DTranspose 3x3, strides 2, same",
        L.Conv2DTranspose(2, 3, strides=2, padding="same", activation="relu", kernel_regularizer=R.L1(0.05)),
        (2, 3, 3, 3),
    ),
    layer_case(
        "Conv2DTranspose (4, 3), strides (2, 3), same, output_padding (1, 2)",
        L.Conv2DTranspose(2, (4, 3), strides=(2, 3), padding="same", output_padding=(1, 2)),
        (1, 3, 2, 2),
    ),
    layer_case(
        "Conv2DTranspose 2x2, strides 2, valid, output_padding 1",
        L.Conv2DTranspose(3, 2, strides=2, output_padding=1, kernel_regularizer=R.L1L2(0.01, 0.02)),
        (1, 2, 3, 2),
    ),
    layer_case(
        "Conv2DTranspose 3x3, dilation 2, same",
        L.Conv2DTranspose(2, 3, dilation_rate=2, padding="same", activity_regularizer=R.L1(0.05)),
        (1, 4, 5, 2),
    ),
    layer_case(
        "Conv2DTranspose 2x3, dilation (2, 1), valid",
        L.Conv2DTranspose(2, (2, 3), dilation_rate=(2, 1)),
        (1, 3, 3, 2),
    ),
    layer_case(
        "Conv2DTranspose 1x1 kernel, strides 3, valid (output (n-1)*s + max(k, s))",
        L.Conv2DTranspose(2, 1, strides=3),
        (1, 2, 3, 2),
    ),
    layer_case(
        "Conv2DTranspose channels_first, strides 2, same, no bias",
        L.Conv2DTranspose(2, 3, strides=2, padding="same", data_format="channels_first", use_bias=False),
        (2, 3, 3, 4),
    ),
    # Conv1DTranspose
    layer_case(
        "Conv1DTranspose k 3, strides 2, valid, every regularizer",
        L.Conv1DTranspose(
            3,
            3,
            strides=2,
            kernel_regularizer=R.L1(0.02),
            bias_regularizer=R.L2(0.05),
            activity_regularizer=R.L1L2(0.01, 0.02),
        ),
        (2, 4, 2),
    ),
    layer_case(
        "Conv1DTranspose k 4, strides 3, same, output_padding 2",
        L.Conv1DTranspose(2, 4, strides=3, padding="same", output_padding=2, activation="tanh"),
        (2, 3, 3),
    ),
    layer_case(
        "Conv1DTranspose k 3, dilation 3, same",
        L.Conv1DTranspose(2, 3, dilation_rate=3, padding="same"),
        (1, 5, 2),
    ),
    # Conv3DTranspose
    layer_case(
        "Conv3DTranspose k 2, strides 2, valid, every regularizer",
        L.Conv3DTranspose(
            2,
            2,
            strides=2,
            kernel_regularizer=R.L2(0.1),
            bias_regularizer=R.L1(0.2),
            activity_regularizer=R.L2(0.02),
        ),
        (1, 2, 3, 2, 2),
    ),
    layer_case(
        "Conv3DTranspose (3, 2, 3), strides (2, 1, 2), same, output_padding (1, 0, 1)",
        L.Conv3DTranspose(2, (3, 2, 3), strides=(2, 1, 2), padding="same", output_padding=(1, 0, 1)),
        (1, 2, 3, 2, 2),
    ),
    layer_case(
        "Conv3DTranspose channels_first, k 2, dilation 2, valid",
        L.Conv3DTranspose(1, 2, dilation_rate=2, data_format="channels_first", kernel_regularizer=R.L1(0.1)),
        (1, 2, 2, 3, 2),
    ),
    # Keras's transposed output-size rule, alone.
    shape_case("Conv2DTranspose valid, k 3, s 2", L.Conv2DTranspose(1, 3, strides=2), (None, 5, 4, 1)),
    shape_case("Conv2DTranspose valid, k 2, s 3", L.Conv2DTranspose(1, 2, strides=3), (None, 5, 4, 1)),
    shape_case("Conv2DTranspose same, k 3, s 2", L.Conv2DTranspose(1, 3, strides=2, padding="same"), (None, 5, 4, 1)),
    shape_case(
        "Conv2DTranspose same, k 4, s 2, output_padding 0",
        L.Conv2DTranspose(1, 4, strides=2, padding="same", output_padding=0),
        (2, 5, 4, 1),
    ),
    shape_case(
        "Conv2DTranspose same, k 5, s 3, output_padding 2",
        L.Conv2DTranspose(1, 5, strides=3, padding="same", output_padding=2),
        (2, 4, 3, 1),
    ),
    shape_case(
        "Conv2DTranspose valid, k 3, s 2, output_padding 1, unknown axis",
        L.Conv2DTranspose(1, 3, strides=2, output_padding=1),
        (None, None, 4, 1),
    ),
    shape_case(
        "Conv1DTranspose same, k 2, dilation 3, output_padding 0",
        L.Conv1DTranspose(1, 2, dilation_rate=3, padding="same", output_padding=0),
        (2, 5, 1),
    ),
    shape_case(
        "Conv3DTranspose valid, k (1, 2, 3), s (3, 2, 1)",
        L.Conv3DTranspose(1, (1, 2, 3), strides=(3, 2, 1)),
        (1, 2, 2, 2, 1),
    ),
    shape_case(
        "DepthwiseConv2D same, strides 3, depth_multiplier 2",
        L.DepthwiseConv2D(3, strides=3, padding="same", depth_multiplier=2),
        (None, 7, 5, 3),
    ),
    shape_case(
        "SeparableConv1D valid, dilation 2, channels_first",
        L.SeparableConv1D(4, 3, dilation_rate=2, data_format="channels_first"),
        (None, 3, 9),
    ),
]


# .keras files: a MobileNet-style block, a transposed-convolution decoder, the 1D and 3D variants.
MODEL_SPECS = {
    "mobilenet_block": (
        (8, 8, 3),
        [
            L.DepthwiseConv2D(
                3,
                padding="same",
                activation="relu",
                depthwise_regularizer=R.L2(0.01),
                activity_regularizer=R.L1(0.001),
            ),
            L.SeparableConv2D(
                4,
                3,
                strides=2,
                padding="same",
                depth_multiplier=2,
                activation="relu",
                depthwise_regularizer=R.L1(0.01),
                pointwise_regularizer=R.L2(0.02),
                bias_regularizer=R.L2(0.05),
            ),
            L.GlobalAveragePooling2D(),
            L.Dense(3),
        ],
    ),
    "decoder": (
        (3, 3, 4),
        [
            L.Conv2DTranspose(
                3,
                3,
                strides=2,
                padding="same",
                activation="relu",
                kernel_regularizer=R.L2(0.05),
                activity_regularizer=R.L2(0.01),
            ),
            L.Conv2DTranspose(1, 2, strides=2, output_padding=1, kernel_regularizer=R.L1L2(0.01, 0.01)),
        ],
    ),
    "sequence_1d": (
        (10, 2),
        [
            L.DepthwiseConv1D(3, depth_multiplier=2, depthwise_regularizer=R.L1(0.05), bias_regularizer=R.L2(0.1)),
            L.SeparableConv1D(3, 3, padding="same", pointwise_regularizer=R.L2(0.02), activity_regularizer=R.L1(0.01)),
            L.Conv1DTranspose(2, 3, strides=2, kernel_regularizer=R.L2(0.03)),
        ],
    ),
    "volume_3d": (
        (2, 2, 3, 2),
        [
            L.Conv3DTranspose(
                2,
                2,
                strides=2,
                padding="same",
                kernel_regularizer=R.L1L2(0.02, 0.02),
                bias_regularizer=R.L1(0.1),
                activity_regularizer=R.L2(0.01),
            ),
        ],
    ),
}

os.makedirs(MODELS, exist_ok=True)
model_rng = np.random.default_rng(20260602)
expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
for name, (shape, layer_list) in MODEL_SPECS.items():
    model = keras.Sequential([keras.Input(shape), *layer_list])
    model.set_weights([(model_rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = model_rng.standard_normal((3, *shape)).astype(np.float32)
    y = model(x, training=False)
    expected["models"][name] = {
        "input": tensor(x),
        "output": tensor(y),
        "losses": [float(ops.convert_to_numpy(loss)) for loss in model.losses],
    }
    model.save(os.path.join(MODELS, f"{name}.keras"))
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)



def training_case(name, shape, layer_list, steps=3):
    """A Sequential trained `steps` SGD steps on mse in Keras: the reported losses and the weights after each step."""
    model = keras.Sequential([keras.Input(shape), *layer_list])
    initial = [(model_rng.standard_normal(w.shape) * 0.3).astype(np.float32) for w in model.get_weights()]
    model.set_weights(initial)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    x = model_rng.standard_normal((4, *shape)).astype(np.float32)
    y = model_rng.standard_normal((4, *model.output_shape[1:])).astype(np.float32)
    losses, weights = [], []
    for _ in range(steps):
        losses.append(float(model.train_on_batch(x, y)))
        weights.append([floats(w) for w in model.get_weights()])
    return {
        "name": name,
        "kind": "training",
        "model": json.loads(model.to_json()),
        "initial_weights": [floats(w) for w in initial],
        "x": tensor(x),
        "y": tensor(y),
        "losses": losses,
        "weights_after_each_step": weights,
    }


cases.append(
    training_case(
        "MobileNet-style block, SGD",
        (6, 6, 4),
        [
            L.DepthwiseConv2D(3, padding="same", activation="relu", depthwise_regularizer=R.L2(0.01)),
            L.SeparableConv2D(
                4,
                3,
                padding="same",
                depth_multiplier=2,
                depthwise_regularizer=R.L1(0.01),
                pointwise_regularizer=R.L2(0.02),
                activity_regularizer=R.L2(0.01),
            ),
            L.DepthwiseConv2D(2, strides=2, depth_multiplier=2, bias_regularizer=R.L1L2(0.01, 0.01)),
        ],
    )
)
cases.append(
    training_case(
        "Transposed-convolution decoder, SGD",
        (2, 3, 4),
        [
            L.Conv2DTranspose(
                4, 3, strides=2, padding="same", activation="relu", kernel_regularizer=R.L2(0.02),
                activity_regularizer=R.L1(0.01),
            ),
            L.Conv2DTranspose(2, 2, strides=2, output_padding=1, kernel_regularizer=R.L1L2(0.01, 0.01)),
            L.Reshape((-1, 2)),
            L.Conv1DTranspose(3, 3, strides=2, padding="same", kernel_regularizer=R.L1(0.01)),
        ],
    )
)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_conv_variants_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "note": "'layer' cases: JSON (no build_config), weights, input, output, losses, gradients of sum(losses) "
    "('penalty') and of sum(output * r) + sum(losses) ('total') for the input and each trainable weight, and "
    "compute_output_shape with a None batch axis; 'output_shape' cases: compute_output_shape alone; "
    "'training' cases: a Sequential (to_json), its initial weights, x, y, and Keras's train_on_batch losses and "
    "weights after each SGD step.",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT} and {len(MODEL_SPECS)} models to {MODELS}")
