"""Loads the .keras ConvLSTM models that scripts/save-conv-lstm-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input, compared with what this library computed (rtol 1e-5),
and the layer configs' regularizers as Keras read them.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_conv_lstm.py reports/keras-conv-lstm-interop
"""

from keras_script_common import check_saved_models

KINDS = ("kernel", "recurrent", "bias", "activity")


def describe(model):
    """The layer count and, per ConvLSTM layer, which regularizers Keras read."""
    regularized = [
        (layer.__class__.__name__, [k for k in KINDS if getattr(layer, f"{k}_regularizer", None)])
        for layer in model.layers
        if layer.__class__.__name__.startswith("ConvLSTM")
    ]
    return f"{len(model.layers)} layers {regularized}"


check_saved_models("reports/keras-conv-lstm-interop", "ConvLSTM models", describe=describe)
