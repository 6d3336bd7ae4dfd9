"""Saves .weights.h5 files with real Keras 3 (model.save_weights), for the tests that load them here.

Writes into test/fixtures/keras-functional/:

- <name>_trained.weights.h5 for a few of the Functional fixtures of
  scripts/generate_keras_functional_fixtures.py: the model is read from
  <name>.keras, trained three `train_on_batch` steps on the inputs and targets
  of that script's expected.json (so its weights differ from the .keras
  file's), and saved with `save_weights`;
- nested_sequential.keras and nested_sequential.weights.h5: a Functional
  model with a Sequential inside (whose InputLayer Keras does not store),
  saved before and after three training steps;
- subclassed.weights.h5: a subclassed Model whose layers sit in fields
  (`zeta`, a list `blocks`, `alpha`), which Keras stores under the field names
  in sorted order, `layers/dense` for the one first reached through `layers`;
- weights-files.json: for each weights file, the model it fits, the inputs,
  the predictions and `losses` after a `model(x, training=False)` call, and
  every weight by path; nested_sequential's .keras case in expected.json's schema,
  with `evaluate_every_call`: evaluate's loss with the activity penalty of each
  call of its twice-called Sequential (Keras on JAX keeps only the last one's).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_weights_files.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402,F401  (registers my_pkg>MyScaledL1)

FOLDER = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-functional")
L = keras.layers
R = keras.regularizers
TRAINED = ["two_in_two_out", "nested_model", "shared_layer", "merge_ops"]
BATCH = 6


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array)
    cast = int if np.issubdtype(array.dtype, np.integer) else float
    return {"shape": list(array.shape), "dtype": str(array.dtype), "values": [cast(v) for v in array.reshape(-1)]}


def array(spec):
    return np.asarray(spec["values"], dtype=spec.get("dtype", "float32")).reshape(spec["shape"])


def weights_of(model):
    return [{"path": w.path, "shape": list(w.shape), "values": floats(ops.convert_to_numpy(w))} for w in model.weights]


def by_output_name(names, y):
    ys = y if isinstance(y, (list, tuple)) else [y]
    return {name: tensor(np.asarray(v, dtype=np.float32)) for name, v in zip(names, ys)}


def structured(values, names):
    return values[names[0]] if len(names) == 1 else {n: values[n] for n in names}


def snapshot(model, x, input_names, output_names):
    """Predictions and losses after one inference call, and the weights."""
    predictions = by_output_name(output_names, model(structured(x, input_names), training=False))
    return {
        "inputs": {n: tensor(x[n]) for n in input_names},
        "input_names": input_names,
        "output_names": output_names,
        "predictions": predictions,
        "losses": [float(ops.convert_to_numpy(loss)) for loss in model.losses],
        "weights": weights_of(model),
    }


def trained_fixtures(expected, out):
    for name in TRAINED:
        case = expected["models"][name]
        model = keras.models.load_model(os.path.join(FOLDER, f"{name}.keras"))
        x = {n: array(case["inputs"][n]) for n in case["input_names"]}
        y = {n: array(case["targets"][n]) for n in case["output_names"]}
        for _ in range(3):
            model.train_on_batch(structured(x, case["input_names"]), structured(y, case["output_names"]))
        file = f"{name}_trained.weights.h5"
        model.save_weights(os.path.join(FOLDER, file))
        numbers = snapshot(model, x, case["input_names"], case["output_names"])
        out[f"{name}_trained"] = {"model": f"{name}.keras", "file": file, **numbers}


def nested_sequential(rng, expected_cases, out):
    """A Functional model around a Sequential (with its own Input) and a shared Dense."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)  # the dropout of the training steps: the same file on every run
    inner = keras.Sequential(
        [
            keras.Input((4,)),
            L.Dense(5, activation="relu", kernel_regularizer=R.L2(0.03), name="inner_hidden"),
            L.Dropout(0.3, name="inner_dropout"),
            L.Dense(3, activity_regularizer=R.L1(0.02), name="inner_out"),
        ],
        name="stack",
    )
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    shared = L.Dense(4, activation="tanh", kernel_regularizer=R.L1(0.01), name="shared")
    ha = inner(shared(a))
    hb = inner(shared(b))
    h = L.Concatenate(name="concat")([ha, hb])
    h = L.ActivityRegularization(l1=0.01, l2=0.005, name="act_reg")(h)
    out_y = L.Dense(2, kernel_regularizer=R.L1L2(0.01, 0.02), name="y")(h)
    model = keras.Model([a, b], out_y, name="nested_sequential")
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    input_names, output_names = ["a", "b"], ["y"]
    x = {n: rng.standard_normal((BATCH, 4)).astype(np.float32) for n in input_names}
    y = {"y": (rng.standard_normal((BATCH, 2)) * 0.5).astype(np.float32)}
    before = snapshot(model, x, input_names, output_names)
    model.save(os.path.join(FOLDER, "nested_sequential.keras"))
    logs = model.evaluate(structured(x, input_names), y["y"], return_dict=True, verbose=0)
    evaluate = {k: float(v) for k, v in logs.items()}
    # The Sequential is called twice. Keras on JAX evaluates through stateless_call, where each call of a layer
    # clears its previous call's activity penalty; model.losses (and the TensorFlow and PyTorch backends) keep
    # both. This is evaluate's loss with every call's penalty, as model.losses lists them.
    prediction = model(structured(x, input_names), training=False)
    data_loss = float(ops.convert_to_numpy(keras.losses.MeanSquaredError()(y["y"], prediction)))
    every_call = data_loss + sum(before["losses"])
    expected_cases["nested_sequential"] = {
        **{k: before[k] for k in ("input_names", "output_names", "inputs", "predictions", "losses")},
        "targets": {"y": tensor(y["y"])},
        "evaluate": evaluate,
        "evaluate_every_call": {"loss": every_call},
        "initial_weights": before["weights"],
    }
    for _ in range(3):
        model.train_on_batch(structured(x, input_names), y["y"])
    model.save_weights(os.path.join(FOLDER, "nested_sequential.weights.h5"))
    out["nested_sequential"] = {
        "model": "nested_sequential.keras",
        "file": "nested_sequential.weights.h5",
        **snapshot(model, x, input_names, output_names),
    }


