"""Generates test/fixtures/keras-noise.json and test/fixtures/keras-noise/*.keras with real Keras 3.

GaussianNoise, GaussianDropout, AlphaDropout and SpectralNormalization:

- 'noise_config' cases: each noise layer's JSON and config, as Keras writes them.
- 'noise_stats' cases: Keras's own training-call outputs over 100,000 draws
  (mean and variance), for the tests to hold Keras to the same bounds as us;
  AlphaDropout's outputs on a constant input (the two values it takes).
- 'noise_seeds': what Keras's seeded layers do (two fresh layers with one
  seed draw the same noise; a second call draws another).
- 'spectral_call' cases: SpectralNormalization over Dense, Conv2D and
  Embedding (whose outputs Keras casts to the ids' int32) with fixed kernel, bias and vector_u: the inference output, the
  gradients of sum(output * r) in a training call (jax.grad through
  `stateless_call`, as Keras's JAX train step differentiates) and the
  vector_u it returns, then an eager training call: its output and the
  kernel and vector_u it assigns.
- 'spectral_training' cases: Sequential models with SpectralNormalization
  over Dense and Conv2D trained 3 train_on_batch steps with SGD and Adam: the
  loss and every weight (kernel, vector_u, bias) after each step.
- test/fixtures/keras-noise/noise_mlp.keras: a model with the four layers,
  trained 2 steps, with Keras's predictions and weights in expected.json.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_noise_fixtures.py
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
OUT = os.path.join(ROOT, "keras-noise.json")
MODELS = os.path.join(ROOT, "keras-noise")
rng = np.random.default_rng(20261207)
L = keras.layers
N = 100_000


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def values(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def noise_config(name, layer):
    return {
        "name": name,
        "kind": "noise_config",
        "class_name": layer.__class__.__name__,
        "json": keras.saving.serialize_keras_object(layer),
        "config": layer.get_config(),
    }


def noise_stats(name, layer, x):
    y = np.asarray(layer(x, training=True), dtype=np.float64)
    inference = np.asarray(layer(x, training=False))
    return {
        "name": name,
        "kind": "noise_stats",
        "config": layer.get_config(),
        "class_name": layer.__class__.__name__,
        "input": "standard_normal" if x.std() > 0.5 else float(x.reshape(-1)[0]),
        "draws": int(x.size),
        "mean": float(y.mean()),
        "variance": float(y.var()),
        "inference_is_identity": bool(np.array_equal(inference, x)),
    }


configs = [
    noise_config("GaussianNoise stddev 0.1", L.GaussianNoise(0.1)),
    noise_config("GaussianNoise stddev 1, seed 3", L.GaussianNoise(1.0, seed=3, name="noisy")),
    noise_config("GaussianDropout rate 0.3, seed 1", L.GaussianDropout(0.3, seed=1)),
    noise_config("GaussianDropout rate 0", L.GaussianDropout(0.0)),
    noise_config("AlphaDropout rate 0.2", L.AlphaDropout(0.2)),
    noise_config("AlphaDropout rate 0.1, noise_shape (None, 1, 3), seed 7", L.AlphaDropout(0.1, noise_shape=(None, 1, 3), seed=7)),
]

normal = rng.standard_normal(N).astype(np.float32)
stats = [
    noise_stats("GaussianNoise stddev 0.3 on 2.0", L.GaussianNoise(0.3, seed=5), np.full(N, 2.0, np.float32)),
    noise_stats("GaussianDropout rate 0.25 on 2.0", L.GaussianDropout(0.25, seed=5), np.full(N, 2.0, np.float32)),
    noise_stats("GaussianDropout rate 0.6 on -1.5", L.GaussianDropout(0.6, seed=6), np.full(N, -1.5, np.float32)),
    noise_stats("AlphaDropout rate 0.2 on standard normal", L.AlphaDropout(0.2, seed=5), normal),
    noise_stats("AlphaDropout rate 0.5 on standard normal", L.AlphaDropout(0.5, seed=8), normal),
    noise_stats("AlphaDropout rate 0.3 on 1.5", L.AlphaDropout(0.3, seed=9), np.full(N, 1.5, np.float32)),
]
alpha_constant = np.unique(np.asarray(L.AlphaDropout(0.3, seed=9)(np.full((64,), 1.5, np.float32), training=True)))
stats.append({"name": "AlphaDropout rate 0.3 on 1.5: the values it takes", "kind": "alpha_values", "rate": 0.3, "input": 1.5, "values": floats(alpha_constant)})

first, second = L.GaussianNoise(0.5, seed=11), L.GaussianNoise(0.5, seed=11)
ones = np.ones((4, 3), np.float32)
a1, a2 = np.asarray(first(ones, training=True)), np.asarray(first(ones, training=True))
b1 = np.asarray(second(ones, training=True))
seeds = {
    "name": "seeded GaussianNoise: fresh layers repeat, calls differ",
    "kind": "noise_seeds",
    "fresh_layers_same": bool(np.array_equal(a1, b1)),
    "second_call_differs": not bool(np.array_equal(a1, a2)),
}


def set_weight(layer, name, value):
    for weight in layer.weights:
        if weight.name == name:
            weight.assign(value)


def spectral_call(name, make, input_shape, ids=None, zero_kernel=False):
    sn = make()
    x = rng.integers(0, ids, input_shape).astype(np.int32) if ids else rng.standard_normal(input_shape).astype(np.float32)
    sn.build((None, *input_shape[1:]))
    kernel_var = sn.kernel
    kernel = np.zeros(kernel_var.shape, np.float32) if zero_kernel else (rng.standard_normal(kernel_var.shape) * 0.5).astype(np.float32)
    kernel_var.assign(kernel)
    for weight in sn.layer.weights:
        if weight.name == "bias":
            weight.assign((rng.standard_normal(weight.shape) * 0.1).astype(np.float32))
    sn.vector_u.assign(rng.standard_normal(sn.vector_u.shape).astype(np.float32))
    weights_before = [values(w) for w in sn.weights]
    json_form = keras.saving.serialize_keras_object(sn)
    inference = sn(x, training=False)
    trainable = [w.value for w in sn.trainable_variables]
    non_trainable = [w.value for w in sn.non_trainable_variables]
    y_probe, _ = sn.stateless_call(trainable, non_trainable, x, training=True)
    r = rng.standard_normal(y_probe.shape).astype(np.float32)

    def objective(inputs, weights):
        y, new_non_trainable = sn.stateless_call(weights, non_trainable, inputs, training=True)
        return jnp.sum(y * r), (y, new_non_trainable)

    argnums = (1,) if ids else (0, 1)
    grads, (y_step, after_step) = jax.grad(objective, argnums=argnums, has_aux=True)(jnp.asarray(x), trainable)
    training = sn(x, training=True)
    return {
        "name": name,
        "kind": "spectral_call",
        "json": json_form,
        "config": sn.get_config(),
        "ids": bool(ids),
        "input": values(x),
        "weight_paths": [w.path for w in sn.weights],
        "trainable_paths": [w.path for w in sn.trainable_weights],
        "weights_before": weights_before,
        "inference_output": values(inference),
        "r": values(r),
        "step_output": values(y_step),
        "step_vector_u": values(after_step[0]),
        "input_grad": None if ids else values(grads[0]),
        "weight_grads": [values(g) for g in grads[-1]],
        "training_output": values(training),
        "weights_after_training_call": [values(w) for w in sn.weights],
    }


SN = L.SpectralNormalization
calls = [
    spectral_call("Dense(3), power_iterations 1", lambda: SN(L.Dense(3, name="dense"), name="sn"), (2, 4)),
    spectral_call("Dense(5, relu), power_iterations 3, rank-3 input", lambda: SN(L.Dense(5, activation="relu"), power_iterations=3), (2, 3, 4)),
    spectral_call("Conv2D(3, 2), power_iterations 1", lambda: SN(L.Conv2D(3, 2)), (2, 5, 5, 2)),
    spectral_call("Conv2D(4, 3, same, no bias), power_iterations 2", lambda: SN(L.Conv2D(4, 3, padding="same", use_bias=False), power_iterations=2), (1, 4, 4, 3)),
    spectral_call("Embedding(6, 3)", lambda: SN(L.Embedding(6, 3)), (2, 4), ids=6),
    spectral_call("Dense(3) with a kernel of zeros", lambda: SN(L.Dense(3)), (2, 4), zero_kernel=True),
]


def optimizer_spec(optimizer):
    config = optimizer.get_config()
    keep = ["learning_rate", "momentum", "nesterov", "beta_1", "beta_2", "epsilon"]
    spec = {k: config[k] for k in keep if k in config and config[k] is not None}
    spec["class_name"] = optimizer.__class__.__name__
    return spec


def spectral_training(name, input_shape, make_layers, optimizer, loss="mse"):
    model = keras.Sequential([keras.Input(input_shape), *make_layers()])
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.weights])
    model.compile(optimizer=optimizer, loss=loss)
    x = rng.standard_normal((4, *input_shape)).astype(np.float32)
    y = rng.standard_normal((4, *model.output_shape[1:])).astype(np.float32)
    record = {
        "name": name,
        "kind": "spectral_training",
        "input_shape": list(input_shape),
        "layers": [keras.saving.serialize_keras_object(layer) for layer in model.layers],
        "optimizer": optimizer_spec(model.optimizer),
        "loss": loss,
        "weight_paths": [w.path for w in model.weights],
        "trainable_paths": [w.path for w in model.trainable_weights],
        "initial_weights": [floats(w) for w in model.get_weights()],
        "x": values(x),
        "y": values(y),
        "steps": [],
    }
    for _ in range(3):
        logs = model.train_on_batch(x, y, return_dict=True)
        losses = [float(keras.ops.convert_to_numpy(loss)) for loss in model.losses]
        record["steps"].append({"loss": float(logs["loss"]), "weights": [floats(w) for w in model.get_weights()], "losses": losses})
    record["predict"] = values(model.predict(x, verbose=0))
    return record


dense_model = lambda: [SN(L.Dense(5, activation="tanh")), L.Dense(2)]  # noqa: E731
conv_model = lambda: [SN(L.Conv2D(3, 2), power_iterations=2), L.Flatten(), L.Dense(2)]  # noqa: E731


def frozen_dense_model():
    """The wrapped Dense frozen: its kernel is not trainable, so Keras's JAX step keeps the assigned normalized kernel."""
    dense = L.Dense(5, activation="tanh")
    dense.trainable = False
    return [SN(dense), L.Dense(2)]


