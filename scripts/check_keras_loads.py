"""Loads the .keras files that scripts/save-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input, compared with what this library computed (rtol 1e-5).

    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/check_keras_loads.py reports/keras-interop
"""

from keras_script_common import check_saved_models
from keras_custom_objects import MyScaledL1  # noqa: F401  (registers my_pkg>MyScaledL1)

check_saved_models(
    "reports/keras-interop",
    "files",
    extra=lambda model: f", optimizer {type(model.optimizer).__name__}",
    summary=True,
)
