"""Generates test/fixtures/keras-optimizer-base.json: Keras 3's optimizer base
(`BaseOptimizer.apply`: loss scale, gradient accumulation, clipping, weight
decay, the update, EMA, iterations) and SGD, Adam, AdamW and RMSprop with every
option, applied by real Keras 3.15.1.

Each case: three variables of fixed values (shapes [3], [2, 2], [2], paths
w0, w1, w2) take a fixed sequence of five gradients through
`optimizer.apply_gradients`; the case records the variables after each step,
`optimizer.variables` (name, path, shape, values) after steps 2 and 5,
`get_config()` and `keras.optimizers.serialize(optimizer)`, and with use_ema
the variables after `finalize_variable_values`.

Python Keras is not a project dependency; CI reads the committed JSON.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_optimizer_base_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.utils.naming import to_snake_case  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-optimizer-base.json")
O = keras.optimizers

SHAPES = {"w0": (3,), "w1": (2, 2), "w2": (2,)}
STEPS = 5

rng = np.random.default_rng(2021)
INITIAL = {name: np.round(rng.uniform(-1.0, 1.0, shape), 3).astype(np.float32) for name, shape in SHAPES.items()}
GRADIENTS = [
    {name: np.round(rng.standard_normal(shape), 3).astype(np.float32) for name, shape in SHAPES.items()}
    for _ in range(STEPS)
]


def floats(array):
    # 9 significant digits give every float32 back exactly.
    return [float(f"{v:.9g}") for v in np.asarray(array, dtype=np.float64).reshape(-1)]


def schedule():
    # Halves every 2 steps, smoothly: lr(t) = 0.1 * 0.5 ** (t / 2).
    return O.schedules.ExponentialDecay(initial_learning_rate=0.1, decay_steps=2, decay_rate=0.5)


BASE_OPTIONS = {
    "plain": {},
    "clipnorm": {"clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.3},
    "global_clipnorm": {"global_clipnorm": 0.8},
    "weight_decay": {"weight_decay": 0.1},
    "ema": {"use_ema": True, "ema_momentum": 0.9},
    "ema_overwrite": {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 2},
    "accumulation": {"gradient_accumulation_steps": 2},
    "loss_scale": {"loss_scale_factor": 4.0},
    "schedule": {"learning_rate": schedule},
    # Accumulation with EMA (EMA reads the floor-divided iterations) and a schedule (it reads the raw count).
    "accumulation_ema_schedule": {
        "gradient_accumulation_steps": 2,
        "use_ema": True,
        "ema_momentum": 0.7,
        "ema_overwrite_frequency": 2,
        "learning_rate": schedule,
    },
    "clipnorm_weight_decay": {"clipnorm": 0.5, "weight_decay": 0.05},
}

OPTIMIZERS = {
    "SGD": (O.SGD, {"learning_rate": 0.1}),
    "Adam": (O.Adam, {"learning_rate": 0.05}),
    "AdamW": (O.AdamW, {"learning_rate": 0.05}),
    "RMSprop": (O.RMSprop, {"learning_rate": 0.05}),
}

OWN_OPTIONS = {
    "SGD": {
        "momentum": {"momentum": 0.9},
        "nesterov": {"momentum": 0.9, "nesterov": True},
        "momentum_ema_accumulation": {"momentum": 0.5, "use_ema": True, "gradient_accumulation_steps": 2},
    },
    "Adam": {
        "amsgrad": {"amsgrad": True},
        "betas": {"beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-3},
        "amsgrad_global_clipnorm": {"amsgrad": True, "global_clipnorm": 0.8},
    },
    "AdamW": {"amsgrad": {"amsgrad": True, "weight_decay": 0.2}},
    "RMSprop": {
        "momentum": {"momentum": 0.5},
        "centered": {"centered": True},
        "centered_momentum": {"centered": True, "momentum": 0.3, "rho": 0.8, "epsilon": 1e-3},
        "centered_accumulation_clipvalue": {"centered": True, "gradient_accumulation_steps": 2, "clipvalue": 0.3},
    },
}


def optimizer_state(optimizer):
    return [
        {"name": v.name, "path": v.path, "shape": list(v.shape), "dtype": str(v.dtype), "values": floats(v.numpy())}
        for v in optimizer.variables
    ]


# Steps (1-based) where a variable has no gradient: Keras skips its update, but EMA still averages it.
MISSING = {2: ["w2"], 4: ["w0", "w2"]}


def run(cls, options, missing=None):
    options = {k: (v() if callable(v) else v) for k, v in options.items()}
    # Keras's default name, without auto_name's "_1", "_2" for later instances.
    optimizer = cls(**options, name=to_snake_case(cls.__name__))
    variables = [keras.Variable(INITIAL[name], name=name) for name in SHAPES]
    steps = []
    for step, gradients in enumerate(GRADIENTS, start=1):
        skipped = (missing or {}).get(step, [])
        optimizer.apply_gradients([(None if v.name in skipped else gradients[v.name], v) for v in variables])
        record = {"variables": {v.name: floats(v.numpy()) for v in variables}, "iterations": int(optimizer.iterations)}
        if step in (2, STEPS):
            record["optimizer_variables"] = optimizer_state(optimizer)
        steps.append(record)
    case = {
        "class_name": cls.__name__,
        "options": {k: v for k, v in options.items() if k != "learning_rate" or not callable(options[k])},
        "steps": steps,
        "config": optimizer.get_config(),
        "serialized": O.serialize(optimizer),
    }
    if isinstance(options.get("learning_rate"), O.schedules.LearningRateSchedule):
        case["options"]["learning_rate"] = O.schedules.serialize(options["learning_rate"])
    if missing:
        case["missing"] = {str(k): v for k, v in missing.items()}
    if optimizer.use_ema:
        optimizer.finalize_variable_values(variables)
        case["finalized"] = {v.name: floats(v.numpy()) for v in variables}
    return case


MODEL_OPTIMIZERS = {
    "SGD momentum, clipnorm": (O.SGD, {"learning_rate": 0.1, "momentum": 0.9, "clipnorm": 0.1}),
    "Adam global_clipnorm, EMA overwrite": (
        O.Adam,
        {"learning_rate": 0.05, "global_clipnorm": 0.05, "use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2},
    ),
    "AdamW clipvalue, schedule": (O.AdamW, {"learning_rate": schedule, "weight_decay": 0.1, "clipvalue": 0.02}),
    "RMSprop centered, accumulation": (
        O.RMSprop,
        {"learning_rate": 0.05, "centered": True, "momentum": 0.5, "gradient_accumulation_steps": 2},
    ),
    # The train step scales the loss before the gradient and the optimizer divides the gradients back.
    "SGD momentum, loss scale": (O.SGD, {"learning_rate": 0.1, "momentum": 0.9, "loss_scale_factor": 8.0}),
}


def run_model(cls, options):
    """A Dense layer with an L2 kernel penalty (folded into the update on wasm here) takes 4 train_on_batch steps."""
    options = {k: (v() if callable(v) else v) for k, v in options.items()}
    optimizer = cls(**options, name=to_snake_case(cls.__name__))
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, kernel_regularizer=keras.regularizers.L2(0.05), name="dense")]
    )
    data = np.random.default_rng(7)
    kernel = np.round(data.uniform(-1, 1, (4, 3)), 3).astype(np.float32)
    bias = np.round(data.uniform(-0.5, 0.5, (3,)), 3).astype(np.float32)
    model.set_weights([kernel, bias])
    model.compile(optimizer=optimizer, loss="mse")
    x = np.round(data.standard_normal((6, 4)), 3).astype(np.float32)
    y = np.round(data.standard_normal((6, 3)), 3).astype(np.float32)
    steps = []
    for _ in range(4):
        loss = model.train_on_batch(x, y)
        steps.append({"loss": float(loss), "weights": [floats(w) for w in model.get_weights()]})
    case = {
        "class_name": cls.__name__,
        "options": {k: v for k, v in options.items() if k != "learning_rate" or not callable(options[k])},
        "initial_weights": [floats(kernel), floats(bias)],
        "x": floats(x),
        "y": floats(y),
        "steps": steps,
        "optimizer_variables": optimizer_state(optimizer),
    }
    if isinstance(options.get("learning_rate"), O.schedules.LearningRateSchedule):
        case["options"]["learning_rate"] = O.schedules.serialize(options["learning_rate"])
    return case


def main():
    cases = {}
    for class_name, (cls, defaults) in OPTIMIZERS.items():
        option_sets = {**BASE_OPTIONS, **OWN_OPTIONS[class_name]}
        for label, options in option_sets.items():
            cases[f"{class_name}/{label}"] = run(cls, {**defaults, **options})
        missing_options = {"use_ema": True, "ema_momentum": 0.8, "gradient_accumulation_steps": 2, "weight_decay": 0.1}
        cases[f"{class_name}/missing_gradients"] = run(cls, {**defaults, **missing_options}, MISSING)
    fixture = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "shapes": {name: list(shape) for name, shape in SHAPES.items()},
        "initial": {name: floats(value) for name, value in INITIAL.items()},
        "gradients": [{name: floats(g[name]) for name in SHAPES} for g in GRADIENTS],
        "cases": cases,
        "models": {label: run_model(cls, options) for label, (cls, options) in MODEL_OPTIMIZERS.items()},
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
