"""Loads the .keras ConvLSTM models that scripts/save-conv-lstm-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input, compared with what this library computed (rtol 1e-5),
and the layer configs' regularizers as Keras read them.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_conv_lstm.py reports/keras-conv-lstm-interop
"""

import sys

from keras_script_common import check_predictions_and_losses, input_array, keras, load_case_model, load_expected

folder, expected = load_expected("reports/keras-conv-lstm-interop")
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading ConvLSTM models saved by keras-regularizers")
for name, case in expected.items():
    model = load_case_model(folder, name)
    x = input_array(case["input"])
    ok, worst, losses = check_predictions_and_losses(model, case, x)
    failures += not ok
    kinds = ("kernel", "recurrent", "bias", "activity")
    regularized = [
        (layer.__class__.__name__, [k for k in kinds if getattr(layer, f"{k}_regularizer", None)])
        for layer in model.layers
        if layer.__class__.__name__.startswith("ConvLSTM")
    ]
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {len(model.layers)} layers {regularized}, "
        f"predictions max |diff| {worst:.2e}, "
        f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}"
    )
sys.exit(1 if failures else 0)
