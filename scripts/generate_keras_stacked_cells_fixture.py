"""A Functional model with RNN([LSTMCell, GRUCell]) (Keras's StackedRNNCells), saved by real Keras 3, for test/stacked-rnn-cells.test.ts.

Regularizers on each cell, return_sequences and return_state, seeded
weights; writes the .keras file and expected.json (input, predictions,
losses, Keras's config of the RNN layer).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_stacked_cells_fixture.py
"""

import json
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-stacked-cells")
L = keras.layers
R = keras.regularizers

x = keras.Input((5, 3), name="sequence")
cells = [
    L.LSTMCell(4, kernel_regularizer=R.L2(0.01), recurrent_regularizer=R.L1(0.002)),
    L.GRUCell(3, bias_regularizer=R.L2(0.1)),
]
outputs = L.RNN(cells, return_sequences=True, return_state=True, name="stacked")(x)
model = keras.Model(x, outputs)
model.set_weights([np.random.RandomState(i).uniform(-0.5, 0.5, w.shape).astype("float32") for i, w in enumerate(model.weights)])

os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "stacked_cells.keras")
model.save(path)
inputs = np.random.RandomState(9).standard_normal((2, 5, 3)).astype("float32")
predictions = keras.tree.flatten(model.predict(inputs, verbose=0))
config = json.loads(zipfile.ZipFile(path).read("config.json"))
expected = {
    "keras_version": keras.__version__,
    "input": {"shape": list(inputs.shape), "values": [float(v) for v in inputs.reshape(-1)]},
    "predictions": [{"shape": list(p.shape), "values": [float(v) for v in p.reshape(-1)]} for p in predictions],
    "losses": [float(v) for v in model.losses],
    "weight_paths": [w.path for w in model.weights],
    "rnn_config": next(l for l in config["config"]["layers"] if l["config"]["name"] == "stacked"),
}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", path, [p.shape for p in predictions])
