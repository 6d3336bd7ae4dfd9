"""Generates test/fixtures/keras-callbacks.json by running real Keras 3.

Keras's callbacks driven directly on a fixed list of epoch logs (no
training): a tiny Dense model whose weights are set to a known value before
each epoch's end (kernel = epoch + 1), so that EarlyStopping's
restore_best_weights shows which epoch it restored.

- early_stopping: every combination of monitor, mode, min_delta, patience,
  baseline, restore_best_weights and start_from_epoch over fixed logs: the
  epoch at which stop_training became True, stopped_epoch, best, best_epoch,
  wait after each epoch, and the epoch whose weights the model ends with.
- reduce_lr: ReduceLROnPlateau options over fixed logs: the learning rate
  after each epoch (the optimizer's float32 variable) and the logs' learning_rate.
- scheduler: LearningRateScheduler with given schedules: the rate per epoch.
- checkpoint: ModelCheckpoint's save decisions and file names (model.save /
  save_weights recorded, not run), per epoch or every n batches.
- formats: Python's format(value, spec) for the template subset.

Python Keras is not a project dependency; CI reads the committed JSON.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_callbacks_fixtures.py
"""

import itertools
import json
import math
import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-callbacks.json")
warnings.simplefilter("ignore")

LOSS_LOGS = [1.0, 0.9, 0.95, 0.91, 0.9, 0.89, 0.93, 0.885, 0.95, 0.96, 0.97, 0.98]
ACC_LOGS = [0.5, 0.6, 0.58, 0.6, 0.62, 0.61, 0.63, 0.6, 0.59, 0.6, 0.6, 0.58]


def epoch_logs():
    return [
        {"loss": 1.2 - 0.05 * i, "val_loss": v, "accuracy": 0.4 + 0.03 * i, "val_accuracy": a}
        for i, (v, a) in enumerate(zip(LOSS_LOGS, ACC_LOGS))
    ]


def tiny_model(optimizer=None):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer or keras.optimizers.SGD(0.1), loss="mse", metrics=["accuracy"])
    # One step builds the compiled metrics, which mode="auto" reads for a metric's direction.
    model.fit(np.zeros((2, 2), np.float32), np.zeros((2, 1), np.float32), verbose=0)
    return model


def mark(model, epoch):
    model.set_weights([np.full((2, 1), epoch + 1, np.float32), np.full((1,), -(epoch + 1), np.float32)])


def none_or(value):
    return None if value is None else float(value)


def early_stopping_cases():
    model = tiny_model()
    cases = []
    grid = itertools.product(
        ["val_loss", "val_accuracy", "loss"],
        ["auto", "min", "max"],
        [0, 0.01, 0.05],
        [0, 1, 3],
        [False, True],
        [False, True],
        [0, 2],
    )
    for monitor, mode, min_delta, patience, use_baseline, restore, start in grid:
        baseline = ({"val_loss": 0.92, "val_accuracy": 0.6, "loss": 1.0}[monitor]) if use_baseline else None
        options = dict(
            monitor=monitor,
            mode=mode,
            min_delta=min_delta,
            patience=patience,
            baseline=baseline,
            restore_best_weights=restore,
            start_from_epoch=start,
        )
        callback = keras.callbacks.EarlyStopping(**options)
        callback.set_model(model)
        model.stop_training = False
        mark(model, 99)
        callback.on_train_begin()
        waits, stopped_at, epochs_run = [], None, 0
        for epoch, logs in enumerate(epoch_logs()):
            mark(model, epoch)
            callback.on_epoch_end(epoch, dict(logs))
            epochs_run += 1
            waits.append(callback.wait)
            if model.stop_training:
                stopped_at = epoch
                break
        callback.on_train_end()
        kernel = float(model.get_weights()[0][0, 0])
        cases.append(
            {
                "options": options,
                "stopped_at": stopped_at,
                "stopped_epoch": callback.stopped_epoch,
                "best": none_or(callback.best),
                "best_epoch": callback.best_epoch,
                "waits": waits,
                "final_weights_epoch": int(kernel) - 1,
            }
        )
    return cases


def missing_monitor_case():
    model = tiny_model()
    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0)
    callback.set_model(model)
    callback.on_train_begin()
    for epoch in range(4):
        callback.on_epoch_end(epoch, {"loss": 1.0 - epoch * 0.1})
    return {"stop_training": bool(model.stop_training), "best": none_or(callback.best)}


