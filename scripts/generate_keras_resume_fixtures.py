"""Generates test/fixtures/keras-resume/ with real Keras 3: training that resumes from a file (issue 21).

Five families of small models (an MLP with Dropout at rate 0, a CNN with
BatchNormalization, Embedding+LSTM, a Functional model with two outputs, a
transformer block with MultiHeadAttention and LayerNormalization), each
and Keras's 12 optimizers: each optimizer plain on two families and with
gradient clipping (clipnorm, clipvalue, global_clipnorm) or EMA (use_ema,
ema_overwrite_frequency) on a third (36 cases; see `plan`). For each case Keras:

1. builds the family's model from its initial weights (`initial/<family>.keras`,
   saved once per family, uncompiled: the reverse check starts from it);
2. compiles it with the case's optimizer and fits 2 epochs on the family's
   8 samples (batch 4, shuffle=False: 4 optimizer steps);
3. saves `<case>.keras` and legacy `<case>.h5` (both with the optimizer's
   state: iteration, learning rate, slots);
4. trains 3 more steps with train_on_batch on the batches in `steps`,
   recording each step's loss and, after them, every weight of the model
   (`model.weights` order, BatchNormalization's moving statistics included).

A resumed model that matches these numbers has restored the optimizer's
state exactly: each case's optimizer has state that changes the 3 steps
(moments, accumulators, the iteration count in bias corrections).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_resume_fixtures.py
"""

import json
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-resume")
L = keras.layers
O = keras.optimizers
N, BATCH, EPOCHS = 8, 4, 2
# The 3 resumed steps: the first batch, the second, the first again.
STEPS = [[0, 4], [4, 8], [0, 4]]
rng = np.random.default_rng(20261207)
warnings.filterwarnings("ignore")


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array, dtype="float32"):
    a = np.asarray(array)
    values = [int(v) for v in a.reshape(-1)] if dtype == "int32" else floats(a)
    return {"shape": list(a.shape), "dtype": dtype, "values": values}


