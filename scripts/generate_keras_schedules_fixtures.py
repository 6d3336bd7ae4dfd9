"""Generates test/fixtures/keras-schedules.json by running real Keras 3.

For each learning-rate schedule and option set: Keras's serialized schedule
(`keras.optimizers.schedules.serialize`), the JSON of an SGD holding it
(`keras.optimizers.serialize`), and the learning rate the optimizer sees at
steps 0..999 as Keras's jitted JAX train step evaluates it, written as the shortest decimal that round-trips to float32.

Python Keras is not a project dependency; CI reads the committed JSON.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_schedules_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-schedules.json")
S = keras.optimizers.schedules
STEPS = 1000

CASES = [
    ("exponential", S.ExponentialDecay(0.1, 100, 0.96)),
    ("exponential staircase", S.ExponentialDecay(0.1, 37, 0.5, staircase=True)),
    ("exponential fast", S.ExponentialDecay(1.0, 250, 0.1, name="fast")),
    ("piecewise", S.PiecewiseConstantDecay([100, 500], [1.0, 0.5, 0.1])),
    ("piecewise many", S.PiecewiseConstantDecay([0, 250, 251, 900], [0.3, 0.2, 0.1, 0.05, 0.01])),
    ("piecewise float boundaries", S.PiecewiseConstantDecay([99.5, 400.7], [0.1, 0.01, 0.001])),
    ("polynomial sqrt", S.PolynomialDecay(0.1, 300, 0.01, power=0.5)),
    ("polynomial cycle", S.PolynomialDecay(0.1, 300, power=2.0, cycle=True)),
    ("polynomial defaults", S.PolynomialDecay(0.5, 1000)),
    ("inverse time", S.InverseTimeDecay(0.1, 1.0, 0.5)),
    ("inverse time staircase", S.InverseTimeDecay(0.1, 100, 0.5, staircase=True)),
    ("cosine", S.CosineDecay(0.1, 800)),
    ("cosine alpha", S.CosineDecay(0.1, 500, alpha=0.1)),
    ("cosine warmup", S.CosineDecay(0.0, 700, warmup_target=0.1, warmup_steps=200)),
    ("cosine warmup alpha", S.CosineDecay(0.01, 300, alpha=0.2, warmup_target=0.1, warmup_steps=100)),
    ("restarts", S.CosineDecayRestarts(0.1, 100)),
    ("restarts t_mul 1", S.CosineDecayRestarts(0.1, 50, t_mul=1.0, m_mul=0.8, alpha=0.05)),
    ("restarts t_mul 1.5", S.CosineDecayRestarts(0.1, 30, t_mul=1.5, m_mul=0.9)),
    ("restarts t_mul 3", S.CosineDecayRestarts(0.2, 100, t_mul=3.0, alpha=0.1)),
]


def f32_text(value):
    """The shortest decimal that reads back as this float32 (numpy's repr)."""
    return float(repr(np.float32(value)).replace("np.float32(", "").rstrip(")"))


def values_of(schedule):
    """The schedule at each step as Keras's JAX train step computes it:
    jitted, with the optimizer's iterations (an int32 scalar on JAX) as a
    traced step. XLA then turns each division by a constant into a multiply
    by its float32 reciprocal, and its cos differs from libm's by an ulp or
    two; so these values differ from the float32 formula in the last bits.
    NaN is written as "NaN" (PolynomialDecay(power=0.5) past decay_steps:
    `step * (1/decay_steps)` can exceed 1, and a negative base to the 0.5
    gives NaN; eager Keras gives end_learning_rate)."""
    fn = jax.jit(lambda step: schedule(step))
    out = []
    for step in range(STEPS):
        value = float(np.float32(fn(np.int32(step))))
        out.append("NaN" if np.isnan(value) else f32_text(value))
    return out


def main():
    cases = []
    for name, schedule in CASES:
        optimizer_json = keras.optimizers.serialize(keras.optimizers.SGD(learning_rate=schedule, name="sgd"))
        cases.append(
            {
                "name": name,
                "kind": "schedule",
                "schedule": keras.optimizers.schedules.serialize(schedule),
                "optimizer": optimizer_json,
                "values": values_of(schedule),
            }
        )
    with open(OUT, "w") as f:
        json.dump({"keras_version": keras.__version__, "steps": STEPS, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
