"""Saves small Functional models with real Keras 3 as .keras files, for the loading and training tests.

Writes test/fixtures/keras-functional/<name>.keras (saved compiled, before any
training, so the file holds the initial weights), <name>.config.json (the
zip's config.json, indented, for reading) and expected.json. For each model
expected.json records the inputs (by input name), the targets and Keras's
predictions (by output name), the model's `losses` after a
`model(x, training=False)` call (in Keras's order), `evaluate` on the same
data, and then, on a fresh copy loaded from the .keras file, the logs of three
`train_on_batch` steps and the weights after the third.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_functional_fixtures.py
"""

import json
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402
from keras_custom_objects import MyScaledL1  # noqa: E402  (registers my_pkg>MyScaledL1)

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-functional")
L = keras.layers
R = keras.regularizers
O = keras.optimizers
BATCH = 6


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    array = np.asarray(array)
    cast = int if np.issubdtype(array.dtype, np.integer) else float
    return {"shape": list(array.shape), "dtype": str(array.dtype), "values": [cast(v) for v in array.reshape(-1)]}


def weights_of(model):
    return [{"path": w.path, "shape": list(w.shape), "values": floats(ops.convert_to_numpy(w))} for w in model.weights]


def optimizer_spec(optimizer):
    config = optimizer.get_config()
    keep = ["learning_rate", "momentum", "nesterov", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay"]
    spec = {k: config[k] for k in keep if k in config and config[k] is not None}
    spec["class_name"] = optimizer.__class__.__name__
    return spec


def by_output_name(model, y):
    """Keras returns a list (or a single tensor) for outputs given as a list; key it by output name."""
    if isinstance(y, dict):
        return {k: np.asarray(v) for k, v in y.items()}
    ys = y if isinstance(y, (list, tuple)) else [y]
    return {name: np.asarray(v) for name, v in zip(model.output_names, ys)}


# ---------------------------------------------------------------- the models
# Each builder returns (model, compile kwargs, targets builder). Targets are
# made from the rng: floats for mse, int32 class labels for sparse CE.


def two_in_two_out():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    ha = L.Dense(5, activation="relu", kernel_regularizer=R.L1(0.01), name="dense_a")(a)
    hb = L.Dense(5, activation="tanh", kernel_regularizer=R.L2(0.02), bias_regularizer=R.L1(0.05), name="dense_b")(b)
    h = L.Concatenate(name="concat")([ha, hb])
    out_reg = L.Dense(2, kernel_regularizer=R.L1L2(0.01, 0.02), name="out_reg")(h)
    out_cls = L.Dense(3, activation="softmax", activity_regularizer=R.L2(0.01), name="out_cls")(h)
    model = keras.Model(inputs=[a, b], outputs=[out_reg, out_cls], name="two_in_two_out")
    compile_args = dict(optimizer=O.Adam(0.01), loss=["mse", "sparse_categorical_crossentropy"])
    return model, compile_args, {"out_reg": ("float", (2,)), "out_cls": ("class", 3)}


def sparse_autoencoder():
    x = keras.Input((8,), name="x")
    code = L.Dense(3, activation="relu", activity_regularizer=R.L1(0.01), name="code")(x)
    out = L.Dense(8, kernel_regularizer=R.L2(0.001), name="decoded")(code)
    model = keras.Model(x, out, name="sparse_autoencoder")
    return model, dict(optimizer=O.Adam(0.01), loss="mse"), {"decoded": ("same_as_input", "x")}


def residual_add():
    x = keras.Input((6,), name="x")
    h = L.Dense(6, activation="relu", kernel_regularizer=R.L2(0.05), name="dense_1")(x)
    h = L.Dense(6, name="dense_2")(h)
    s = L.Add(name="add")([x, h])
    out = L.Dense(2, kernel_regularizer=R.OrthogonalRegularizer(0.1, "rows"), name="head")(s)
    model = keras.Model(x, out, name="residual_add")
    return model, dict(optimizer=O.SGD(0.05, momentum=0.9), loss="mse"), {"head": ("float", (2,))}


def shared_layer():
    left = keras.Input((3,), name="left")
    right = keras.Input((3,), name="right")
    shared = L.Dense(4, activation="tanh", kernel_regularizer=R.L2(0.1), activity_regularizer=R.L2(0.01), name="shared")
    diff = L.Subtract(name="subtract")([shared(left), shared(right)])
    out = L.Dense(1, name="score")(diff)
    model = keras.Model([left, right], out, name="shared_layer")
    return model, dict(optimizer=O.Adam(0.02), loss="mse"), {"score": ("float", (1,))}


def nested_model():
    inner_in = keras.Input((5,), name="inner_in")
    inner_out = L.Dense(3, activation="relu", kernel_regularizer=R.L1(0.02), activity_regularizer=R.L1(0.01), name="inner_dense")(
        inner_in
    )
    inner = keras.Model(inner_in, inner_out, name="inner")
    x = keras.Input((5,), name="x")
    out = L.Dense(2, kernel_regularizer=R.L2(0.01), name="outer_dense")(inner(x))
    model = keras.Model(x, out, name="nested_model")
    return model, dict(optimizer=O.SGD(0.05, momentum=0.9, nesterov=True), loss="mse"), {"outer_dense": ("float", (2,))}


def activity_regularization():
    x = keras.Input((5,), name="x")
    h = L.Dense(4, name="dense")(x)
    h = L.ActivityRegularization(l1=0.01, l2=0.02, name="act_reg")(h)
    out = L.Dense(1, kernel_regularizer=R.L1L2(0.01, 0.01), name="out")(h)
    model = keras.Model(x, out, name="activity_regularization")
    return model, dict(optimizer=O.Adam(0.01), loss="mse"), {"out": ("float", (1,))}


def dot():
    p = keras.Input((4,), name="p")
    q = keras.Input((4,), name="q")
    hp = L.Dense(3, kernel_regularizer=MyScaledL1(2.0), name="dense_p")(p)
    hq = L.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.05, "columns"), name="dense_q")(q)
    cosine = L.Dot(axes=1, normalize=True, name="cosine")([hp, hq])
    raw = L.Dot(axes=1, normalize=False, name="raw_dot")([hp, hq])
    h = L.Concatenate(name="concat")([cosine, raw])
    out = L.Dense(1, name="out")(h)
    model = keras.Model([p, q], out, name="dot")
    return model, dict(optimizer=O.SGD(0.02, momentum=0.5), loss="mse"), {"out": ("float", (1,))}


