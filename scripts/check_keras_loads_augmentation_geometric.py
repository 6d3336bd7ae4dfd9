"""Loads the .keras models that scripts/save-augmentation-geometric-models-for-keras.ts saved, in real Keras 3.

For each model: keras.models.load_model, the augmentation layers' configs as
Keras read them, the predictions on the saved input compared with this
library's (rtol 1e-5), and one Keras training step (train_on_batch, the
layers augmenting) that runs. RandomCrop: Keras 3.15.1's call returns its
input unchanged outside training (its docstring and compute_output_shape say
it crops); this library crops there as Keras documents, so for that model
the layers run one by one with RandomCrop's own fixed window
(get_random_transformation(training=False), then transform_images), and
Keras's plain predict is reported beside it.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_augmentation_geometric.py reports/keras-interop-augmentation-geometric
"""

import sys

from keras_script_common import input_array, keras, load_case_model, load_expected, np

folder, expected = load_expected("reports/keras-interop-augmentation-geometric")
AUGMENTATION = (
    "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomCrop", "RandomShear",
    "RandomPerspective", "RandomElasticTransform",
)
failures = 0
print(f"Keras {keras.__version__} ({keras.backend.backend()}) loading geometric augmentation models saved by keras-regularizers")
for name, case in expected.items():
    model = load_case_model(folder, name)
    x = input_array(case["input"])
    crop = any(isinstance(layer, keras.layers.RandomCrop) for layer in model.layers)
    if crop:
        h = x
        for layer in model.layers:
            if isinstance(layer, keras.layers.RandomCrop):
                h = layer.transform_images(h, layer.get_random_transformation(h, training=False), training=True)
            else:
                h = layer(h, training=False)
        y = np.asarray(h).reshape(-1)
    else:
        y = np.asarray(model.predict(x, verbose=0)).reshape(-1)
    worst = float(np.max(np.abs(y - np.array(case["predictions"]))))
    same = np.allclose(y, case["predictions"], rtol=1e-5, atol=1e-6)
    described = []
    for layer in model.layers:
        if layer.__class__.__name__ in AUGMENTATION:
            config = {k: v for k, v in layer.get_config().items() if k not in ("name", "trainable", "dtype", "data_format")}
            described.append(f"{layer.__class__.__name__}({config})")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    loss = float(model.train_on_batch(x, np.array([0, 1, 1, 0]), return_dict=True)["loss"])
    ok = same and np.isfinite(loss)
    failures += not ok
    note = ""
    if crop:
        plain = np.asarray(model.predict(x, verbose=0)).reshape(-1)
        note = f" (RandomCrop run with its own fixed window; Keras's plain predict, which skips the crop: max |diff| {float(np.max(np.abs(plain - y))):.2e})"
    print(
        f"{'PASS' if ok else 'FAIL'} {name}: {described}; predictions max |diff| {worst:.2e}{note}; "
        f"a Keras train_on_batch step: loss {loss:.4f}"
    )
sys.exit(1 if failures else 0)
