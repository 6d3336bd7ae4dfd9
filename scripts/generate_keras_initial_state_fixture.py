"""A Functional model whose recurrent layers take initial states, saved by real Keras 3, for test/rnn-initial-state-file.test.ts.

LSTM(x, initial_state=[h, c]) from two model inputs (a list), then
GRU(x, initial_state=<the LSTM's output>) (a single tensor) with
return_state: Keras writes the states as the `initial_state` keyword of the
nodes and the build shapes as `shapes_dict` (sequences_shape,
initial_state_shape). Writes the .keras file and expected.json (inputs,
predictions, losses, the build_config Keras wrote).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_initial_state_fixture.py
"""

import json
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-rnn-initial-state")
L = keras.layers
keras.utils.set_random_seed(3)

x = keras.Input((5, 3), name="sequence")
h = keras.Input((4,), name="h0")
c = keras.Input((4,), name="c0")
lstm = L.LSTM(4, kernel_regularizer=keras.regularizers.L2(0.01), recurrent_regularizer=keras.regularizers.L1(0.001))(
    x, initial_state=[h, c]
)
out, state = L.GRU(4, return_state=True, bias_regularizer=keras.regularizers.L2(0.1))(x, initial_state=lstm)
model = keras.Model([x, h, c], [out, state])
model.set_weights([np.random.RandomState(i).uniform(-0.6, 0.6, w.shape).astype("float32") for i, w in enumerate(model.weights)])

os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "initial_state.keras")
model.save(path)
rng = np.random.RandomState(0)
inputs = [rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))]
inputs = [a.astype("float32") for a in inputs]
predictions = model.predict(inputs, verbose=0)
config = json.loads(zipfile.ZipFile(path).read("config.json"))
expected = {
    "keras_version": keras.__version__,
    "inputs": [{"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]} for a in inputs],
    "predictions": [{"shape": list(p.shape), "values": [float(v) for v in p.reshape(-1)]} for p in predictions],
    "losses": [float(v) for v in model.losses],
    "build_configs": {l["config"]["name"]: l.get("build_config") for l in config["config"]["layers"]},
}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", path)
