"""Real Keras loads the playground's exported .keras files and agrees with the page.

`node scripts/playground-screenshot.mjs` trains both runs in headless Chromium
(run B with L1 on its first layer), downloads each run's .keras file and
records what the page predicted for the 1000 validation digits and its last
validation numbers. This script loads each file with Keras and compares:
the regularizers in the config, the predictions, and Keras's `evaluate` (loss
with the penalties, accuracy) against the page's last validation point.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_playground_export.py
"""

import gzip
import json
import pathlib
import sys

import keras
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PIXELS = 28 * 28
# float32 on two engines (XNNPACK in the page, XLA here): sums in another order.
RTOL, ATOL = 1e-4, 1e-6


def validation_digits():
    records = np.frombuffer(gzip.decompress((ROOT / "playground/data/validation.u8.gz").read_bytes()), np.uint8)
    records = records.reshape(-1, 1 + PIXELS)
    return records[:, 1:].astype("float32") / np.float32(255), records[:, 0].astype("int32")


def describe_regularizers(model):
    parts = []
    for layer in model.layers:
        for slot in ("kernel_regularizer", "bias_regularizer", "activity_regularizer"):
            regularizer = getattr(layer, slot, None)
            if regularizer is not None:
                parts.append(f"{layer.name}.{slot}={type(regularizer).__name__}({regularizer.get_config()})")
    return ", ".join(parts) or "none"


def main():
    record = json.loads((REPORTS / "playground-predictions.json").read_text())
    x, labels = validation_digits()
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}; page trained {record['steps']} steps")
    ok = True
    for run, page in record["runs"].items():
        path = REPORTS / f"playground-run-{run.lower()}.keras"
        model = keras.saving.load_model(path)
        expected = np.asarray(page["predictions"], dtype=np.float64)
        predicted = np.asarray(model.predict(x[: len(expected)], verbose=0), dtype=np.float64)
        close = np.allclose(predicted, expected, rtol=RTOL, atol=ATOL)
        same_class = np.mean(predicted.argmax(1) == expected.argmax(1))
        loss, accuracy = model.evaluate(x, labels, batch_size=1000, verbose=0)
        point = page["validation"]
        page_loss = point["dataLoss"] + point["penalty"]
        print(f"run {run}: {path.name}, regularizers: {describe_regularizers(model)}")
        print(
            f"  predictions of {len(expected)} digits: max |keras - page| = {np.max(np.abs(predicted - expected)):.2e}"
            f" (allclose rtol {RTOL}, atol {ATOL}: {close}); same class for {100 * same_class:.1f}%"
        )
        print(
            f"  validation loss (with penalty) keras {loss:.6f} / page {page_loss:.6f}; "
            f"accuracy keras {accuracy:.4f} / page {point['accuracy']:.4f}"
        )
        ok = ok and close and abs(loss - page_loss) <= 1e-4 * max(1.0, abs(page_loss)) and abs(accuracy - point["accuracy"]) < 1e-6
    print("Keras agrees with the page." if ok else "MISMATCH between Keras and the page.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