training = [
    spectral_training("SpectralNormalization(Dense), SGD", (4,), dense_model, keras.optimizers.SGD(0.1)),
    spectral_training("SpectralNormalization(Dense), Adam", (4,), dense_model, keras.optimizers.Adam(0.01)),
    spectral_training("SpectralNormalization(Conv2D), SGD", (4, 4, 2), conv_model, keras.optimizers.SGD(0.05)),
    spectral_training("SpectralNormalization(Conv2D), Adam", (4, 4, 2), conv_model, keras.optimizers.Adam(0.01)),
    spectral_training("SpectralNormalization(Dense) with the Dense frozen, SGD", (4,), frozen_dense_model, keras.optimizers.SGD(0.1)),
    spectral_training(
        "SpectralNormalization(Dense) with an L2 kernel penalty (computed on the normalized kernel in a step), SGD",
        (4,),
        lambda: [SN(L.Dense(5, activation="tanh", kernel_regularizer=keras.regularizers.L2(0.1))), L.Dense(2)],
        keras.optimizers.SGD(0.1),
    ),
]

# A .keras file with all four layers, trained 2 steps (vector_u moves), then saved.
os.makedirs(MODELS, exist_ok=True)
model = keras.Sequential([
    keras.Input((6,)),
    L.GaussianNoise(0.2, seed=1),
    SN(L.Dense(8, activation="relu")),
    L.GaussianDropout(0.2),
    L.AlphaDropout(0.1, seed=4),
    SN(L.Dense(3), power_iterations=2),
])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
x = rng.standard_normal((4, 6)).astype(np.float32)
model.fit(x, rng.standard_normal((4, 3)).astype(np.float32), batch_size=2, verbose=0)
model.save(os.path.join(MODELS, "noise_mlp.keras"))
expected = {
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "models": {
        "noise_mlp": {
            "input": values(x),
            "output": values(model(x, training=False)),
            "weights": [values(w) for w in model.weights],
            "weight_paths": [w.path for w in model.weights],
        }
    },
}
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_noise_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
}
cases = configs + stats + [seeds] + calls + training
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}, noise_mlp.keras to {MODELS}")