class Subclassed(keras.Model):
    """Layers in fields: Keras stores them by field name, sorted, private ones last."""

    def __init__(self):
        super().__init__(name="subclassed")
        self.zeta = L.Dense(2, kernel_regularizer=R.L2(0.1))
        self.blocks = [L.Dense(3, activation="relu"), L.Dense(3, activity_regularizer=R.L1(0.05))]
        self.alpha = L.Dense(4)

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return self.zeta(self.alpha(x))


def subclassed(rng, out):
    keras.backend.clear_session()
    model = Subclassed()
    x = {"x": rng.standard_normal((BATCH, 5)).astype(np.float32)}
    model(x["x"])
    model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
    model.save_weights(os.path.join(FOLDER, "subclassed.weights.h5"))
    out["subclassed"] = {"model": None, "file": "subclassed.weights.h5", **snapshot(model, x, ["x"], ["output"])}


def main():
    with open(os.path.join(FOLDER, "expected.json")) as f:
        expected = json.load(f)
    rng = np.random.default_rng(41)
    files, models = {}, {}
    trained_fixtures(expected, files)
    nested_sequential(rng, models, files)
    subclassed(rng, files)
    with open(os.path.join(FOLDER, "weights-files.json"), "w") as f:
        json.dump(
            {
                "keras_version": keras.__version__,
                "backend": keras.backend.backend(),
                "batch": BATCH,
                "files": files,
                "models": models,
            },
            f,
            indent=1,
        )
        f.write("\n")
    for name, case in files.items():
        print(f"{case['file']}: {len(case['weights'])} weights, losses {[round(v, 6) for v in case['losses']]}")


if __name__ == "__main__":
    main()
