"""Generates test/fixtures/keras-conv-lstm.json and test/fixtures/keras-conv-lstm/ with real Keras 3.

ConvLSTM1D, ConvLSTM2D and ConvLSTM3D. For each `layer` case: Keras's JSON,
the input (with a mask or initial states where the case has them), the
weights (random from a seeded generator, set with set_weights), every
output, `layer.losses`, the output shapes for an unknown batch axis, and, by
jax.grad through `stateless_call`, the gradients (input and every weight) of
  - `penalty`: sum(layer.losses), the weight and activity penalties alone;
  - `total`:   sum over outputs of sum(output * r) + sum(layer.losses), for fixed random r.
Masked cases run Keras with `unroll=True`: Keras's JAX scan broadcasts the
(batch, 1) step mask against the (batch, ...spatial, filters) states by
trailing axes (an error, or a wrong answer when an axis happens to equal the
batch); its unrolled loop applies it per sample, as the other backends do.

The folder holds two small Sequential models saved as .keras files, and
expected.json: an input and targets, Keras's predictions, `losses`,
evaluate(), and three SGD train_on_batch steps (losses and the weights after
each step).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_conv_lstm_fixtures.py
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
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-conv-lstm.json")
MODELS = os.path.join(HERE, "..", "test", "fixtures", "keras-conv-lstm")
rng = np.random.default_rng(20260613)
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def gradients(layer, x, call_kwargs, rs):
    """Gradients of sum(losses) and of sum(y * r) + sum(losses), for the input and each trainable weight."""
    trainable = [v.value for v in layer.trainable_variables]
    frozen = [v.value for v in layer.non_trainable_variables]

    def run(inputs, weights):
        # stateless_call runs `call`, not `__call__`: the weight penalties come back, the activity
        # penalty is added here as Keras's __call__ adds it (per output, divided by the batch size).
        y, _, losses = layer.stateless_call(weights, frozen, inputs, return_losses=True, **call_kwargs)
        total = sum(losses) if losses else jnp.float32(0)
        if layer.activity_regularizer is not None:
            for output in as_list(y):
                total = total + layer.activity_regularizer(output) / output.shape[0]
        return as_list(y), total

    def penalty(inputs, weights):
        return run(inputs, weights)[1]

    def total(inputs, weights):
        ys, losses = run(inputs, weights)
        return sum(jnp.sum(y * r) for y, r in zip(ys, rs)) + losses

    # The penalty function computes exactly what layer.losses holds after a call.
    assert np.isclose(float(penalty(jnp.asarray(x), trainable)), sum(float(v) for v in layer.losses), rtol=1e-5)
    out = {}
    for name, f in (("penalty", penalty), ("total", total)):
        gx, gw = jax.grad(f, argnums=(0, 1))(jnp.asarray(x), trainable)
        out[name] = {"input": floats(gx), "weights": [floats(g) for g in gw]}
    return out


def layer_case(name, layer, input_shape, mask=None, initial_state=False):
    x = rng.standard_normal(input_shape).astype(np.float32)
    layer.build(input_shape)
    weights = [(rng.standard_normal(w.shape) * 0.5).astype(np.float32) for w in layer.get_weights()]
    layer.set_weights(weights)
    kwargs = {}
    states = None
    if mask is not None:
        kwargs["mask"] = np.asarray(mask, bool)
    if initial_state:
        state_shape = layer.cell.compute_output_shape((input_shape[0], *input_shape[2:]))[0]
        states = [rng.standard_normal(state_shape).astype(np.float32) for _ in range(2)]
        kwargs["initial_state"] = states
    y = layer(x, **kwargs)
    ys = [ops.convert_to_numpy(t) for t in as_list(y)]
    losses = [float(ops.convert_to_numpy(loss)) for loss in layer.losses]
    rs = [rng.standard_normal(t.shape).astype(np.float32) for t in ys]
    json_form = keras.saving.serialize_keras_object(layer)
    json_form.pop("build_config", None)
    symbolic = (None, *input_shape[1:])
    shapes = layer.compute_output_shape(symbolic)
    shapes = [list(s) for s in shapes] if isinstance(shapes[0], (tuple, list)) else list(shapes)
    grads = gradients(layer, x, kwargs, rs)
    return {
        "name": name,
        "kind": "layer",
        "class_name": layer.__class__.__name__,
        "json": json_form,
        "weights": [
            {"name": v.name, "path": v.path, "shape": list(v.shape), "values": floats(v.numpy())} for v in layer.weights
        ],
        "input": tensor(x),
        "mask": None if mask is None else {"shape": list(np.shape(mask)), "values": [bool(v) for v in np.ravel(mask)]},
        "initial_state": None if states is None else [tensor(s) for s in states],
        "outputs": [tensor(t) for t in ys],
        "losses": losses,
        "r": [floats(r) for r in rs],
        "gradients": grads,
        "symbolic_input_shape": list(symbolic),
        "symbolic_output_shape": shapes,
    }


MASK = [[True, False, True, True], [True, True, False, False]]

cases = [
    # ConvLSTM1D: each regularizer argument, then the sequence options.
    layer_case(
        "ConvLSTM1D kernel L2", L.ConvLSTM1D(2, 3, kernel_regularizer=R.L2(0.05), name="c1_kernel"), (2, 3, 6, 2)
    ),
    layer_case(
        "ConvLSTM1D recurrent L1, return_sequences",
        L.ConvLSTM1D(2, 2, recurrent_regularizer=R.L1(0.02), return_sequences=True, name="c1_recurrent"),
        (2, 3, 5, 2),
    ),
    layer_case(
        "ConvLSTM1D bias L1L2, strides 2",
        L.ConvLSTM1D(3, 3, strides=2, bias_regularizer=R.L1L2(0.01, 0.02), name="c1_bias"),
        (2, 3, 7, 1),
    ),
    layer_case(
        "ConvLSTM1D activity L2, return_sequences and return_state, go_backwards",
        L.ConvLSTM1D(
            2, 3, activity_regularizer=R.L2(0.1), return_sequences=True, return_state=True, go_backwards=True,
            name="c1_activity",
        ),
        (2, 3, 5, 2),
    ),
    layer_case(
        "ConvLSTM1D every regularizer, same, mask",
        L.ConvLSTM1D(
            2, 3, padding="same", return_sequences=True, kernel_regularizer=R.L2(0.01),
            recurrent_regularizer=R.L2(0.02), bias_regularizer=R.L1(0.05), activity_regularizer=R.L1(0.01),
            unroll=True, name="c1_mask",
        ),
        (2, 4, 5, 2),
        mask=MASK,
    ),
    # ConvLSTM2D
    layer_case(
        "ConvLSTM2D kernel L1, same",
        L.ConvLSTM2D(2, 3, padding="same", kernel_regularizer=R.L1(0.02), name="c2_kernel"),
        (2, 3, 4, 4, 1),
    ),
    layer_case(
        "ConvLSTM2D recurrent L2, (2, 3) kernel, return_sequences",
        L.ConvLSTM2D(2, (2, 3), recurrent_regularizer=R.L2(0.05), return_sequences=True, name="c2_recurrent"),
        (2, 3, 4, 5, 2),
    ),
    layer_case(
        "ConvLSTM2D bias L2, return_state, initial state",
        L.ConvLSTM2D(2, 2, bias_regularizer=R.L2(0.1), return_state=True, name="c2_bias"),
        (2, 3, 3, 4, 1),
        initial_state=True,
    ),
    layer_case(
        "ConvLSTM2D activity L1, go_backwards, return_sequences, same, mask",
        L.ConvLSTM2D(
            2, 3, padding="same", go_backwards=True, return_sequences=True, activity_regularizer=R.L1(0.05),
            unroll=True, name="c2_activity",
        ),
        (2, 4, 3, 3, 1),
        mask=MASK,
    ),
    layer_case(
        "ConvLSTM2D channels_first, dilation 2, kernel L1L2",
        L.ConvLSTM2D(
            2, 2, dilation_rate=2, data_format="channels_first", kernel_regularizer=R.L1L2(0.01, 0.01),
            return_sequences=True, name="c2_first",
        ),
        (1, 2, 2, 4, 5),
    ),
    layer_case(
        "ConvLSTM2D relu, hard_sigmoid, no bias, no unit_forget_bias",
        L.ConvLSTM2D(
            2, 2, activation="relu", recurrent_activation="hard_sigmoid", use_bias=False, unit_forget_bias=False,
            recurrent_regularizer=R.L1(0.01), name="c2_relu",
        ),
        (1, 2, 3, 3, 2),
    ),
    # ConvLSTM3D
    layer_case(
        "ConvLSTM3D kernel L2, recurrent L1",
        L.ConvLSTM3D(2, 2, kernel_regularizer=R.L2(0.02), recurrent_regularizer=R.L1(0.01), name="c3_kernel"),
        (1, 2, 3, 3, 3, 1),
    ),
    layer_case(
        "ConvLSTM3D bias L1, activity L2, same, return_sequences and return_state",
        L.ConvLSTM3D(
            1, 2, padding="same", bias_regularizer=R.L1(0.1), activity_regularizer=R.L2(0.05),
            return_sequences=True, return_state=True, name="c3_bias",
        ),
        (2, 2, 2, 3, 2, 1),
    ),
    layer_case(
        "ConvLSTM3D strides (1, 2, 1), go_backwards, mask",
        L.ConvLSTM3D(2, (2, 2, 1), strides=(1, 2, 1), go_backwards=True, unroll=True, name="c3_mask"),
        (2, 4, 2, 4, 2, 1),
        mask=MASK,
    ),
]

# .keras files: a ConvLSTM2D stack and a ConvLSTM1D classifier, each with three SGD steps.
MODEL_SPECS = {
    "conv_lstm2d_stack": (
        (4, 5, 5, 1),
        [
            L.ConvLSTM2D(
                3, 3, padding="same", return_sequences=True, kernel_regularizer=R.L2(0.01),
                recurrent_regularizer=R.L1(0.01),
            ),
            L.ConvLSTM2D(2, 3, bias_regularizer=R.L2(0.05), activity_regularizer=R.L2(0.01)),
            L.Flatten(),
            L.Dense(2),
        ],
        "mse",
    ),
    "conv_lstm1d_classifier": (
        (5, 8, 2),
        [
            L.ConvLSTM1D(
                3, 3, padding="same", return_sequences=True, bias_regularizer=R.L1(0.01),
                activity_regularizer=R.L1(0.01),
            ),
            L.ConvLSTM1D(2, 2, strides=2, go_backwards=True, kernel_regularizer=R.L1L2(0.01, 0.02)),
            L.Flatten(),
            L.Dense(3, activation="softmax"),
        ],
        "sparse_categorical_crossentropy",
    ),
}

os.makedirs(MODELS, exist_ok=True)
model_rng = np.random.default_rng(20260614)
expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
for name, (shape, layer_list, loss) in MODEL_SPECS.items():
    model = keras.Sequential([keras.Input(shape), *layer_list], name=name)
    model.set_weights([(model_rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss)
    model.save(os.path.join(MODELS, f"{name}.keras"))
    x = model_rng.standard_normal((3, *shape)).astype(np.float32)
    if loss == "mse":
        y = model_rng.standard_normal((3, *model.output_shape[1:])).astype(np.float32)
    else:
        y = np.array([0, 2, 1], dtype=np.float32)
    prediction = model(x, training=False)
    losses = [float(ops.convert_to_numpy(v)) for v in model.losses]
    evaluated = model.evaluate(x, y, verbose=0, return_dict=True)
    steps = []
    for _ in range(3):
        logs = model.train_on_batch(x, y, return_dict=True)
        steps.append({"loss": float(logs["loss"]), "weights": [floats(w) for w in model.get_weights()]})
    expected["models"][name] = {
        "input": tensor(x),
        "targets": tensor(y),
        "prediction": tensor(prediction),
        "losses": losses,
        "evaluate": {k: float(v) for k, v in evaluated.items()},
        "train_on_batch": steps,
    }
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_conv_lstm_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "note": "'layer' cases: JSON (no build_config), weights (set from a seeded generator), input, mask, initial "
    "states, outputs, losses, gradients of sum(losses) ('penalty') and of sum over outputs of sum(output * r) + "
    "sum(losses) ('total') for the input and each trainable weight, and compute_output_shape with a None batch "
    "axis. Masked cases use unroll=True (Keras's JAX scan misapplies a mask to states with spatial axes).",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT} and {len(MODEL_SPECS)} models to {MODELS}")
