"""Generates test/fixtures/keras-extra.json by running real Keras 3.

Cases the shared fixture file does not cover: Conv padding `causal`/`same`,
strides, dilation, `channels_first`, groups, rank-3 Dense inputs, each
activation, Orthogonal on a layer kernel, and layer configs. Each case has
the same form as the `layer` cases of keras-reference.json, so one test
reads both.

Python Keras is not a project dependency; CI reads the committed JSON.
    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras jax
    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/generate_keras_fixtures.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-extra.json")
rng = np.random.default_rng(20261124)


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def layer_case(name, layer, input_shape, note=None):
    x = rng.standard_normal(input_shape).astype(np.float32)
    layer.build(input_shape)
    weights = []
    for variable in layer.weights:
        value = rng.standard_normal(variable.shape).astype(np.float32) * 0.5
        variable.assign(value)
    for variable in layer.weights:
        weights.append(
            {
                "name": variable.name,
                "path": variable.path,
                "shape": list(variable.shape),
                "values": floats(variable.numpy()),
                "trainable": variable.trainable,
            }
        )
    y = layer(x)
    losses = [float(keras.ops.convert_to_numpy(loss)) for loss in layer.losses]
    case = {
        "name": name,
        "kind": "layer",
        "layer_class": layer.__class__.__name__,
        "layer_config": layer.get_config(),
        "weights": weights,
        "input": {"shape": list(input_shape), "values": floats(x)},
        "output": {"shape": list(y.shape), "values": floats(y)},
        "expected_losses": losses,
        "expected_sum_losses": float(sum(losses)),
    }
    if note:
        case["note"] = note
    return case


L = keras.layers
R = keras.regularizers
cases = [
    layer_case(
        "Conv1D causal k=3 dilation=2, kernel L2(0.1), activity L1(0.01)",
        L.Conv1D(3, 3, padding="causal", dilation_rate=2, kernel_regularizer=R.L2(0.1), activity_regularizer=R.L1(0.01)),
        (2, 7, 2),
    ),
    layer_case(
        "Conv1D causal k=2 strides=2, bias L1(0.2)",
        L.Conv1D(2, 2, padding="causal", strides=2, bias_regularizer=R.L1(0.2)),
        (3, 6, 3),
    ),
    layer_case(
        "Conv1D same strides=2 relu, activity L2(0.05)",
        L.Conv1D(4, 3, padding="same", strides=2, activation="relu", activity_regularizer=R.L2(0.05)),
        (2, 9, 3),
    ),
    layer_case(
        "Conv1D channels_first k=2, kernel L1L2(0.01,0.02)",
        L.Conv1D(3, 2, data_format="channels_first", kernel_regularizer=R.L1L2(0.01, 0.02)),
        (2, 4, 6),
    ),
    layer_case(
        "Conv1D groups=2, kernel L2(0.3)",
        L.Conv1D(4, 3, groups=2, kernel_regularizer=R.L2(0.3)),
        (2, 8, 4),
    ),
    layer_case(
        "Conv2D dilation=2 same, kernel L2(0.2)",
        L.Conv2D(3, (3, 2), padding="same", dilation_rate=2, kernel_regularizer=R.L2(0.2)),
        (2, 6, 5, 2),
    ),
    layer_case(
        "Conv2D strides=(2,1) valid sigmoid, activity L1(0.02)",
        L.Conv2D(2, 3, strides=(2, 1), activation="sigmoid", activity_regularizer=R.L1(0.02)),
        (2, 7, 6, 3),
    ),
    layer_case(
        "Conv2D channels_first same tanh, kernel L1(0.05), bias L2(0.5)",
        L.Conv2D(
            2, 3, padding="same", data_format="channels_first", activation="tanh",
            kernel_regularizer=R.L1(0.05), bias_regularizer=R.L2(0.5),
        ),
        (2, 3, 5, 4),
    ),
    layer_case(
        "Conv2D groups=3, activity L2(0.01)",
        L.Conv2D(6, 2, groups=3, activity_regularizer=R.L2(0.01)),
        (1, 4, 4, 3),
    ),
    layer_case(
        "Conv3D same strides=2, kernel L2(0.1), activity L1(0.01)",
        L.Conv3D(2, 2, padding="same", strides=2, kernel_regularizer=R.L2(0.1), activity_regularizer=R.L1(0.01)),
        (2, 5, 4, 3, 2),
    ),
    layer_case(
        "Conv3D dilation=2 valid elu, kernel L1L2(0.02,0.01)",
        L.Conv3D(3, 2, dilation_rate=2, activation="elu", kernel_regularizer=R.L1L2(0.02, 0.01)),
        (1, 5, 5, 4, 2),
    ),
    layer_case(
        "Conv3D channels_first, bias L1(0.1), activity L2(0.02)",
        L.Conv3D(2, (2, 1, 2), data_format="channels_first", bias_regularizer=R.L1(0.1), activity_regularizer=R.L2(0.02)),
        (2, 2, 3, 3, 4),
    ),
    layer_case(
        "Dense rank-3 input, activity L2(0.1) divided by the output's first axis",
        L.Dense(3, activity_regularizer=R.L2(0.1), kernel_regularizer=R.L1(0.01)),
        (4, 2, 5),
    ),
    layer_case(
        "Dense kernel Orthogonal(0.2, rows), activity Orthogonal(0.1, columns)",
        L.Dense(
            4,
            kernel_regularizer=R.OrthogonalRegularizer(0.2, "rows"),
            activity_regularizer=R.OrthogonalRegularizer(0.1, "columns"),
        ),
        (5, 6),
    ),
]
for activation in [
    "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu",
    "softplus", "softsign", "silu", "gelu", "exponential", "leaky_relu", "mish",
]:
    cases.append(
        layer_case(
            f"Dense activation={activation}, activity L1(0.05)",
            L.Dense(4, activation=activation, activity_regularizer=R.L1(0.05)),
            (3, 5),
        )
    )

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "note": "Same form as the 'layer' cases of keras-reference.json. Keras >= 3.14 divides activity penalties by the output's first axis.",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
