"""Generates test/fixtures/keras-whole-models/ with real Keras 3: the whole models of issues 12 and 13.

Ten small models, each with every ingredient its issue lists, saved by Keras
as .keras files (compiled, untrained, weights set from a fixed rng so no
initializer is involved), and expected.json with, for each model:

- the training data (x, y: 12 samples) and Keras's compile settings;
- `before`: Keras's predictions on x, `model.losses`, and evaluate(x, y,
  batch_size=4), all on the saved weights;
- `fit`: model.fit(x, y, batch_size=4, epochs=1, shuffle=False), i.e. three
  optimizer steps: the epoch's loss and every weight after them, by path
  (BatchNormalization's moving statistics included: they are weights);
- `after`: predictions, `losses` and evaluate on the trained weights (the
  moving statistics are what inference uses).

No dropout anywhere: a training step with dropout has no single answer.
No output carries a mask: Keras's masked losses depend on the backend (jax
arrays cannot hold a mask), and the issues ask for the model's numbers.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_whole_models.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-whole-models")
rng = np.random.default_rng(20260613)
L = keras.layers
R = keras.regularizers
N, BATCH = 12, 4


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array, dtype="float32"):
    a = np.asarray(array)
    values = [int(v) for v in a.reshape(-1)] if dtype == "int32" else floats(a)
    return {"shape": list(a.shape), "dtype": dtype, "values": values}


def initial_value(variable):
    """Random weights that keep each layer well-conditioned: variances positive, scales near 1."""
    shape = variable.shape
    if variable.name == "moving_variance":
        return rng.uniform(0.5, 2.0, shape).astype(np.float32)
    if variable.name == "gamma":
        return rng.uniform(0.5, 1.5, shape).astype(np.float32)
    if variable.name == "alpha":  # PReLU's slopes: small and positive, as trained ones are
        return rng.uniform(0.05, 0.4, shape).astype(np.float32)
    return (rng.standard_normal(shape) * 0.3).astype(np.float32)


def normal(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def ids(steps, vocabulary):
    """Token ids with trailing zero padding of varied length (mask_zero skips those steps)."""
    x = rng.integers(1, vocabulary, (N, steps)).astype(np.int32)
    for row, length in enumerate(rng.integers(1, steps + 1, N)):
        x[row, length:] = 0
    return x


def classes(k, shape=(N,)):
    return rng.integers(0, k, shape).astype(np.int32)


# ------------------------------------------------------------------ issue 13


def bn_classifier():
    """Conv + BatchNormalization + GlobalAveragePooling classifier (conv biases dropped before BN, as usual)."""
    return keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            L.Conv2D(6, 3, padding="same", use_bias=False, kernel_regularizer=R.L2(0.01)),
            L.BatchNormalization(momentum=0.9, gamma_regularizer=R.L2(0.05), beta_regularizer=R.L1(0.02)),
            L.Activation("relu"),
            L.Conv2D(8, 3, strides=2, use_bias=False),
            L.BatchNormalization(epsilon=0.01),
            L.Activation("relu"),
            L.GlobalAveragePooling2D(),
            L.Dense(3, activation="softmax", kernel_regularizer=R.L2(0.01)),
        ],
        name="bn_classifier",
    )


def mobilenet_residual():
    """MobileNet-style inverted residual: 1x1 expand, DepthwiseConv2D, SeparableConv2D, residual Add."""
    x = keras.Input((6, 6, 4), name="image")
    h = L.Conv2D(8, 1, use_bias=False, kernel_regularizer=R.L2(0.01), name="expand")(x)
    h = L.BatchNormalization(name="expand_bn")(h)
    h = L.ReLU(max_value=6.0, name="expand_relu6")(h)
    h = L.DepthwiseConv2D(
        3, padding="same", use_bias=False, depthwise_regularizer=R.L2(0.02), activity_regularizer=R.L1(1e-3),
        name="depthwise",
    )(h)
    h = L.BatchNormalization(momentum=0.8, name="depthwise_bn")(h)
    h = L.ReLU(max_value=6.0, name="depthwise_relu6")(h)
    h = L.SeparableConv2D(
        4, 3, padding="same", depthwise_regularizer=R.L1(0.01), pointwise_regularizer=R.L2(0.02),
        bias_regularizer=R.L2(0.05), name="project",
    )(h)
    h = L.Add(name="residual")([x, h])
    h = L.GlobalAveragePooling2D(name="pool")(h)
    y = L.Dense(3, name="logits")(h)
    return keras.Model(x, y, name="mobilenet_residual")


def decoder():
    """Conv2DTranspose + UpSampling2D decoder from a 2x2 latent map to a 9x9 image."""
    return keras.Sequential(
        [
            keras.Input((2, 2, 4)),
            L.Conv2DTranspose(
                6, 3, strides=2, padding="same", activation="relu", kernel_regularizer=R.L2(0.02),
                activity_regularizer=R.L2(1e-3),
            ),
            L.UpSampling2D(2),
            L.Conv2DTranspose(3, 2, kernel_regularizer=R.L1L2(0.01, 0.01), bias_regularizer=R.L1(0.05)),
            L.Conv2DTranspose(1, 3, padding="same", activation="sigmoid"),
        ],
        name="decoder",
    )


def encoder_block():
    """Transformer encoder block: MultiHeadAttention + residual + LayerNormalization, feed-forward + residual."""
    x = keras.Input((6, 8), name="tokens")
    a = L.MultiHeadAttention(
        num_heads=2, key_dim=4, kernel_regularizer=R.L2(1e-2), bias_regularizer=R.L1(1e-2),
        activity_regularizer=R.L2(1e-3), name="self_attention",
    )(x, x)
    h = L.LayerNormalization(epsilon=1e-6, gamma_regularizer=R.L2(0.01), name="norm_1")(L.Add(name="residual_1")([x, a]))
    f = L.Dense(16, activation="relu", kernel_regularizer=R.L2(1e-2), name="ffn_1")(h)
    f = L.Dense(8, name="ffn_2")(f)
    h = L.LayerNormalization(epsilon=1e-6, name="norm_2")(L.Add(name="residual_2")([h, f]))
    y = L.Dense(1, name="head")(L.GlobalAveragePooling1D(name="pool")(h))
    return keras.Model(x, y, name="encoder_block")


def prelu_net():
    """PReLU with shared axes after a convolution, and per-unit PReLU after a Dense."""
    return keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            L.Conv2D(4, 3),
            L.PReLU(shared_axes=[1, 2], alpha_regularizer=R.L2(0.1)),
            L.MaxPooling2D(2),
            L.Flatten(),
            L.Dense(6, kernel_regularizer=R.L1(0.01)),
            L.PReLU(alpha_regularizer=R.L1(0.05)),
            L.Dense(3, activation="softmax"),
        ],
        name="prelu_net",
    )


# ------------------------------------------------------------------ issue 12


def embedding_lstm():
    """Embedding(mask_zero) + LSTM classifier, every regularizer of both."""
    return keras.Sequential(
        [
            keras.Input((7,), dtype="int32"),
            L.Embedding(20, 5, mask_zero=True, embeddings_regularizer=R.L2(1e-2)),
            L.LSTM(6, kernel_regularizer=R.L2(1e-2), recurrent_regularizer=R.L2(1e-2), bias_regularizer=R.L1(1e-2),
                   activity_regularizer=R.L2(1e-3)),
            L.Dense(3, activation="softmax"),
        ],
        name="embedding_lstm",
    )


def stacked_gru():
    """Two GRUs stacked (return_sequences into the second), regression head."""
    return keras.Sequential(
        [
            keras.Input((7, 3)),
            L.GRU(6, return_sequences=True, kernel_regularizer=R.L2(1e-2), recurrent_regularizer=R.L1(1e-2)),
            L.GRU(4, bias_regularizer=R.L2(0.05), recurrent_regularizer=R.L2(1e-2)),
            L.Dense(2),
        ],
        name="stacked_gru",
    )


def bidirectional_simple_rnn():
    """Masking + Bidirectional SimpleRNN (concat) + sigmoid head."""
    return keras.Sequential(
        [
            keras.Input((6, 3)),
            L.Masking(),
            L.Bidirectional(L.SimpleRNN(4, kernel_regularizer=R.L2(1e-2), recurrent_regularizer=R.L2(1e-2))),
            L.Dense(1, activation="sigmoid"),
        ],
        name="bidirectional_simple_rnn",
    )


def conv1d_timeseries():
    """Conv1D + MaxPooling1D + Conv1D + GlobalAveragePooling1D time-series regressor."""
    return keras.Sequential(
        [
            keras.Input((16, 2)),
            L.Conv1D(6, 3, activation="relu", kernel_regularizer=R.L2(1e-2), bias_regularizer=R.L1(1e-2)),
            L.MaxPooling1D(2),
            L.Conv1D(8, 3, padding="same", activation="relu", activity_regularizer=R.L1(1e-3)),
            L.AveragePooling1D(2),
            L.GlobalAveragePooling1D(),
            L.Dense(1),
        ],
        name="conv1d_timeseries",
    )


def time_distributed_dense():
    """TimeDistributed Dense around an LSTM, one output per time step."""
    return keras.Sequential(
        [
            keras.Input((5, 4)),
            L.TimeDistributed(L.Dense(6, activation="relu", kernel_regularizer=R.L2(1e-2))),
            L.LSTM(4, return_sequences=True),
            L.TimeDistributed(L.Dense(2, kernel_regularizer=R.L1(1e-2)), activity_regularizer=R.L2(1e-3)),
        ],
        name="time_distributed_dense",
    )


def mask_some_steps(x):
    """Whole time steps of zeros (Masking skips them), at the end of some rows and inside others."""
    x = x.copy()
    x[0, 4:] = 0
    x[3, 2] = 0
    x[5, 1:] = 0
    x[8, 0] = 0
    return x


def sgd(lr, **kw):
    return keras.optimizers.SGD(lr, **kw)


# name: (issue, make, optimizer, loss, x, y)
SPECS = {
    "bn_classifier": (13, bn_classifier, lambda: sgd(0.05, momentum=0.9), "sparse_categorical_crossentropy",
                      normal(N, 8, 8, 3) * 1.5 + 0.3, classes(3)),
    "mobilenet_residual": (13, mobilenet_residual, lambda: keras.optimizers.Adam(0.01),
                           keras.losses.SparseCategoricalCrossentropy(from_logits=True), normal(N, 6, 6, 4), classes(3)),
    "decoder": (13, decoder, lambda: keras.optimizers.RMSprop(0.01), "binary_crossentropy", normal(N, 2, 2, 4),
                rng.uniform(0, 1, (N, 9, 9, 1)).astype(np.float32)),
    "encoder_block": (13, encoder_block, lambda: keras.optimizers.Adam(0.005), "mse", normal(N, 6, 8), normal(N, 1)),
    "prelu_net": (13, prelu_net, lambda: sgd(0.1), "sparse_categorical_crossentropy", normal(N, 6, 6, 2), classes(3)),
    "embedding_lstm": (12, embedding_lstm, lambda: keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                       ids(7, 20), classes(3)),
    "stacked_gru": (12, stacked_gru, lambda: keras.optimizers.RMSprop(0.005), "mse", normal(N, 7, 3), normal(N, 2)),
    "bidirectional_simple_rnn": (12, bidirectional_simple_rnn, lambda: sgd(0.1, momentum=0.5, nesterov=True),
                                 "binary_crossentropy", mask_some_steps(normal(N, 6, 3)),
                                 classes(2, (N, 1)).astype(np.float32)),
    "conv1d_timeseries": (12, conv1d_timeseries, lambda: keras.optimizers.Adam(0.01), "mae", normal(N, 16, 2),
                          normal(N, 1)),
    "time_distributed_dense": (12, time_distributed_dense, lambda: sgd(0.1), "mse", normal(N, 5, 4), normal(N, 5, 2)),
}


def snapshot(model, x, y):
    """Keras's predictions, `losses` and evaluate() on the weights the model holds now.

    `losses` after one eager call on all of x: predict() runs stateless on jax and leaves no
    activity penalty behind, so without the call `losses` would hold the weight penalties alone."""
    prediction = model.predict(x, batch_size=BATCH, verbose=0)
    model(x, training=False)
    return {
        "prediction": tensor(prediction),
        "losses": [float(ops.convert_to_numpy(v)) for v in model.losses],
        "evaluate": float(model.evaluate(x, y, batch_size=BATCH, verbose=0)),
    }


os.makedirs(OUT, exist_ok=True)
models = {}
for name, (issue, make, optimizer, loss, x, y) in SPECS.items():
    model = make()
    for variable in model.weights:
        variable.assign(initial_value(variable))
    model.compile(optimizer=optimizer(), loss=loss)
    model.save(os.path.join(OUT, f"{name}.keras"))
    before = snapshot(model, x, y)
    history = model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    assert model.optimizer.iterations.numpy() == 3, "three optimizer steps"
    models[name] = {
        "issue": issue,
        "file": f"{name}.keras",
        "layers": [layer.__class__.__name__ for layer in model.layers],
        "optimizer": model.optimizer.__class__.__name__,
        "x": tensor(x, "int32" if x.dtype == np.int32 else "float32"),
        "y": tensor(y, "int32" if y.dtype == np.int32 else "float32"),
        "batch_size": BATCH,
        "before": before,
        "fit": {
            "loss": float(history.history["loss"][0]),
            "weights": [{"path": v.path, **tensor(v.numpy())} for v in model.weights],
        },
        "after": snapshot(model, x, y),
    }
    print(f"{name}: {len(model.weights)} weights, fit loss {models[name]['fit']['loss']:.6f}")

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_whole_models.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64; int32 tensors as integers",
}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"meta": meta, "models": models}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(models)} models to {OUT}")
