"""Records how real Keras 3 reduces losses and metrics under a Keras mask, for test/masked-loss.test.ts.

A mask from Embedding(mask_zero=True) reaches the model's output (through a
recurrent layer with return_sequences and a Dense or TimeDistributed(Dense)),
and Keras then leaves masked time steps out of the loss (apply_mask: each
unmasked entry weighs total/valid) and out of the mean metrics (the mask as
sample weight, so a batch weighs by its unmasked entries in the running mean).

For each model: the weights set (seeded), the data (with all-padding rows and
batches that are not full), evaluate() with batch_size=2 over 5 rows, and the
weights after 2 train_on_batch steps with SGD.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_masked_loss_fixtures.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-masked-loss.json")
L = keras.layers


def values(array):
    array = np.asarray(array)
    return {"shape": list(array.shape), "dtype": str(array.dtype), "values": [float(v) for v in array.reshape(-1)]}


IDS = np.array(
    [[1, 2, 0, 0], [3, 0, 4, 5], [0, 0, 0, 0], [2, 2, 2, 0], [5, 0, 0, 0]],
    dtype="int32",
)


def lstm_dense():
    return keras.Sequential([keras.Input((4,), dtype="int32"), L.Embedding(6, 3, mask_zero=True), L.LSTM(2, return_sequences=True), L.Dense(2)])


def gru_time_distributed():
    return keras.Sequential(
        [
            keras.Input((4,), dtype="int32"),
            L.Embedding(6, 3, mask_zero=True),
            L.GRU(3, return_sequences=True),
            L.TimeDistributed(L.Dense(3, activation="softmax")),
        ]
    )


rng = np.random.RandomState(7)
CASES = [
    ("LSTM -> Dense, mse + mae", lstm_dense, "mse", ["mae"], rng.standard_normal((5, 4, 2)).astype("float32")),
    (
        "LSTM -> Dense, MeanSquaredError(reduction='sum')",
        lstm_dense,
        keras.losses.MeanSquaredError(reduction="sum"),
        ["mse"],
        rng.standard_normal((5, 4, 2)).astype("float32"),
    ),
    (
        "GRU -> TimeDistributed(Dense softmax), sparse_categorical_crossentropy + accuracy",
        gru_time_distributed,
        "sparse_categorical_crossentropy",
        ["accuracy"],
        rng.randint(0, 3, (5, 4)).astype("int32"),
    ),
]

cases = []
for name, make, loss, metrics, targets in CASES:
    model = make()
    weights = [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.weights]
    model.set_weights(weights)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=loss, metrics=metrics)
    evaluate = model.evaluate(IDS, targets, batch_size=2, verbose=0, return_dict=True)
    steps = [model.train_on_batch(IDS[:4], targets[:4], return_dict=True) for _ in range(2)]
    cases.append(
        {
            "name": name,
            "loss": loss if isinstance(loss, str) else keras.saving.serialize_keras_object(loss),
            "metrics": metrics,
            "weights": [values(w) for w in weights],
            "x": values(IDS),
            "y": values(targets),
            "evaluate_batch_size_2": {k: float(v) for k, v in evaluate.items()},
            "train_on_batch_logs": [{k: float(v) for k, v in s.items()} for s in steps],
            "weights_after_2_steps": [values(keras.ops.convert_to_numpy(w)) for w in model.weights],
        }
    )

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_masked_loss_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
