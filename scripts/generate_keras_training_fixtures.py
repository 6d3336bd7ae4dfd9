"""Generates test/fixtures/keras-training.json by training small models with real Keras 3.

Each case records the model's layers (Keras configs), the initial weights,
the compile settings, the data, and what Keras reported and ended with after
each step (train_on_batch) or each epoch (fit, without shuffling), plus an
evaluate at the end. The test rebuilds the same model here and compares.

Python Keras is not a project dependency; CI reads the committed JSON.
    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/generate_keras_training_fixtures.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-training.json")
L = keras.layers
R = keras.regularizers
O = keras.optimizers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def weights_of(model):
    return [floats(w) for w in model.get_weights()]


def optimizer_spec(optimizer):
    config = optimizer.get_config()
    keep = ["learning_rate", "momentum", "nesterov", "beta_1", "beta_2", "epsilon", "rho", "weight_decay"]
    spec = {k: config[k] for k in keep if k in config and config[k] is not None}
    spec["class_name"] = optimizer.__class__.__name__
    return spec


def case(name, layers, input_shape, optimizer, loss, x, y, mode, steps=3, epochs=2, batch_size=4, metrics=None, seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(input_shape), *layers])
    rng = np.random.default_rng(seed)
    model.set_weights([(rng.standard_normal(w.shape) * 0.5).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics or [])
    initial = weights_of(model)
    record = {
        "name": name,
        "kind": "training",
        "mode": mode,
        "layers": [{"class_name": l.__class__.__name__, "config": l.get_config()} for l in model.layers],
        "input_shape": list(input_shape),
        "optimizer": optimizer_spec(model.optimizer),
        "loss": loss,
        "metrics": metrics or [],
        "initial_weights": initial,
        "x": {"shape": list(x.shape), "values": floats(x)},
        "y": {"shape": list(y.shape), "values": floats(y)},
    }
    if mode == "train_on_batch":
        record["steps"] = []
        for step in range(steps):
            logs = model.train_on_batch(x, y, return_dict=True)
            record["steps"].append(
                {"step": step + 1, "logs": {k: float(v) for k, v in logs.items()}, "weights": weights_of(model)}
            )
    else:
        history = model.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0)
        record["batch_size"] = batch_size
        record["epochs"] = epochs
        record["history"] = {k: [float(v) for v in vs] for k, vs in history.history.items()}
        record["final_weights"] = weights_of(model)
    record["evaluate"] = {k: float(v) for k, v in model.evaluate(x, y, batch_size=batch_size, return_dict=True, verbose=0).items()}
    return record


rng = np.random.default_rng(7)
x3 = rng.standard_normal((10, 3)).astype(np.float32)
y2 = rng.standard_normal((10, 2)).astype(np.float32)
x5 = rng.standard_normal((6, 5)).astype(np.float32)
labels = rng.integers(0, 3, size=(6,)).astype(np.float32)
images = rng.standard_normal((4, 5, 5, 2)).astype(np.float32)
image_labels = np.array([0, 2, 1, 2], dtype=np.float32)
seq = rng.standard_normal((4, 6, 2)).astype(np.float32)
seq_y = rng.standard_normal((4, 2)).astype(np.float32)

cases = [
    case(
        "fit: 2 epochs of batches 4,4,2; SGD momentum 0.9; kernel L1(0.01) and activity L2(0.01)",
        [L.Dense(4, activation="tanh", kernel_regularizer=R.L1(0.01), activity_regularizer=R.L2(0.01)), L.Dense(2)],
        (3,), O.SGD(learning_rate=0.05, momentum=0.9), "mse", x3, y2, "fit",
    ),
    case(
        "train_on_batch: Adam, kernel L1L2(0.01, 0.02), bias L2(0.1)",
        [L.Dense(3, kernel_regularizer=R.L1L2(0.01, 0.02), bias_regularizer=R.L2(0.1))],
        (3,), O.Adam(learning_rate=0.01), "mae", x3, y2[:, :1].repeat(3, axis=1), "train_on_batch",
    ),
    case(
        "train_on_batch: RMSprop, activity L1 on a relu layer, sparse categorical from softmax, accuracy",
        [L.Dense(4, activation="relu", activity_regularizer=R.L1(0.05)), L.Dense(3, activation="softmax")],
        (5,), O.RMSprop(learning_rate=0.01), "sparse_categorical_crossentropy", x5, labels, "train_on_batch",
        metrics=["accuracy"],
    ),
    case(
        "train_on_batch: a frozen first layer's penalty is not in the loss; SGD nesterov",
        [L.Dense(3, kernel_regularizer=R.L2(0.5), trainable=False), L.Dense(2, kernel_regularizer=R.L2(0.1))],
        (3,), O.SGD(learning_rate=0.05, momentum=0.5, nesterov=True), "mse", x3, y2, "train_on_batch",
    ),
    case(
        "train_on_batch: Orthogonal kernel regularizer, AdamW",
        [L.Dense(4, kernel_regularizer=R.OrthogonalRegularizer(0.5, "columns"))],
        (3,), O.AdamW(learning_rate=0.02, weight_decay=0.1), "mse", x3, y2[:, :1].repeat(4, axis=1), "train_on_batch",
    ),
    case(
        "train_on_batch: Conv2D + Flatten + Dense softmax, kernel L2, activity L1, Adam, accuracy",
        [
            L.Conv2D(3, 3, activation="relu", kernel_regularizer=R.L2(0.05), activity_regularizer=R.L1(0.01)),
            L.Flatten(),
            L.Dense(3, activation="softmax", kernel_regularizer=R.L1(0.01)),
        ],
        (5, 5, 2), O.Adam(learning_rate=0.01), "sparse_categorical_crossentropy", images, image_labels, "train_on_batch",
        metrics=["accuracy"],
    ),
    case(
        "fit: Conv1D causal + Flatten + Dense; SGD; kernel L1L2(0.01, 0.01)",
        [L.Conv1D(2, 3, padding="causal", kernel_regularizer=R.L1L2(0.01, 0.01)), L.Flatten(), L.Dense(2)],
        (6, 2), O.SGD(learning_rate=0.02), "mse", seq, seq_y, "fit", epochs=3, batch_size=3,
    ),
    case(
        "train_on_batch: sigmoid Dense, binary crossentropy, kernel L2, accuracy",
        [L.Dense(2, activation="sigmoid", kernel_regularizer=R.L2(0.01))],
        (3,), O.SGD(learning_rate=0.1), "binary_crossentropy", x3, (y2 > 0).astype(np.float32), "train_on_batch",
        metrics=["accuracy"],
    ),
]

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_training_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "note": "Sequential models; weights listed in model.get_weights() order; fit without shuffling.",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
