"""Real Keras 3's numbers for training Functional graphs beyond train_on_batch.

Reads the models and data of test/fixtures/keras-functional (written by
generate_keras_functional_fixtures.py) and writes
test/fixtures/keras-functional-training.json with, for each model named below:

- `fit`: `fit(x, y, epochs=2, batch_size=4, shuffle=False, validation_split=0.25)`
  from the saved initial weights: the history (loss, per-output losses and
  metrics, their `val_` values) and the weights after;
- `evaluate_batched`: `evaluate(x, y, batch_size=4)`, two batches of 4 and 2,
  whose per-output logs are means weighted by batch size;
- `every_call`: `evaluate`, then three `train_on_batch` steps and the weights
  after, with the model called as a layer of a wrapper model (see below).

Why `every_call`: a layer called twice (shared_layer's Dense) records an
activity penalty per call, and `model.losses` after `model(x)` holds both, as
the TensorFlow and PyTorch backends' `train_step` (`y_pred = self(x)`) train
on. The JAX backend's `train_step` runs `model.stateless_call`, which calls
`model.call` directly: with no outer call in progress, each layer call starts
its own and clears the losses of that layer's previous call, so only the last
call's penalty reaches the loss. Called as a layer of a wrapper, the model is
the outer call again and Keras (on JAX too) trains on every penalty, which is
what this library does.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_functional_training_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402, F401  (registers my_pkg>MyScaledL1)

HERE = os.path.dirname(__file__)
FOLDER = os.path.join(HERE, "..", "test", "fixtures", "keras-functional")
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-functional-training.json")
FIT_MODELS = ["two_in_two_out", "loss_weights", "merge_ops"]
EVERY_CALL_MODELS = ["shared_layer"]


def array(spec):
    dtype = "int32" if spec["dtype"].startswith("int") else "float32"
    return np.asarray(spec["values"], dtype=dtype).reshape(spec["shape"])


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def weights_of(model):
    return [{"path": w.path, "shape": list(w.shape), "values": floats(ops.convert_to_numpy(w))} for w in model.weights]


def structured(values, names):
    return values[names[0]] if len(names) == 1 else {n: values[n] for n in names}


def plain(logs):
    return {k: float(v) for k, v in logs.items()}


def load(name):
    return keras.models.load_model(os.path.join(FOLDER, f"{name}.keras"))


def main():
    expected = json.load(open(os.path.join(FOLDER, "expected.json")))
    out = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
    for name, case in expected["models"].items():
        if name not in FIT_MODELS and name not in EVERY_CALL_MODELS:
            continue
        keras.backend.clear_session()
        xs = {n: array(case["inputs"][n]) for n in case["input_names"]}
        ys = {n: array(case["targets"][n]) for n in case["output_names"]}
        x_in = structured(xs, case["input_names"])
        y_in = structured(ys, case["output_names"])
        entry = {}
        if name in FIT_MODELS:
            model = load(name)
            entry["evaluate_batched"] = plain(model.evaluate(x_in, y_in, batch_size=4, return_dict=True, verbose=0))
            history = model.fit(x_in, y_in, epochs=2, batch_size=4, shuffle=False, validation_split=0.25, verbose=0)
            entry["fit"] = {
                "options": {"epochs": 2, "batch_size": 4, "shuffle": False, "validation_split": 0.25},
                "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                "history_keys": list(history.history),
                "weights_after": weights_of(model),
            }
        if name in EVERY_CALL_MODELS:
            model = load(name)
            inputs = [keras.Input(t.shape[1:], name=t.name) for t in model.inputs]
            wrapper = keras.Model(inputs, model(inputs), name="wrapper")
            optimizer = model.optimizer.__class__.from_config(model.optimizer.get_config())
            wrapper.compile(optimizer=optimizer, loss=model.loss)
            x_list = [xs[n] for n in case["input_names"]]
            evaluate = plain(wrapper.evaluate(x_list, y_in, return_dict=True, verbose=0))
            steps = [plain(wrapper.train_on_batch(x_list, y_in, return_dict=True)) for _ in range(3)]
            entry["every_call"] = {
                "evaluate": evaluate,
                "train_on_batch": steps,
                "weights_after_training": weights_of(model),
            }
        out["models"][name] = entry
        print(name, {k: list(v) if isinstance(v, dict) else v for k, v in entry.items() if k != "fit"})
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
