"""Loads the .keras sequence models that scripts/save-sequence-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input (int32 ids or floats), compared with what this library
computed (rtol 1e-5). Masks are not in the files: Keras recomputes them.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_sequence.py reports/keras-sequence-interop
"""

from keras_script_common import check_saved_models

check_saved_models("reports/keras-sequence-interop", "sequence models")
