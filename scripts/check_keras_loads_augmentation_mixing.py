"""Loads the .keras models that scripts/save-augmentation-mixing-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, the mixing augmentation layers'
classes and configs as Keras read them (a Pipeline's too), the predictions
on the saved input compared with this library's (rtol 1e-5), and a Keras
training call through the augmentation layers (it runs, and it augments).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_augmentation_mixing.py reports/keras-interop-augmentation-mixing
"""

import sys

from keras_script_common import input_array, keras, load_case_model, load_expected, np

folder, expected = load_expected("reports/keras-interop-augmentation-mixing")
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading mixing augmentation models saved by keras-regularizers")


def describe(layer):
    if isinstance(layer, keras.layers.Pipeline):
        return f"Pipeline[{', '.join(describe(inner) for inner in layer.layers)}]"
    config = layer.get_config()
    keys = ("factor", "scale", "fill_value", "kernel_size", "sigma", "alpha", "max_number", "seed", "value_range")
    return f"{layer.__class__.__name__}({ {k: config[k] for k in keys if k in config} })"


for name, case in expected.items():
    model = load_case_model(folder, name)
    x = input_array(case["input"])
    y = np.asarray(model.predict(x, verbose=0)).reshape(-1)
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-6)
    augmenting = [
        describe(layer)
        for layer in model.layers
        if not isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense, keras.layers.Flatten, keras.layers.GlobalAveragePooling2D, keras.layers.Rescaling))
    ]
    trained = np.asarray(model(x, training=True)).reshape(-1)
    augments = not np.allclose(trained, y)
    trainable = len(model.trainable_weights)
    ok = same_output and augments and len(augmenting) >= 1
    failures += not ok
    worst = float(np.max(np.abs(y - np.array(case["output"]))))
    print(f"{'PASS' if ok else 'FAIL'} {name}: {augmenting}; predictions max |diff| {worst:.2e}; a training call augments: {augments}; {trainable} trainable weights")
sys.exit(1 if failures else 0)
