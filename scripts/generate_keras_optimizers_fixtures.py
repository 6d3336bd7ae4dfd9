"""Generates test/fixtures/keras-optimizers.json: Keras 3's other eight optimizers
(Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl, Adafactor, Lamb) applied by real Keras.

"step" cases: three variables of fixed values (1-D, 2-D and 3-D) take a fixed
sequence of five gradients through `apply_gradients`; the case records the
variables after each step, `optimizer.variables` (path, shape, dtype, values)
after step 2 and after step 5, and `get_config()`. Each optimizer runs with its
defaults, one or two non-default option sets, once with clipnorm and once with
use_ema.

"model" cases: a Dense model compiled with each optimizer takes three
`train_on_batch` steps; the case records its weights after each.

Python Keras is not a project dependency; CI reads the committed JSON.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_optimizers_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-optimizers.json")
O = keras.optimizers

SHAPES = {"a": (3,), "b": (2, 3), "c": (2, 2, 3)}
STEPS = 5


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float64).reshape(-1)]


rng = np.random.default_rng(21)
INITIAL = {name: np.round(rng.uniform(-1.5, 1.5, shape), 3).astype(np.float32) for name, shape in SHAPES.items()}
GRADIENTS = [
    {name: np.round(rng.standard_normal(shape), 3).astype(np.float32) for name, shape in SHAPES.items()}
    for _ in range(STEPS)
]
# One exact zero, so sign(0) (Lion) and a zero row take part.
GRADIENTS[1]["b"][0, 1] = 0.0


def optimizer_variables(optimizer):
    return [
        {"path": v.path, "shape": list(v.shape), "dtype": str(v.dtype), "values": floats(v)}
        for v in optimizer.variables
    ]


def step_case(name, cls, **options):
    variables = [keras.Variable(INITIAL[n], name=n) for n in SHAPES]
    optimizer = cls(**options)
    record = {
        "name": name,
        "kind": "step",
        "class_name": cls.__name__,
        "options": options,
        "config": optimizer.get_config(),
        "steps": [],
    }
    for step in range(STEPS):
        optimizer.apply_gradients(zip([GRADIENTS[step][n] for n in SHAPES], variables))
        record["steps"].append([floats(v) for v in variables])
        if step == 1:
            record["state_after_2"] = optimizer_variables(optimizer)
    record["state_after_5"] = optimizer_variables(optimizer)
    record["config_after"] = optimizer.get_config()
    return record


# Non-default options: each optimizer's own, then a base option or two.
CASES = {
    O.Adagrad: [
        {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 1e-3},
        {"learning_rate": 0.05, "initial_accumulator_value": 0.0, "weight_decay": 0.1},
    ],
    O.Adadelta: [
        {"learning_rate": 1.0, "rho": 0.8, "epsilon": 1e-4},
        {"learning_rate": 0.5, "rho": 0.99, "weight_decay": 0.05},
    ],
    O.Adamax: [
        {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-3},
        {"learning_rate": 0.02, "weight_decay": 0.1},
    ],
    O.Nadam: [
        {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4},
        {"learning_rate": 0.02, "weight_decay": 0.1},
    ],
    O.Lion: [
        {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9},
        {"learning_rate": 0.01, "beta_1": 1.0, "weight_decay": 0.5},
    ],
    O.Ftrl: [
        {
            "learning_rate": 0.5,
            "learning_rate_power": -0.7,
            "initial_accumulator_value": 0.3,
            "l1_regularization_strength": 0.05,
            "l2_regularization_strength": 0.1,
            "l2_shrinkage_regularization_strength": 0.02,
            "beta": 0.3,
        },
        {"learning_rate": 0.2, "learning_rate_power": 0.0, "l1_regularization_strength": 0.5},
    ],
    O.Adafactor: [
        {
            "learning_rate": 0.3,
            "beta_2_decay": -0.6,
            "epsilon_1": 1e-20,
            "epsilon_2": 1e-2,
            "clip_threshold": 0.5,
            "relative_step": False,
        },
        {"learning_rate": 0.05, "clip_threshold": 2.0, "weight_decay": 0.1},
    ],
    O.Lamb: [
        {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4},
        {"learning_rate": 0.02, "weight_decay": 0.1},
    ],
}


def model_case(cls, options):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="tanh"), keras.layers.Dense(1)])
    model_rng = np.random.default_rng(5)
    model.set_weights([np.round(model_rng.uniform(-1, 1, w.shape), 3).astype(np.float32) for w in model.get_weights()])
    optimizer = cls(**options)
    model.compile(optimizer=optimizer, loss="mse")
    x = np.round(model_rng.uniform(-1, 1, (4, 3)), 3).astype(np.float32)
    y = np.round(model_rng.uniform(-1, 1, (4, 1)), 3).astype(np.float32)
    record = {
        "name": f"model_{cls.__name__.lower()}",
        "kind": "model",
        "class_name": cls.__name__,
        "options": options,
        "initial_weights": [floats(w) for w in model.get_weights()],
        "x": {"shape": list(x.shape), "values": floats(x)},
        "y": {"shape": list(y.shape), "values": floats(y)},
        "steps": [],
    }
    for _ in range(3):
        loss = model.train_on_batch(x, y)
        record["steps"].append({"loss": float(loss), "weights": [floats(w) for w in model.get_weights()]})
    record["optimizer_variables"] = optimizer_variables(model.optimizer)
    return record


def main():
    cases = []
    for cls, option_sets in CASES.items():
        stem = cls.__name__.lower()
        cases.append(step_case(f"{stem}_default", cls))
        for i, options in enumerate(option_sets):
            cases.append(step_case(f"{stem}_options_{i + 1}", cls, **options))
        cases.append(step_case(f"{stem}_clipnorm", cls, learning_rate=0.05, clipnorm=0.5))
        cases.append(step_case(f"{stem}_ema", cls, learning_rate=0.05, use_ema=True, ema_momentum=0.9))
    # Nadam's u_product advances only on the steps that update (Keras's _backend_update_step).
    cases.append(step_case("nadam_accumulation", O.Nadam, learning_rate=0.05, gradient_accumulation_steps=2))
    for cls in CASES:
        cases.append(model_case(cls, {"learning_rate": 0.05}))
    document = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "initial": {n: {"shape": list(SHAPES[n]), "values": floats(INITIAL[n])} for n in SHAPES},
        "gradients": [{n: floats(g[n]) for n in SHAPES} for g in GRADIENTS],
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(document, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
