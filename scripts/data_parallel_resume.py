"""A run that starts here, continues in Keras on JAX under DataParallel, and comes back (issue 21).

1. This library (scripts/data-parallel-resume.ts start): the CNN with
   BatchNormalization of test/fixtures/keras-resume/, Adam with amsgrad,
   2 epochs (4 steps, batch 4), saved as start.keras with the optimizer state.
2. Keras 3 on JAX with two host devices (XLA_FLAGS=--xla_force_host_platform_device_count=2)
   under keras.distribution.DataParallel: loads start.keras (the optimizer
   built and its state loaded), trains 2 more epochs (each batch of 4 split
   2 + 2 across the devices), saves keras.keras.
3. This library again (finish): loads keras.keras, trains 2 more epochs.
4. This library (straight): the same 6 epochs in one run.

The final weights and the per-epoch losses of 1-3 are compared with 4
(rtol 1e-4; they differ only by float32 rounding between the engines and
the devices' partial sums). Exits 1 on a mismatch.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/data_parallel_resume.py [folder]
"""

import json
import os
import subprocess
import sys
import tempfile
import warnings

os.environ["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=2"
os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RTOL, ATOL = 1e-4, 1e-6
folder = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="data-parallel-resume-")
os.makedirs(folder, exist_ok=True)


def ours(mode):
    env = dict(os.environ, TSX_TSCONFIG_PATH=os.path.join(ROOT, "tsconfig.check.json"))
    cmd = ["node", "--import", "tsx", os.path.join(HERE, "data-parallel-resume.ts"), mode, folder]
    print("$", " ".join(cmd[3:]), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)


ours("start")

devices = jax.devices()
assert len(devices) == 2, f"expected 2 host devices, got {devices}"
keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
expected = json.load(open(os.path.join(ROOT, "test", "fixtures", "keras-resume", "expected.json")))
family = expected["families"]["cnn"]
x = np.asarray(family["x"]["values"], dtype=np.float32).reshape(family["x"]["shape"])
y = np.asarray(family["y"][0]["values"], dtype=np.int32).reshape(family["y"][0]["shape"])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = keras.saving.load_model(os.path.join(folder, "start.keras"))
skipped = [str(w.message) for w in caught if "optimizer" in str(w.message)]
assert not skipped, skipped
print("Keras: loaded start.keras, optimizer iteration", int(model.optimizer.iterations.numpy()))
print("Keras: kernel sharded over", model.weights[0].value.sharding)
history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
keras_losses = [float(v) for v in history.history["loss"]]
print("Keras (DataParallel, 2 devices): epoch losses", keras_losses, "iteration", int(model.optimizer.iterations.numpy()))
model.save(os.path.join(folder, "keras.keras"))
keras.distribution.set_distribution(None)

ours("finish")
ours("straight")
finish = json.load(open(os.path.join(folder, "finish.json")))
straight = json.load(open(os.path.join(folder, "straight.json")))
start_losses = straight["losses"][:2]  # the start run is the straight run's first 2 epochs, same process type
split_losses = keras_losses + finish["losses"]
print("\nepoch losses 3-6, split (Keras DataParallel, then here):", [f"{v:.7f}" for v in split_losses])
print("epoch losses 3-6, straight here:                        ", [f"{v:.7f}" for v in straight["losses"][2:]])
loss_rel = max(abs(a - b) / abs(b) for a, b in zip(split_losses, straight["losses"][2:]))
worst = 0.0
for a, b in zip(finish["weights"], straight["weights"]):
    got, want = np.asarray(a["values"]), np.asarray(b["values"])
    worst = max(worst, float((np.abs(got - want) / (ATOL + RTOL * np.abs(want))).max(initial=0)))
print(f"iterations: split {finish['iterations']}, straight {straight['iterations']}")
print(f"largest loss rel diff {loss_rel:.2e}; largest weight |diff| / (atol + rtol |straight|) {worst:.3f} (1 = tolerance)")
ok = finish["iterations"] == straight["iterations"] and loss_rel <= RTOL and worst <= 1
print("MATCH" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