def loss_weights():
    x = keras.Input((5,), name="x")
    h = L.Dense(6, activation="relu", kernel_regularizer=R.L2(0.02), activity_regularizer=R.L1(0.005), name="trunk")(x)
    y1 = L.Dense(1, name="y1")(h)
    y2 = L.Dense(3, activation="softmax", kernel_regularizer=R.L1(0.01), name="y2")(h)
    model = keras.Model(x, [y1, y2], name="loss_weights")
    compile_args = dict(
        optimizer=O.Adam(0.01),
        loss={"y1": "mse", "y2": "sparse_categorical_crossentropy"},
        loss_weights={"y1": 0.3, "y2": 1.0},
        metrics={"y2": ["accuracy"]},
    )
    return model, compile_args, {"y1": ("float", (1,)), "y2": ("class", 3)}


def merge_ops():
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    ha = L.Dense(3, activation="tanh", kernel_regularizer=R.L1(0.01), name="dense_a")(a)
    hb = L.Dense(3, activation="tanh", activity_regularizer=R.L2(0.02), name="dense_b")(b)
    hc = L.Dense(3, kernel_regularizer=R.L2(0.01), name="dense_c")(a)
    mul = L.Multiply(name="multiply")([ha, hb])
    avg = L.Average(name="average")([ha, hb, hc])
    mx = L.Maximum(name="maximum")([ha, hb])
    mn = L.Minimum(name="minimum")([hb, hc])
    h = L.Concatenate(name="concat")([mul, avg, mx, mn])
    out = L.Dense(2, name="out")(h)
    model = keras.Model([a, b], out, name="merge_ops")
    return model, dict(optimizer=O.Adam(0.01), loss="mse"), {"out": ("float", (2,))}


def shape_layers():
    x = keras.Input((6,), name="x")
    h = L.Dense(6, kernel_regularizer=R.L1L2(0.01, 0.02), name="dense_in")(x)
    h = L.Reshape((2, 3), name="reshape")(h)
    h = L.Permute((2, 1), name="permute")(h)  # (3, 2)
    h = L.Flatten(name="flatten")(h)
    h = L.Dense(2, activation="relu", activity_regularizer=R.L1(0.02), name="dense_mid")(h)
    h = L.RepeatVector(3, name="repeat")(h)  # (3, 2)
    h = L.Identity(name="identity")(h)
    h = L.Reshape((-1,), name="reshape_flat")(h)
    out = L.Dense(2, kernel_regularizer=R.OrthogonalRegularizer(0.1, "rows"), name="out")(h)
    model = keras.Model(x, out, name="shape_layers")
    return model, dict(optimizer=O.SGD(0.05, momentum=0.9), loss="mse"), {"out": ("float", (2,))}


