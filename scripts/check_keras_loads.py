"""Loads the .keras files that scripts/save-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, then the predictions and `losses`
on the saved input, compared with what this library computed (rtol 1e-5).

    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/check_keras_loads.py reports/keras-interop
"""

import sys

from keras_script_common import check_predictions_and_losses, input_array, keras, load_case_model, load_expected
from keras_custom_objects import MyScaledL1  # noqa: E402,F401  (registers my_pkg>MyScaledL1)



folder, expected = load_expected("reports/keras-interop")
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading files saved by keras-regularizers")
for name, case in expected.items():
    model = load_case_model(folder, name)
    x = input_array(case["input"])
    ok, worst, losses = check_predictions_and_losses(model, case, x)
    failures += not ok
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {len(model.layers)} layers, predictions max |diff| {worst:.2e}, "
        f"losses keras={[round(v, 6) for v in losses]} ours={[round(v, 6) for v in case['losses']]}, "
        f"optimizer {type(model.optimizer).__name__}"
    )
print(f"{len(expected) - failures}/{len(expected)} models load in Keras with the same predictions and losses")
sys.exit(1 if failures else 0)
