"""Resumes, in real Keras 3, from the files scripts/save-resume-models-for-keras.ts saved (issue 21).

For each case (this library trained 2 epochs, saved <case>.keras and legacy
<case>.h5 with the optimizer's state, then trained 3 more steps), Keras loads
each file (compiled from it, the optimizer built and its state loaded, with
no warning; for .h5, see the note on Keras's legacy loader below), checks the optimizer's iteration count, trains the same 3
steps with train_on_batch and compares the losses and every weight with
ours (rtol 1e-4, atol 1e-6; Lion's elements whose update sign is rounding
noise, their momentum under 1% of their weight's largest, may differ by a
step or two, at most 5% of them, as in test/keras-resume.test.ts). Prints one line per file and the largest
differences; exits 1 on any mismatch.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_resumes.py reports/keras-resume-reverse
"""

import json
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

RTOL, ATOL = 1e-4, 1e-6
folder = sys.argv[1] if len(sys.argv) > 1 else "reports/keras-resume-reverse"
expected = json.load(open(os.path.join(folder, "expected.json")))


def array(v):
    return np.asarray(v["values"], dtype=np.int32 if v["dtype"] == "int32" else np.float32).reshape(v["shape"])


def first_loss(result):
    return float(np.atleast_1d(np.asarray(result, dtype=np.float64))[0])


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "keras-resume")
failures = []
unloadable = []
worst_loss = worst_weight = 0.0
for case in expected["cases"]:
    family = expected["families"][case["family"]]
    x = array(family["x"])
    ys = [array(y) for y in family["y"]]
    for file in (case["keras"], case["h5"]):
        label = file
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model = keras.saving.load_model(os.path.join(folder, file))
            except ValueError as error:
                # Keras 3.15's legacy loader cannot compile a Lamb (not among the optimizers its
                # compatibility shim knows), from its own .h5 files too: checked on Keras's file.
                own = os.path.join(FIXTURES, file)
                if "Could not interpret optimizer identifier" not in str(error) or not os.path.exists(own):
                    raise
                try:
                    keras.saving.load_model(own)
                except ValueError as same:
                    print(f"{label:42s} not loadable by Keras, nor is Keras's own {file}: {same}")
                    unloadable.append(file)
                    continue
                raise
        skipped = [str(w.message) for w in caught if "optimizer" in str(w.message)]
        if skipped:
            failures.append(f"{label}: {skipped[0]}")
        if file.endswith(".h5") and not model.optimizer._trainable_variables and model.trainable_variables:
            # Keras 3.15's legacy loader builds the optimizer on model._trainable_variables (empty for
            # a Sequential or Functional model), loads iteration and learning_rate only, and its
            # train_on_batch then fails ("the optimizer was built with 0 variables"), on Keras's own
            # .h5 files too. Done as that loader means to: build on the trainable variables, then
            # Keras's own set_weights with Keras's own reader of optimizer_weights.
            optimizer = keras.optimizers.deserialize(keras.optimizers.serialize(model.optimizer))
            model.compile(optimizer=optimizer, loss=model.loss)
            optimizer.build(model.trainable_variables)
            with h5py.File(os.path.join(folder, file), "r") as f:
                optimizer.set_weights(legacy_h5_format.load_optimizer_weights_from_hdf5_group(f))
            label += " (built as Keras's legacy loader means to)"

        iteration = int(model.optimizer.iterations.numpy())
        if iteration != case["iteration"]:
            failures.append(f"{label}: iteration {iteration}, ours {case['iteration']}")
        losses = []
        for start, end in expected["steps"]:
            y = ys[0][start:end] if len(ys) == 1 else [t[start:end] for t in ys]
            losses.append(first_loss(model.train_on_batch(x[start:end], y)))
        loss_diff = max(abs(a - b) / abs(b) for a, b in zip(losses, case["losses"]))
        worst_loss = max(worst_loss, loss_diff)
        if not np.allclose(losses, case["losses"], rtol=RTOL, atol=ATOL):
            failures.append(f"{label}: losses {losses}, ours {case['losses']}")
        lr = float(model.optimizer.learning_rate.numpy())
        off, total, case_worst = [], 0, 0.0
        trainable = [id(v) for v in model.trainable_variables]
        momenta = model.optimizer.variables[2:]
        for variable, ours in zip(model.weights, case["weights"]):
            got = np.asarray(variable.numpy(), dtype=np.float64).reshape(-1)
            want = np.asarray(ours["values"], dtype=np.float64)
            total += want.size
            excess = np.abs(got - want) / (ATOL + RTOL * np.abs(want))
            case_worst = max(case_worst, float(excess.max(initial=0)))
            momentum = None
            if case["optimizer"] == "lion" and id(variable) in trainable:
                momentum = np.abs(np.asarray(momenta[trainable.index(id(variable))]).reshape(-1))
            for k in np.flatnonzero(excess > 1):
                noise = momentum is not None and momentum[k] < 0.01 * momentum.max()
                off.append((ours["path"], int(k), float(got[k]), float(want[k]), noise))
        if case["optimizer"] == "lion":
            far = [o for o in off if abs(o[2] - o[3]) > 6 * lr * 1.0001 or not o[4]]
            if far or len(off) > 0.05 * total:
                failures.append(f"{label}: {len(off)} of {total} Lion elements differ, {len(far)} not sign noise")
        elif off:
            failures.append(f"{label}: {len(off)} weights differ, e.g. {off[0]}")
        else:
            worst_weight = max(worst_weight, case_worst)
        print(
            f"{label:42s} iteration {iteration}  losses {' '.join(f'{v:.6f}' for v in losses)}"
            f"  max loss rel diff {loss_diff:.1e}  weights within tolerance x{case_worst:.2f}"
            + (f"  ({len(off)} Lion sign-noise elements)" if case["optimizer"] == "lion" and off else "")
        )

print(f"\n{2 * len(expected['cases']) - len(unloadable)} files resumed ({len(unloadable)} .h5 that Keras cannot load, its own neither) from {expected['backend']}; largest loss rel diff {worst_loss:.2e};")
print(f"largest weight |diff| / (atol + rtol |ours|) outside Lion: {worst_weight:.3f} (1 = the tolerance)")
if failures:
    print("\nFAILURES:")
    for f in failures:
        print(" ", f)
    sys.exit(1)
print("Keras resumes from every file as this library does.")