def reduce_lr_cases():
    cases = []
    grid = itertools.product([0.5, 0.1], [0, 2], [0, 1, 2], [0.0, 0.02], [1e-4, 0.05], ["auto", "max"])
    for factor, patience, cooldown, min_lr, min_delta, mode in grid:
        monitor = "val_loss" if mode == "auto" else "val_accuracy"
        options = dict(
            monitor=monitor,
            factor=factor,
            patience=patience,
            cooldown=cooldown,
            min_lr=min_lr,
            min_delta=min_delta,
            mode=mode,
        )
        model = tiny_model(keras.optimizers.SGD(0.1))
        model.optimizer.learning_rate = 0.1
        callback = keras.callbacks.ReduceLROnPlateau(**options)
        callback.set_model(model)
        callback.on_train_begin()
        rates, logged = [], []
        for epoch, logs in enumerate(epoch_logs()):
            logs = dict(logs)
            callback.on_epoch_end(epoch, logs)
            logged.append(logs["learning_rate"])
            rates.append(float(np.float32(model.optimizer.learning_rate)))
        cases.append({"options": options, "learning_rates": rates, "logged": logged})
    return cases


SCHEDULES = {
    "decay after 2": lambda epoch, lr: lr if epoch < 2 else lr * 0.9,
    "inverse": lambda epoch, lr: 0.1 / (1 + epoch),
    "exp": lambda epoch, lr: lr * math.exp(-0.1),
}


def scheduler_cases():
    cases = []
    for name, schedule in SCHEDULES.items():
        model = tiny_model(keras.optimizers.SGD(0.05))
        model.optimizer.learning_rate = 0.05
        callback = keras.callbacks.LearningRateScheduler(schedule)
        callback.set_model(model)
        rates, logged = [], []
        for epoch in range(8):
            callback.on_epoch_begin(epoch)
            rates.append(float(np.float32(model.optimizer.learning_rate)))
            logs = {"loss": 1.0}  # Keras replaces an empty dict (`logs or {}`)
            callback.on_epoch_end(epoch, logs)
            logged.append(logs["learning_rate"])
        cases.append({"name": name, "learning_rates": rates, "logged": logged})
    return cases


CHECKPOINTS = [
    dict(filepath="ckpt/model.{epoch:02d}-{val_loss:.2f}.keras"),
    dict(filepath="ckpt/best.keras", save_best_only=True),
    dict(filepath="best-{epoch}-{val_loss}.keras", save_best_only=True, monitor="val_loss", mode="min"),
    dict(filepath="acc-{epoch:03d}_{val_accuracy:.4f}_{loss:e}.weights.h5", save_best_only=True,
         save_weights_only=True, monitor="val_accuracy"),
    dict(filepath="thr-{epoch}.keras", save_best_only=True, initial_value_threshold=0.9),
    dict(filepath="thr-max-{epoch}.keras", save_best_only=True, monitor="val_accuracy", initial_value_threshold=0.6),
    dict(filepath="b{epoch:02d}-{batch:04d}-{loss:.3f}.keras", save_freq=2),
    dict(filepath="every3/{epoch}-{batch}.weights.h5", save_freq=3, save_weights_only=True),
    dict(filepath="best-batch.keras", save_freq=2, save_best_only=True, monitor="loss"),
]


def checkpoint_cases():
    cases = []
    for options in CHECKPOINTS:
        model = tiny_model()
        written = []
        model.save = lambda filepath, overwrite=True: written.append(["save", filepath])
        model.save_weights = lambda filepath, overwrite=True: written.append(["save_weights", filepath])
        callback = keras.callbacks.ModelCheckpoint(**options)
        callback.set_model(model)
        callback.on_train_begin()
        error = None
        try:
            for epoch, logs in enumerate(epoch_logs()[:6]):
                callback.on_epoch_begin(epoch)
                for batch in range(5):
                    batch_logs = {"loss": round(1.0 - 0.01 * (5 * epoch + batch) + 0.03 * (batch % 2), 6)}
                    callback.on_train_batch_end(batch, batch_logs)
                callback.on_epoch_end(epoch, dict(logs))
        except TypeError as e:
            # Keras sets the comparison at the first epoch end: a best-only save on a batch before it fails.
            error = f"TypeError: {e}"
        cases.append({"options": options, "written": written, "error": error})
    return cases