def normal(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def classes(k):
    return rng.integers(0, k, (N,)).astype(np.int32)


def mlp():
    model = keras.Sequential(
        [keras.Input((4,)), L.Dense(6, activation="relu"), L.Dropout(0.0), L.Dense(3, activation="softmax")],
        name="mlp",
    )
    return model, normal(N, 4), classes(3), "sparse_categorical_crossentropy"


def cnn():
    model = keras.Sequential(
        [
            keras.Input((5, 5, 1)),
            # No bias before BatchNormalization: its gradient is 0 in exact arithmetic, float noise
            # in practice, which Adam-like optimizers scale up to whole steps of either sign.
            L.Conv2D(2, 3, use_bias=False),
            L.BatchNormalization(),
            L.Activation("relu"),
            L.Flatten(),
            L.Dense(3, activation="softmax"),
        ],
        name="cnn",
    )
    return model, normal(N, 5, 5, 1), classes(3), "sparse_categorical_crossentropy"


def embedding_lstm():
    model = keras.Sequential(
        [keras.Input((5,), dtype="int32"), L.Embedding(10, 3), L.LSTM(4), L.Dense(1)],
        name="embedding_lstm",
    )
    x = rng.integers(0, 10, (N, 5)).astype(np.int32)
    return model, x, normal(N, 1), "mse"


def two_outputs():
    inputs = keras.Input((4,), name="features")
    hidden = L.Dense(5, activation="tanh", name="hidden")(inputs)
    value = L.Dense(1, name="value")(hidden)
    label = L.Dense(3, activation="softmax", name="label")(hidden)
    model = keras.Model(inputs, [value, label], name="two_outputs")
    return model, normal(N, 4), [normal(N, 1), classes(3)], ["mse", "sparse_categorical_crossentropy"]


def transformer():
    inputs = keras.Input((4, 6))
    # No biases: the key's would have a gradient of 0 (softmax ignores a shift), noise as above.
    attended = L.MultiHeadAttention(num_heads=2, key_dim=3, use_bias=False)(inputs, inputs)
    h = L.LayerNormalization()(L.Add()([inputs, attended]))
    h = L.LayerNormalization()(L.Add()([h, L.Dense(6, activation="relu")(h)]))
    outputs = L.Dense(1)(L.GlobalAveragePooling1D()(h))
    model = keras.Model(inputs, outputs, name="transformer")
    return model, normal(N, 4, 6), normal(N, 1), "mse"


FAMILIES = {
    "mlp": mlp,
    "cnn": cnn,
    "embedding_lstm": embedding_lstm,
    "two_outputs": two_outputs,
    "transformer": transformer,
}

# Each optimizer with options that give it state worth restoring.
OPTIMIZERS = {
    "sgd": lambda **kw: O.SGD(learning_rate=0.05, momentum=0.9, nesterov=True, **kw),
    "adam": lambda **kw: O.Adam(learning_rate=0.01, amsgrad=True, **kw),
    "adamw": lambda **kw: O.AdamW(learning_rate=0.01, weight_decay=0.05, **kw),
    "rmsprop": lambda **kw: O.RMSprop(learning_rate=0.01, momentum=0.5, centered=True, **kw),
    "adagrad": lambda **kw: O.Adagrad(learning_rate=0.05, **kw),
    "adadelta": lambda **kw: O.Adadelta(learning_rate=0.5, **kw),
    "adamax": lambda **kw: O.Adamax(learning_rate=0.01, **kw),
    "nadam": lambda **kw: O.Nadam(learning_rate=0.01, **kw),
    "lion": lambda **kw: O.Lion(learning_rate=0.003, **kw),
    "ftrl": lambda **kw: O.Ftrl(
        learning_rate=0.05, l1_regularization_strength=0.001, l2_regularization_strength=0.01, **kw
    ),
    "adafactor": lambda **kw: O.Adafactor(learning_rate=0.01, **kw),
    "lamb": lambda **kw: O.Lamb(learning_rate=0.01, **kw),
}

# Clipping or EMA, one per optimizer.
VARIANTS = {
    "sgd": ("global_clipnorm", {"global_clipnorm": 0.5}),
    "adam": ("ema", {"use_ema": True, "ema_momentum": 0.9}),
    "adamw": ("ema_clipnorm", {"use_ema": True, "ema_momentum": 0.8, "clipnorm": 0.5}),
    "rmsprop": ("clipvalue", {"clipvalue": 0.05}),
    "adagrad": ("clipnorm", {"clipnorm": 0.2}),
    "adadelta": ("ema", {"use_ema": True, "ema_momentum": 0.9}),
    "adamax": ("ema_overwrite", {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3}),
    "nadam": ("global_clipnorm", {"global_clipnorm": 0.1}),
    "lion": ("clipnorm", {"clipnorm": 0.1}),
    "ftrl": ("ema", {"use_ema": True, "ema_momentum": 0.9}),
    "adafactor": ("clipnorm", {"clipnorm": 0.1}),
    "lamb": ("global_clipnorm", {"global_clipnorm": 0.2}),
}


def plan():
    """Not the full cross product (60 cases of ~45 KB of files each): optimizer i runs plain on
    families i and i+2 (mod 5) and with its variant on family i+4, so that every optimizer meets
    3 families and every family meets 7 optimizers (at least 4 of them plain)."""
    families = list(FAMILIES)
    cases = []
    for i, opt in enumerate(OPTIMIZERS):
        variant, kw = VARIANTS[opt]
        cases.append((f"{families[i % 5]}_{opt}", families[i % 5], opt, {}))
        cases.append((f"{families[(i + 2) % 5]}_{opt}", families[(i + 2) % 5], opt, {}))
        cases.append((f"{families[(i + 4) % 5]}_{opt}_{variant}", families[(i + 4) % 5], opt, kw))
    return cases


def batch(values, step):
    start, end = step
    if isinstance(values, list):
        return [v[start:end] for v in values]
    return values[start:end]


def first_loss(result):
    """train_on_batch's total loss (a two-output model also returns each output's)."""
    return float(np.atleast_1d(np.asarray(result, dtype=np.float64))[0])


def make_family(name):
    keras.utils.set_random_seed(1000 + list(FAMILIES).index(name))
    model, x, y, loss = FAMILIES[name]()
    return model, x, y, loss


def main():
    os.makedirs(os.path.join(OUT, "initial"), exist_ok=True)
    families = {}
    for name in FAMILIES:
        model, x, y, loss = FAMILIES_DATA[name]
        model.save(os.path.join(OUT, "initial", f"{name}.keras"))
        ys = y if isinstance(y, list) else [y]
        families[name] = {
            "file": f"initial/{name}.keras",
            "layers": sorted({type(layer).__name__ for layer in model.layers}),
            "x": tensor(x, "int32" if x.dtype == np.int32 else "float32"),
            "y": [tensor(t, "int32" if t.dtype == np.int32 else "float32") for t in ys],
            "loss": loss,
        }

    cases = plan()

    out_cases = []
    for case, family, opt, kw in cases:
        model = keras.saving.load_model(os.path.join(OUT, "initial", f"{family}.keras"))
        _, x, y, loss = FAMILIES_DATA[family]
        optimizer = OPTIMIZERS[opt](**kw)
        model.compile(optimizer=optimizer, loss=loss)
        history = model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
        model.save(os.path.join(OUT, f"{case}.keras"))
        # Keras names both of Adafactor's factored slots of a kernel after the kernel: its own
        # legacy writer then fails on the second ("name already exists"). No .h5 for those.
        h5 = f"{case}.h5"
        try:
            model.save(os.path.join(OUT, h5))
        except ValueError as error:
            if opt != "adafactor":
                raise
            print(case, "no .h5:", error)
            os.remove(os.path.join(OUT, h5))
            h5 = None
        state = [(v.path, v.numpy()) for v in model.optimizer.variables]
        # With use_ema, fit's end assigns each average to its weight as the same JAX buffer, which
        # train_on_batch then donates twice (a JAX error): fresh copies, the same values.
        for v in model.variables + model.optimizer.variables:
            v.assign(np.array(v.numpy()))
        losses = [first_loss(model.train_on_batch(batch(x, s), batch(y, s))) for s in STEPS]
        out_cases.append(
            {
                "name": case,
                "family": family,
                "optimizer": opt,
                "options": kw,
                "config": keras.optimizers.serialize(model.optimizer),
                "keras": f"{case}.keras",
                "h5": h5,
                "fit_loss": [float(v) for v in history.history["loss"]],
                "saved_state": {
                    "names": [p for p, _ in state],
                    "shapes": [list(np.shape(v)) for _, v in state],
                    "iteration": int(state[0][1]),
                },
                "losses": losses,
                "weights": [{"path": v.path, **tensor(v.numpy())} for v in model.weights],
            }
        )
        print(case, losses)

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(
            {
                "keras_version": keras.__version__,
                "batch_size": BATCH,
                "epochs": EPOCHS,
                "steps": STEPS,
                "families": families,
                "cases": out_cases,
            },
            f,
        )


def bad_files():
    """Keras's mlp_rmsprop files, altered where the optimizer state is kept (bad/):

    - count: one variable fewer (Keras warns and skips the state);
    - shape: a slot of another shape (Keras's .keras loader fails on it, its legacy loader warns);
    - text.keras: a slot stored as text; stray.keras: a slot named "x" instead of its index;
    - missing.h5: weight_names lists a slot that has no dataset.
    """
    import io
    import zipfile

    import h5py

    bad = os.path.join(OUT, "bad")
    os.makedirs(bad, exist_ok=True)

    def keras_variant(name, alter):
        with zipfile.ZipFile(os.path.join(OUT, "mlp_rmsprop.keras")) as source:
            entries = {n: source.read(n) for n in source.namelist()}
        buffer = io.BytesIO(entries["model.weights.h5"])
        with h5py.File(buffer, "a") as f:
            alter(f["optimizer/vars"])
        entries["model.weights.h5"] = buffer.getvalue()
        with zipfile.ZipFile(os.path.join(bad, f"{name}.keras"), "w") as target:
            for n, data in entries.items():
                target.writestr(n, data)

    def last(group):
        return str(len(group) - 1)

    def replace(group, key, value):
        del group[key]
        group.create_dataset(key, data=value)

    keras_variant("count", lambda g: g.__delitem__(last(g)))
    keras_variant("shape", lambda g: replace(g, "2", np.zeros((6, 4), np.float32)))
    keras_variant("text", lambda g: replace(g, "3", np.array([b"momentum"])))
    keras_variant("stray", lambda g: g.move(last(g), "x"))

    def h5_variant(name, alter):
        target = os.path.join(bad, f"{name}.h5")
        with open(os.path.join(OUT, "mlp_rmsprop.h5"), "rb") as source, open(target, "wb") as out:
            out.write(source.read())
        with h5py.File(target, "a") as f:
            alter(f["optimizer_weights"])

    def drop_name(group):
        group.attrs["weight_names"] = group.attrs["weight_names"][:-1]

    def reshape(group):
        name = group.attrs["weight_names"][2].decode() if isinstance(group.attrs["weight_names"][2], bytes) else group.attrs["weight_names"][2]
        del group[name]
        group.create_dataset(name, data=np.zeros((6, 4), np.float32))

    def unlist(group):
        names = list(group.attrs["weight_names"])
        del group[names[-1].decode() if isinstance(names[-1], bytes) else names[-1]]

    h5_variant("count", drop_name)
    h5_variant("shape", reshape)
    h5_variant("missing", unlist)


# The data of each family, made once (same seed order as the saved initial models).
FAMILIES_DATA = {}


def prepare():
    for name in FAMILIES:
        FAMILIES_DATA[name] = make_family(name)


if __name__ == "__main__":
    if "--bad-only" not in sys.argv:
        prepare()
        main()
    bad_files()
