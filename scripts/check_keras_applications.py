"""keras.applications both ways with real Keras 3 (issue 23), run at closing; nothing is committed.

1. predict: Keras makes each of the 40 constructors (weights=None, smallest
   input, logits) into a temp dir (generate_keras_applications_fixtures.py
   predict); scripts/check-keras-applications.ts loads each .keras here and
   compares its predictions with Keras's: one line per model (params, load
   time, predict time, max abs diff, pass/fail). On cpu for all, on wasm for
   those under --wasm-max-params. A model over the weight budget must be
   refused before allocating (status `refused`), the engine still working.
2. finetune: one model of each of the 15 families, with and without
   include_top / include_preprocessing: evaluate, a frozen base with a new L2
   head fine-tuned 3 steps here, compared with Keras's numbers; then Keras
   loads each fine-tuned model saved here and must predict what we predicted.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_applications.py [--only NAME ...]
        [--skip-predict] [--skip-finetune] [--wasm-max-params 10000000] [--keep DIR]

Exit code 1 if anything fails. Slow: the largest models take minutes each on both sides.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GENERATOR = os.path.join(HERE, "generate_keras_applications_fixtures.py")
TS = os.path.join(HERE, "check-keras-applications.ts")


def run(command, **kwargs):
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, **kwargs)


def ts(mode, folder, engine, names):
    env = {**os.environ, "TSX_TSCONFIG_PATH": "tsconfig.check.json"}
    result = run(["npx", "tsx", TS, mode, folder, engine, *names], env=env, capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    if result.returncode not in (0, 1) or not lines:
        print(result.stderr[-3000:], flush=True)
        return None
    return json.loads(lines[-1])


def keras_loads_ours(folder, labels):
    """Keras loads each model fine-tuned and saved here; its predictions must be ours."""
    import keras
    import numpy as np

    sys.path.insert(0, HERE)
    from generate_keras_applications_fixtures import pixels

    failures = 0
    for label in labels:
        path = os.path.join(folder, f"{label}.ours.keras")
        if not os.path.exists(path):
            print(f"keras {label}: no file saved here", flush=True)
            failures += 1
            continue
        ours = json.load(open(os.path.join(folder, f"{label}.ours.json")))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
            model = keras.saving.load_model(path)
        x = pixels(*ours["x"]["pixels"][:2])
        got = np.asarray(model(x, training=False), dtype=np.float64).reshape(-1)
        want = np.asarray(ours["prediction"]["values"], dtype=np.float64)
        diff = float(np.max(np.abs(got - want))) if got.shape == want.shape else float("inf")
        ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-5, atol=1e-6)
        failures += 0 if ok else 1
        print(f"keras loads {label:28s} max|diff| {diff:.1e}  {'pass' if ok else 'fail'}", flush=True)
        keras.backend.clear_session()
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--skip-predict", action="store_true")
    parser.add_argument("--skip-finetune", action="store_true")
    parser.add_argument("--wasm-max-params", type=int, default=10_000_000)
    parser.add_argument("--keep", default=None, help="write into this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="keras-applications-")
    failures = 0
    try:
        if not args.skip_predict:
            out = os.path.join(folder, "predict")
            os.makedirs(out, exist_ok=True)
            names = [n for n in args.only if "-" not in n]
            env = {**os.environ, "KEEP_EXISTING": "1"}
            run([sys.executable, GENERATOR, "predict", out, *names], env=env, check=True)
            cpu = ts("predict", out, "cpu", names)
            failures += 1 if cpu is None else cpu["failures"]
            small = [r["name"] for r in (cpu or {"rows": []})["rows"] if r["params"] <= args.wasm_max_params]
            if small:
                wasm = ts("predict", out, "wasm", small)
                failures += 1 if wasm is None else wasm["failures"]
        if not args.skip_finetune:
            out = os.path.join(folder, "finetune")
            os.makedirs(out, exist_ok=True)
            labels = [n for n in args.only if "-" in n]
            run([sys.executable, GENERATOR, "finetune", out, *labels], check=True)
            result = ts("finetune", out, "cpu", labels)
            failures += 1 if result is None else result["failures"]
            done = [r["label"] for r in (result or {"rows": []})["rows"]]
            failures += keras_loads_ours(out, done)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'FAILED' if failures else 'OK'}: {failures} failure(s)", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
