"""Saves small models with real Keras 3 as .keras files, for the loading tests.

Writes test/fixtures/keras-models/<name>.keras and expected.json: for each
model, an input, Keras's predictions on it, and the model's `losses` after
that call (activity penalties of the call, then weight penalties).

    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/generate_keras_model_files.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402,F401  (registers my_pkg>MyScaledL1)

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-models")
L = keras.layers
R = keras.regularizers



MODELS = {
    "dense_l1_l2_activity": ((4,), [
        L.Dense(5, activation="relu", kernel_regularizer=R.L1(0.01), bias_regularizer=R.L2(0.1), activity_regularizer=R.L2(0.01)),
        L.Dense(3, kernel_regularizer=R.L1L2(0.02, 0.03)),
    ]),
    "dense_orthogonal_custom": ((6,), [
        L.Dense(4, kernel_regularizer=R.OrthogonalRegularizer(0.2, "columns")),
        L.Dense(2, kernel_regularizer=MyScaledL1(3.0), activity_regularizer=R.L1(0.05)),
    ]),
    "conv1d_causal": ((8, 2), [
        L.Conv1D(3, 3, padding="causal", dilation_rate=2, kernel_regularizer=R.L2(0.05), activity_regularizer=R.L1(0.01)),
        L.Flatten(),
        L.Dense(2, kernel_regularizer=R.L1(0.01)),
    ]),
    "conv2d_pool": ((6, 6, 2), [
        L.Conv2D(3, 3, padding="same", activation="relu", kernel_regularizer=R.L1L2(0.01, 0.01)),
        L.MaxPooling2D(),
        L.Flatten(),
        L.Dropout(0.3),
        L.Dense(4, activation="softmax", bias_regularizer=R.L2(0.2)),
    ]),
    "conv3d": ((4, 4, 4, 1), [
        L.Conv3D(2, 2, strides=2, kernel_regularizer=R.L2(0.1), activity_regularizer=R.L2(0.01)),
        L.Flatten(),
        L.Dense(1),
    ]),
}

os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(11)
expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
for name, (shape, layers) in MODELS.items():
    model = keras.Sequential([keras.Input(shape), *layers])
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = rng.standard_normal((3, *shape)).astype(np.float32)
    y = model(x, training=False)
    losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
    model.save(os.path.join(OUT, f"{name}.keras"))
    expected["models"][name] = {
        "input": {"shape": list(x.shape), "values": [float(v) for v in x.reshape(-1)]},
        "output": {"shape": list(y.shape), "values": [float(v) for v in np.asarray(y).reshape(-1)]},
        "losses": losses,
    }
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print(f"wrote {len(MODELS)} models to {OUT}")
