"""Loads the .keras models that scripts/save-more-layers-for-keras.ts saved, in real Keras 3.

Attention, AdditiveAttention, RMSNormalization, ReversibleEmbedding (forward and
reverse=True) and the adaptive poolings: Keras-made files trained here 3 SGD
steps and saved back (the masked BiLSTM with Attention among them), and models
built here.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input (int32 ids or floats), compared with what this library
computed (rtol 1e-5). Masks are not in the files: Keras recomputes them.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_more_layers.py reports/keras-more-layers-interop
"""

from keras_script_common import check_saved_models

check_saved_models("reports/keras-more-layers-interop", "more-layers models")
