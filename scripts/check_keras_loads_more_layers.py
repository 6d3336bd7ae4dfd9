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

import sys

from keras_script_common import check_predictions_and_losses, input_array, keras, load_case_model, load_expected

folder, expected = load_expected("reports/keras-more-layers-interop")
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading more-layers models saved by keras-regularizers")
for name, case in expected.items():
    model = load_case_model(folder, name)
    x = input_array(case["input"])
    ok, worst, losses = check_predictions_and_losses(model, case, x)
    failures += not ok
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {len(model.layers)} layers, predictions max |diff| {worst:.2e}, "
        f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}"
    )
sys.exit(1 if failures else 0)