def csv_cases():
    """CSVLogger's file for the epoch logs: with validation logs, without them
    (Keras adds val_ columns of NA), appended to, and with another separator."""
    import tempfile

    cases = []
    train_only = [{k: v for k, v in logs.items() if not k.startswith("val_")} for logs in epoch_logs()[:3]]
    weird = [{"loss": 0.1, "a;b": 1e-05, 'q"uote': 2.5, "big": 1e16}]
    for name, runs, options in [
        ("with validation", [epoch_logs()[:3]], {}),
        ("train only", [train_only], {}),
        ("appended", [epoch_logs()[:2], epoch_logs()[2:4]], {"append": True}),
        ("separator", [weird], {"separator": ";"}),
    ]:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "log.csv")
            for logs_list in runs:
                callback = keras.callbacks.CSVLogger(path, **options)
                callback.set_model(tiny_model_cached())
                callback.on_train_begin()
                for epoch, logs in enumerate(logs_list):
                    callback.on_epoch_end(epoch, dict(logs))
                callback.on_train_end()
            with open(path, newline="") as f:
                text = f.read()
        cases.append({"name": name, "options": options, "runs": runs, "text": text})
    return cases


def swap_ema_cases():
    """A real fit with SGD(use_ema=True) and SwapEMAWeights: the weights a
    callback after it sees at each epoch's end, and the weights after fit."""
    cases = []
    for swap_on_epoch in [True, False]:
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5), loss="mse")
        model.set_weights([np.array([[0.5], [-0.5]], np.float32), np.zeros((1,), np.float32)])
        seen = []
        record = keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: seen.append([float(v) for v in model.get_weights()[0].reshape(-1)])
        )
        x = np.ones((4, 2), np.float32)
        y = np.ones((4, 1), np.float32)
        # Validation runs on the moving averages: fit's evaluate calls on_test_begin/on_test_end.
        x_val = np.array([[1, 2], [3, -1]], np.float32)
        y_val = np.array([[0.5], [2]], np.float32)
        history = model.fit(x, y, epochs=3, batch_size=2, shuffle=False, verbose=0, validation_data=(x_val, y_val),
                            callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch), record])
        final = [float(v) for v in model.get_weights()[0].reshape(-1)]
        cases.append({"swap_on_epoch": swap_on_epoch, "seen": seen, "final": final,
                      "x_val": x_val.tolist(), "y_val": y_val.tolist(),
                      "val_loss": [float(v) for v in history.history["val_loss"]],
                      "loss": [float(v) for v in history.history["loss"]]})
    return cases


_cached = []


def tiny_model_cached():
    if not _cached:
        _cached.append(tiny_model())
    return _cached[0]


FORMAT_VALUES = [0.125, 0.5, 1.5, 2.5, 1e-05, 123456.789, 1e16, -0.0, 0.1 + 0.2, 1 / 3, 2.675, 1e-07,
                 1.234e-05, 99.995, 0.1, 1.0, -3.75, 1e22, 5e-324, 0.000123456789, float("nan"), float("inf"),
                 float("-inf"), 0.9999995, 9.5, 10.5, 1234567.0]
FORMAT_INTS = [0, 5, 12, 123, -7, 1234567]
FORMAT_SPECS = ["", ".2f", ".0f", "#.0f", ".3e", "e", "g", ".3g", ".10g", "#.3g", "02d", "05.1f", "+.2f", " .2f",
                ">10.3f", "<8.2f", "^9.1f", "*^9.1f", ",.2f", "_d", ",d", ".2%", "%", "E", "G", "F", ".3", "10",
                "010.4f", "=+10.2f", ".1e", ".0e", "#.0e", "g", ".0g", ".1", "3d", "+d", "012,.2f", ".5f"]


def format_cases():
    out = []
    for values, is_int in [(FORMAT_VALUES, False), (FORMAT_INTS, True)]:
        for value in values:
            for spec in FORMAT_SPECS:
                try:
                    text = format(value, spec)
                except ValueError:
                    text = None
                v = value if is_int else ("NaN" if value != value else value if math.isfinite(value) else
                                          ("Infinity" if value > 0 else "-Infinity"))
                out.append([v, spec, is_int, text])
    return out


def repr_cases():
    values = [0.1, 1.0, 1e-05, 0.0001, 1e16, 1e15, 123.456, -2.5, 5e-324, 1.7976931348623157e308, 0.3 + 0.6,
              float(np.float32(0.1)), float(np.float32(1e-5)), 100.0, 12345678901234567.0]
    return [[v, repr(v)] for v in values]


def main():
    data = {
        "keras_version": keras.__version__,
        "epoch_logs": epoch_logs(),
        "early_stopping": early_stopping_cases(),
        "early_stopping_missing_monitor": missing_monitor_case(),
        "reduce_lr": reduce_lr_cases(),
        "scheduler": scheduler_cases(),
        "checkpoint": checkpoint_cases(),
        "csv": csv_cases(),
        "swap_ema": swap_ema_cases(),
        "formats": format_cases(),
        "reprs": repr_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(data['early_stopping'])} EarlyStopping cases, {len(data['reduce_lr'])} ReduceLROnPlateau")


if __name__ == "__main__":
    main()
