"""Generates test/fixtures/keras-normalization.json and test/fixtures/keras-normalization/*.keras with real Keras 3.

BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization:

- 'call' cases: the layer's JSON (no build_config) and config after build, the
  weights set before the call, the input, the call's output (training or
  inference), the non-trainable weights after it (BatchNormalization's moving
  statistics), `layer.losses`, the gradient of each weight penalty, and the
  gradients of sum(output * r) with respect to the input and each trainable
  weight (jax.grad through `stateless_call`).
- 'training' cases: Conv2D -> BatchNormalization -> relu -> GlobalAveragePooling2D
  -> Dense trained 3 steps (train_on_batch, or fit over 3 batches without
  shuffling): the logs and every weight (moving statistics included) after
  each step, then evaluate and predict.
- .keras files: Sequential models holding the layers, saved after a few
  training steps (so moving statistics are not their initial values), with
  Keras's predictions and losses in expected.json.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_normalization_fixtures.py
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
OUT = os.path.join(ROOT, "keras-normalization.json")
MODELS = os.path.join(ROOT, "keras-normalization")
rng = np.random.default_rng(20260601)
L = keras.layers
R = keras.regularizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def values(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def initial_value(weight):
    """Random weights that keep the layer well-conditioned: variances positive, scales near 1."""
    shape = weight.shape
    if weight.name == "moving_variance":
        return rng.uniform(0.5, 2.0, shape).astype(np.float32)
    if weight.name == "gamma":
        return rng.uniform(0.5, 1.5, shape).astype(np.float32)
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


def call_case(name, layer, input_shape, training=False, scale=1.0, offset=0.0, mask_shape=None):
    x = (rng.standard_normal(input_shape) * scale + offset).astype(np.float32)
    layer.build(input_shape)
    for weight in layer.weights:
        weight.assign(initial_value(weight))
    weights_before = [values(w) for w in layer.weights]
    json_form = keras.saving.serialize_keras_object(layer)
    json_form.pop("build_config", None)
    trainable = [w.value for w in layer.trainable_variables]
    non_trainable = [w.value for w in layer.non_trainable_variables]
    # Only BatchNormalization's call takes `training` (and a mask: true where a position counts).
    kwargs = {"training": training} if isinstance(layer, L.BatchNormalization) else {}
    mask = None if mask_shape is None else rng.random(mask_shape) < 0.6
    if mask is not None:
        kwargs["mask"] = mask
    y_probe, _ = layer.stateless_call(trainable, non_trainable, x, **kwargs)
    r = rng.standard_normal(y_probe.shape).astype(np.float32)

    def objective(inputs, weights):
        y, _ = layer.stateless_call(weights, non_trainable, inputs, **kwargs)
        return jnp.sum(y * r)

    input_grad, weight_grads = jax.grad(objective, argnums=(0, 1))(jnp.asarray(x), trainable)
    y = layer(x, training=training, **({} if mask is None else {"mask": mask}))
    losses = [float(keras.ops.convert_to_numpy(loss)) for loss in layer.losses]
    penalty_grads = {}
    for weight in layer.trainable_weights:
        regularizer = getattr(layer, f"{weight.name}_regularizer", None)
        if regularizer is not None:
            penalty_grads[weight.name] = values(jax.grad(lambda w: regularizer(w))(weight.value))
    return {
        "name": name,
        "kind": "call",
        "class_name": layer.__class__.__name__,
        "json": json_form,
        "config": layer.get_config(),
        "training": training,
        "input": values(x),
        "mask": None if mask is None else values(mask),
        "weights_before": weights_before,
        "weight_names": [w.name for w in layer.weights],
        "trainable_names": [w.name for w in layer.trainable_weights],
        "output": values(y),
        "weights_after": [values(w) for w in layer.weights],
        "losses": losses,
        "penalty_grads": penalty_grads,
        "r": values(r),
        "input_grad": values(input_grad),
        "weight_grads": [values(g) for g in weight_grads],
        "output_shape": list(layer.compute_output_shape((None, *input_shape[1:]))),
    }


BN = L.BatchNormalization
LN = L.LayerNormalization
GN = L.GroupNormalization
cases = [
    call_case("BatchNormalization defaults, inference", BN(), (4, 3)),
    call_case("BatchNormalization defaults, training", BN(), (6, 3), training=True, scale=2.0, offset=1.0),
    call_case(
        "BatchNormalization gamma L2, beta L1, momentum 0.9, epsilon 0.01, training, rank 4",
        BN(momentum=0.9, epsilon=0.01, gamma_regularizer=R.L2(0.1), beta_regularizer=R.L1(0.05)),
        (3, 4, 5, 2),
        training=True,
    ),
    call_case(
        "BatchNormalization gamma L1L2, beta L2, inference, rank 4",
        BN(gamma_regularizer=R.L1L2(0.01, 0.02), beta_regularizer=R.L2(0.3)),
        (2, 3, 3, 4),
    ),
    call_case("BatchNormalization axis 1 (channels first), training", BN(axis=1), (4, 3, 2, 2), training=True),
    call_case("BatchNormalization axis -2, rank 3, inference", BN(axis=-2), (3, 4, 2)),
    call_case(
        "BatchNormalization center=False, training",
        BN(center=False, gamma_regularizer=R.L2(0.2)),
        (5, 4),
        training=True,
    ),
    call_case("BatchNormalization scale=False, inference", BN(scale=False, beta_regularizer=R.L1(0.1)), (5, 4)),
    call_case("BatchNormalization center=False scale=False, training", BN(center=False, scale=False), (5, 2), training=True),
    call_case(
        "BatchNormalization with an activity regularizer, training",
        BN(activity_regularizer=R.L2(0.01)),
        (4, 3),
        training=True,
    ),
    call_case("BatchNormalization training with a mask, rank 3", BN(momentum=0.5), (3, 4, 2), training=True, mask_shape=(3, 4)),
    call_case("BatchNormalization inference with a mask (unused)", BN(), (3, 4, 2), mask_shape=(3, 4)),
    call_case("LayerNormalization defaults", LN(), (3, 5)),
    call_case(
        "LayerNormalization gamma L2, beta L1, epsilon 0.01, rank 3",
        LN(epsilon=0.01, gamma_regularizer=R.L2(0.1), beta_regularizer=R.L1(0.05)),
        (2, 3, 4),
    ),
    call_case("LayerNormalization axis [1, 2], rank 3", LN(axis=[1, 2], gamma_regularizer=R.L1(0.02)), (2, 3, 4)),
    call_case("LayerNormalization axis [-1, 1] (Keras reshapes gamma)", LN(axis=[-1, 1]), (2, 3, 4)),
    call_case("LayerNormalization axis 1 of rank 3", LN(axis=1), (2, 3, 4)),
    call_case("LayerNormalization center=False", LN(center=False), (3, 4)),
    call_case("LayerNormalization scale=False", LN(scale=False), (3, 4)),
    call_case("LayerNormalization rms_scaling", LN(rms_scaling=True, gamma_regularizer=R.L2(0.1)), (3, 6), offset=0.5),
    call_case("GroupNormalization groups 2", GN(groups=2), (3, 4), scale=1.5),
    call_case(
        "GroupNormalization groups 2, rank 4, gamma L2, beta L1",
        GN(groups=2, gamma_regularizer=R.L2(0.1), beta_regularizer=R.L1(0.05)),
        (2, 3, 3, 6),
    ),
    call_case("GroupNormalization groups -1 (instance normalization), rank 3", GN(groups=-1), (2, 5, 3)),
    call_case("GroupNormalization groups 1, axis 1 (channels first)", GN(groups=1, axis=1), (2, 4, 3)),
    call_case("GroupNormalization groups 3, axis -2, rank 4", GN(groups=3, axis=-2, epsilon=0.01), (2, 2, 6, 3)),
    call_case("GroupNormalization center=False scale=False", GN(groups=2, center=False, scale=False), (3, 4)),
    call_case("UnitNormalization defaults", L.UnitNormalization(), (3, 5)),
    call_case("UnitNormalization axis [1, 2]", L.UnitNormalization(axis=[1, 2]), (2, 3, 4)),
    call_case("UnitNormalization axis 1, rank 3", L.UnitNormalization(axis=1), (2, 3, 4)),
]


def weights_of(model):
    return [floats(w) for w in model.get_weights()]


def optimizer_spec(optimizer):
    config = optimizer.get_config()
    keep = ["learning_rate", "momentum", "nesterov", "beta_1", "beta_2", "epsilon", "rho"]
    spec = {k: config[k] for k in keep if k in config and config[k] is not None}
    spec["class_name"] = optimizer.__class__.__name__
    return spec


def bn_cnn(frozen=False, momentum=0.9, use_bias=True):
    """A conv bias right before BatchNormalization has a zero gradient in exact arithmetic (the
    normalization cancels it), so its float gradient is noise that Adam would scale up into steps:
    the Adam case leaves it out, as models with BatchNormalization usually do."""
    bn = BN(momentum=momentum, gamma_regularizer=R.L2(0.05), beta_regularizer=R.L1(0.02))
    bn.trainable = not frozen
    return [
        L.Conv2D(4, 3, use_bias=use_bias, kernel_regularizer=R.L2(0.01)),
        bn,
        L.Activation("relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(3, activation="softmax", kernel_regularizer=R.L2(0.01)),
    ]


def training_case(name, layers, optimizer, mode, n=12, batch_size=4):
    model = keras.Sequential([keras.Input((6, 6, 2)), *layers])
    model.set_weights([initial_value(w) for w in model.weights])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    x = (rng.standard_normal((n, 6, 6, 2)) * 1.5 + 0.3).astype(np.float32)
    y = rng.integers(0, 3, n).astype(np.float32)
    record = {
        "name": name,
        "kind": "training",
        "mode": mode,
        "layers": [{"class_name": l.__class__.__name__, "config": l.get_config()} for l in model.layers],
        "input_shape": [6, 6, 2],
        "optimizer": optimizer_spec(model.optimizer),
        "loss": "sparse_categorical_crossentropy",
        "weight_paths": [w.path for w in model.weights],
        "initial_weights": weights_of(model),
        "x": values(x),
        "y": values(y),
    }
    if mode == "train_on_batch":
        record["steps"] = []
        for step in range(3):
            logs = model.train_on_batch(x[:batch_size], y[:batch_size], return_dict=True)
            record["steps"].append({"loss": float(logs["loss"]), "weights": weights_of(model)})
    else:
        history = model.fit(x, y, epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
        record["batch_size"] = batch_size
        record["history"] = {k: [float(v) for v in vs] for k, vs in history.history.items()}
        record["final_weights"] = weights_of(model)
    record["evaluate"] = {
        k: float(v) for k, v in model.evaluate(x, y, batch_size=batch_size, return_dict=True, verbose=0).items()
    }
    record["predict"] = values(model.predict(x[:3], verbose=0))
    return record


training = [
    training_case("BN CNN, SGD momentum, train_on_batch", bn_cnn(), keras.optimizers.SGD(0.1, momentum=0.9), "train_on_batch"),
    training_case("BN CNN, Adam, fit 3 batches", bn_cnn(momentum=0.8, use_bias=False), keras.optimizers.Adam(0.01), "fit"),
    training_case("BN CNN, frozen BatchNormalization, SGD", bn_cnn(frozen=True), keras.optimizers.SGD(0.1), "train_on_batch"),
]

# .keras files: each model trained 2 steps (moving statistics move), then saved.
FILES = {
    "bn_cnn": ((6, 6, 2), lambda: [
        L.Conv2D(4, 3, padding="same", kernel_regularizer=R.L2(0.01)),
        BN(momentum=0.8, epsilon=0.01, gamma_regularizer=R.L2(0.05), beta_regularizer=R.L1(0.02)),
        L.Activation("relu"),
        GN(groups=2, gamma_regularizer=R.L1L2(0.01, 0.02), beta_regularizer=R.L2(0.1)),
        L.GlobalAveragePooling2D(),
        L.Dense(4, kernel_regularizer=R.L1(0.01)),
        L.UnitNormalization(),
    ]),
    "layer_norms": ((5, 4), lambda: [
        L.Dense(6, kernel_regularizer=R.L2(0.01)),
        LN(gamma_regularizer=R.L2(0.1), beta_regularizer=R.L1(0.05)),
        LN(axis=[1, 2], epsilon=0.01, center=False),
        BN(axis=1, center=False, gamma_regularizer=R.L1(0.03)),
        LN(rms_scaling=True),
        L.UnitNormalization(axis=[1, 2]),
    ]),
}
os.makedirs(MODELS, exist_ok=True)
expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
for name, (shape, make) in FILES.items():
    model = keras.Sequential([keras.Input(shape), *make()])
    model.set_weights([initial_value(w) for w in model.weights])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    x = rng.standard_normal((4, *shape)).astype(np.float32)
    model.fit(x, rng.standard_normal((4, *model.output_shape[1:])).astype(np.float32), batch_size=2, verbose=0)
    y = model(x, training=False)
    losses = [float(keras.ops.convert_to_numpy(loss)) for loss in model.losses]
    model.save(os.path.join(MODELS, f"{name}.keras"))
    expected["models"][name] = {
        "input": values(x),
        "output": values(y),
        "losses": losses,
        "weights": [values(w) for w in model.weights],
        "weight_paths": [w.path for w in model.weights],
    }
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_normalization_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases + training}, f, indent=1)
print(f"wrote {len(cases)} call cases and {len(training)} training cases to {OUT}, {len(FILES)} models to {MODELS}")
