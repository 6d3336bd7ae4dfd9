"""Generates test/fixtures/keras-activation-layers.json and test/fixtures/keras-activation-layers/*.keras with real Keras 3.

PReLU, ReLU, LeakyReLU, ELU, Softmax:

- 'call' cases: the layer's JSON (no build_config) and config, the weights
  set before the call (PReLU's alpha), the input, the output, `layer.losses`,
  the gradient of the alpha penalty, and the gradients of sum(output * r)
  with respect to the input and the weights (jax.grad through
  `stateless_call`). Cases whose inputs sit exactly on a kink (0, the
  threshold, max_value) record no gradients: there the derivative is a
  convention, and finite differences cannot check it.
- .keras files: Sequential models holding the layers, with Keras's
  predictions and losses in expected.json.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_activation_layers_fixtures.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-activation-layers.json")
MODELS = os.path.join(ROOT, "keras-activation-layers")
rng = np.random.default_rng(20260602)
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def values(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def call_case(name, layer, x, gradients=True, mask=None):
    x = np.asarray(x, dtype=np.float32)
    layer.build(x.shape)
    for weight in layer.weights:
        weight.assign((rng.standard_normal(weight.shape) * 0.5).astype(np.float32))
    weights_before = [values(w) for w in layer.weights]
    json_form = keras.saving.serialize_keras_object(layer)
    json_form.pop("build_config", None)
    kwargs = {} if mask is None else {"mask": mask}
    y = layer(x, **kwargs)
    case = {
        "name": name,
        "kind": "call",
        "class_name": layer.__class__.__name__,
        "json": json_form,
        "config": layer.get_config(),
        "input": values(x),
        "mask": None if mask is None else {**values(mask), "dtype": "bool" if mask.dtype == bool else "float32"},
        "weights_before": weights_before,
        "output": values(y),
        "losses": [float(keras.ops.convert_to_numpy(loss)) for loss in layer.losses],
        "output_shape": list(layer.compute_output_shape((None, *x.shape[1:]))),
        "penalty_grads": {},
    }
    regularizer = getattr(layer, "alpha_regularizer", None)
    if regularizer is not None:
        case["penalty_grads"]["alpha"] = values(jax.grad(lambda w: regularizer(w))(layer.alpha.value))
    if gradients:
        trainable = [w.value for w in layer.trainable_variables]
        r = rng.standard_normal(y.shape).astype(np.float32)

        def objective(inputs, weights):
            out, _ = layer.stateless_call(weights, [], inputs, **kwargs)
            return jnp.sum(out * r)

        input_grad, weight_grads = jax.grad(objective, argnums=(0, 1))(jnp.asarray(x), trainable)
        case["r"] = values(r)
        case["input_grad"] = values(input_grad)
        case["weight_grads"] = [values(g) for g in weight_grads]
    return case


def normal(*shape, scale=1.0):
    return rng.standard_normal(shape) * scale


# Inputs on the kinks: 0, the threshold 0.5, max_value 3.5 and 6, and values around them.
KINKS = np.array([[-10.0, -5.0, -0.5, 0.0, 0.25, 0.5, 0.75], [3.0, 3.5, 4.0, 6.0, 7.0, -1e-3, 1e-3]])

cases = [
    call_case("PReLU defaults (alpha zeros, then set)", L.PReLU(), normal(3, 4)),
    call_case("PReLU alpha L2, rank 3", L.PReLU(alpha_regularizer=R.L2(0.1)), normal(2, 3, 4)),
    call_case(
        "PReLU shared_axes [1, 2], alpha L1, rank 4",
        L.PReLU(shared_axes=[1, 2], alpha_regularizer=R.L1(0.05)),
        normal(2, 3, 3, 2),
    ),
    call_case("PReLU shared_axes 1 (an int), rank 3", L.PReLU(shared_axes=1), normal(2, 3, 4)),
    call_case(
        "PReLU alpha_initializer Constant(0.25), L1L2",
        L.PReLU(alpha_initializer=keras.initializers.Constant(0.25), alpha_regularizer=R.L1L2(0.01, 0.02)),
        normal(3, 2),
    ),
    call_case("PReLU on kinks", L.PReLU(), KINKS, gradients=False),
    call_case("ReLU defaults", L.ReLU(), normal(3, 5)),
    call_case("ReLU max_value 6 (relu6)", L.ReLU(max_value=6.0), normal(3, 5, scale=5)),
    call_case("ReLU max_value 3.5", L.ReLU(max_value=3.5), normal(3, 5, scale=3)),
    call_case("ReLU negative_slope 0.1 (leaky)", L.ReLU(negative_slope=0.1), normal(3, 5)),
    call_case("ReLU threshold 0.5", L.ReLU(threshold=0.5), normal(3, 5)),
    call_case(
        "ReLU max_value 3.5, negative_slope 0.2, threshold 0.5",
        L.ReLU(max_value=3.5, negative_slope=0.2, threshold=0.5),
        normal(3, 5, scale=3),
    ),
    call_case("ReLU max_value 6, negative_slope 0.1", L.ReLU(max_value=6.0, negative_slope=0.1), normal(3, 5, scale=5)),
    call_case("ReLU negative_slope 0.3, threshold 1", L.ReLU(negative_slope=0.3, threshold=1.0), normal(3, 5, scale=2)),
    call_case("ReLU max_value 0", L.ReLU(max_value=0.0), normal(2, 3)),
    call_case("ReLU with an activity regularizer", L.ReLU(activity_regularizer=R.L1(0.1)), normal(4, 3)),
    call_case(
        "ReLU max_value 3.5, negative_slope 0.2, threshold 0.5, on kinks",
        L.ReLU(max_value=3.5, negative_slope=0.2, threshold=0.5),
        KINKS,
        gradients=False,
    ),
    call_case("ReLU max_value 6, on kinks", L.ReLU(max_value=6.0), KINKS, gradients=False),
    call_case("LeakyReLU defaults (0.3)", L.LeakyReLU(), normal(3, 5)),
    call_case("LeakyReLU negative_slope 0.05, rank 3", L.LeakyReLU(negative_slope=0.05), normal(2, 3, 4)),
    call_case("LeakyReLU on kinks", L.LeakyReLU(), KINKS, gradients=False),
    call_case("ELU defaults", L.ELU(), normal(3, 5, scale=2)),
    call_case("ELU alpha 0.5", L.ELU(alpha=0.5), normal(3, 5, scale=2)),
    call_case("ELU alpha 2, near 0", L.ELU(alpha=2.0), normal(3, 5, scale=1e-3)),
    call_case("Softmax defaults", L.Softmax(), normal(3, 5, scale=3)),
    call_case("Softmax axis 1, rank 3", L.Softmax(axis=1), normal(2, 3, 4)),
    call_case("Softmax axis [1, 2], rank 3", L.Softmax(axis=[1, 2]), normal(2, 3, 4)),
    call_case("Softmax axis [-1] (a list of one)", L.Softmax(axis=[-1]), normal(2, 3, 4)),
    call_case("Softmax axis 0", L.Softmax(axis=0), normal(3, 4)),
    call_case("Softmax large logits", L.Softmax(), normal(2, 4, scale=50)),
    call_case("Softmax with a bool mask (3, 4) on (2, 3, 4)", L.Softmax(), normal(2, 3, 4), mask=rng.random((3, 4)) < 0.7),
    call_case(
        "Softmax axis 1 with a float mask (2, 1, 4)",
        L.Softmax(axis=1),
        normal(2, 3, 4),
        mask=(rng.random((2, 1, 4)) < 0.7).astype(np.float32),
    ),
]

FILES = {
    "activations_mlp": ((5,), lambda: [
        L.Dense(6, kernel_regularizer=R.L2(0.01)),
        L.PReLU(alpha_regularizer=R.L2(0.1)),
        L.Dense(6),
        L.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.2),
        L.Dense(6),
        L.LeakyReLU(negative_slope=0.2),
        L.Dense(6),
        L.ELU(alpha=0.7),
        L.Dense(4),
        L.Softmax(),
    ]),
    "activations_cnn": ((5, 5, 2), lambda: [
        L.Conv2D(3, 3, padding="same"),
        L.PReLU(shared_axes=[1, 2], alpha_regularizer=R.L1(0.05)),
        L.ReLU(max_value=6.0),
        L.Softmax(axis=[1, 2]),
        L.Flatten(),
        L.Dense(2),
        L.Softmax(axis=0),
    ]),
}
os.makedirs(MODELS, exist_ok=True)
expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
for name, (shape, make) in FILES.items():
    model = keras.Sequential([keras.Input(shape), *make()])
    model.set_weights([(rng.standard_normal(w.shape) * 0.5).astype(np.float32) for w in model.weights])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = rng.standard_normal((4, *shape)).astype(np.float32)
    y = model(x, training=False)
    losses = [float(keras.ops.convert_to_numpy(loss)) for loss in model.losses]
    model.save(os.path.join(MODELS, f"{name}.keras"))
    expected["models"][name] = {"input": values(x), "output": values(y), "losses": losses}
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_activation_layers_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}, {len(FILES)} models to {MODELS}")