BUILDERS = [
    two_in_two_out,
    sparse_autoencoder,
    residual_add,
    shared_layer,
    nested_model,
    activity_regularization,
    dot,
    loss_weights,
    merge_ops,
    shape_layers,
]


def make_targets(spec, xs, rng):
    ys = {}
    for name, (kind, arg) in spec.items():
        if kind == "float":
            ys[name] = (rng.standard_normal((BATCH, *arg)) * 0.5).astype(np.float32)
        elif kind == "class":
            ys[name] = rng.integers(0, arg, size=(BATCH,)).astype(np.int32)
        else:  # an autoencoder reconstructs its input
            ys[name] = xs[arg].copy()
    return ys


def structured(values, names):
    """A single array for one input/output, otherwise a dict by name."""
    return values[names[0]] if len(names) == 1 else {n: values[n] for n in names}


def plain(logs):
    return {k: float(v) for k, v in logs.items()}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(23)
    expected = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "batch": BATCH,
        "models": {},
    }
    for build in BUILDERS:
        keras.backend.clear_session()  # auto-generated names restart per model
        keras.utils.set_random_seed(0)
        model, compile_args, target_spec = build()
        name = model.name
        model.set_weights([(rng.standard_normal(w.shape) * 0.4).astype(np.float32) for w in model.get_weights()])
        model.compile(**compile_args)

        input_names = [t.name for t in model.inputs]
        output_names = list(model.output_names)
        assert output_names == list(target_spec), (output_names, list(target_spec))
        xs = {n: rng.standard_normal((BATCH, *t.shape[1:])).astype(np.float32) for n, t in zip(input_names, model.inputs)}
        ys = make_targets(target_spec, xs, rng)
        x_in = structured(xs, input_names)
        y_in = structured(ys, output_names)

        predictions = by_output_name(model, model(x_in, training=False))
        losses = [float(ops.convert_to_numpy(loss)) for loss in model.losses]
        initial = weights_of(model)
        path = os.path.join(OUT, f"{name}.keras")
        model.save(path)
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read("config.json"))
        with open(os.path.join(OUT, f"{name}.config.json"), "w") as f:
            json.dump(config, f, indent=1)
            f.write("\n")

        evaluate = plain(model.evaluate(x_in, y_in, return_dict=True, verbose=0))

        # Training starts from a fresh copy read back from the file.
        fresh = keras.models.load_model(path)
        again = by_output_name(fresh, fresh(x_in, training=False))
        for k, v in predictions.items():
            np.testing.assert_allclose(again[k], v, rtol=1e-6, atol=1e-7)
        fresh_evaluate = plain(fresh.evaluate(x_in, y_in, return_dict=True, verbose=0))
        for k, v in evaluate.items():
            np.testing.assert_allclose(fresh_evaluate[k], v, rtol=1e-6)
        steps = []
        for step in range(3):
            logs = fresh.train_on_batch(x_in, y_in, return_dict=True)
            steps.append({"step": step + 1, "logs": plain(logs)})

        expected["models"][name] = {
            "input_names": input_names,
            "output_names": output_names,
            "inputs": {n: tensor(xs[n]) for n in input_names},
            "targets": {n: tensor(ys[n]) for n in output_names},
            "predictions": {n: tensor(predictions[n].astype(np.float32)) for n in output_names},
            "losses": losses,
            "compile": {
                "optimizer": optimizer_spec(model.optimizer),
                "loss": compile_args["loss"],
                "loss_weights": compile_args.get("loss_weights"),
                "metrics": compile_args.get("metrics"),
            },
            "evaluate": evaluate,
            "initial_weights": initial,
            "train_on_batch": steps,
            "weights_after_training": weights_of(fresh),
        }
        print(f"{name}: losses {[round(v, 6) for v in losses]}, evaluate {evaluate}, step logs {list(steps[0]['logs'])}")

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"wrote {len(BUILDERS)} models to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
