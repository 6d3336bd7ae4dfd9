"""Loads legacy .h5 model files saved by this library in real Keras 3 and compares.

The folder holds <name>.h5 files (saving.saveModel(model, 'm.h5')) and an
expected.json in the schema of scripts/check_keras_loads_functional.py, whose
checks run unchanged on each file: keras.models.load_model('<name>.h5')
(Keras's legacy HDF5 loader), the predictions, `losses` and, where the file
holds a training_config and the case has targets, evaluate's loss, each at
rtol 1e-5. One line per model; exit status 1 on any mismatch.

    npm run build && npx tsx scripts/save-legacy-h5-models-for-keras.ts reports/keras-interop-h5
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_h5.py reports/keras-interop-h5
"""

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import check_keras_loads_functional as functional  # noqa: E402

if __name__ == "__main__":
    functional.EXTENSION = ".h5"
    if len(sys.argv) < 2:
        sys.argv.append("reports/keras-interop-h5")
    functional.main()
