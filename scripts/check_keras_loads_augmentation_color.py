"""Loads the .keras models that scripts/save-augmentation-color-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, the layers' classes as saved, the
predictions on the saved input compared with this library's (rtol 1e-5,
inference: AutoContrast applies, the random layers are the identity), the
color layers' configs as Keras read them, and a training call of the first
random layer that changes the images, and one train_on_batch of the model.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_augmentation_color.py reports/keras-interop-augmentation-color
"""

import sys

from keras_script_common import input_array, keras, load_case_model, load_expected, np

folder, expected = load_expected("reports/keras-interop-augmentation-color")
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading color augmentation models saved by keras-regularizers")
for name, case in expected.items():
    model = load_case_model(folder, name)
    x = input_array(case["input"])
    y = np.asarray(model.predict(x, verbose=0)).reshape(-1)
    classes = [layer.__class__.__name__ for layer in model.layers]
    same_classes = classes == case["layers"]
    same_output = np.allclose(y, case["output"], rtol=1e-5, atol=1e-5)
    # The first random layer (one with a seed option) draws in a training call.
    random_index = next(i for i, layer in enumerate(model.layers) if "seed" in layer.get_config())
    h = x
    for layer in model.layers[:random_index]:
        h = np.asarray(layer(h, training=False))
    first = model.layers[random_index]
    draws = not np.allclose(np.asarray(first(h, training=True)), np.asarray(first(h, training=False)))
    model.compile(optimizer="adam", loss="mse")
    loss = float(model.train_on_batch(x, np.zeros_like(np.asarray(model(x))), return_dict=True)["loss"])
    ok = same_classes and same_output and np.isfinite(loss) and draws
    failures += not ok
    print(f"{'ok ' if ok else 'FAIL'} {name}: {len(classes)} layers, predictions max |diff| "
          f"{float(np.max(np.abs(y - np.array(case['output'])))):.2e}, first random layer draws in training: {draws}, "
          f"train_on_batch loss {loss:.4f}")
    for layer in model.layers:
        if layer.__class__.__name__ in case["layers"] and "factor" in str(layer.get_config()):
            config = {k: v for k, v in layer.get_config().items() if k not in ("name", "trainable", "dtype")}
            print(f"    {layer.__class__.__name__} {config}")
sys.exit(1 if failures else 0)
