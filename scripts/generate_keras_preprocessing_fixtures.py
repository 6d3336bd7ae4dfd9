"""Generates test/fixtures/keras-preprocessing.json and test/fixtures/keras-preprocessing/*.keras with real Keras 3.

Keras's deterministic preprocessing layers that run without TensorFlow
(Rescaling, Normalization, Resizing, CenterCrop, Discretization,
CategoryEncoding):

- 'pre_call' cases: a layer's Keras JSON, its input and Keras's output (same
  in training and inference calls), its weights (Normalization's mean,
  variance, count) when it has any.
- 'pre_adapt' cases: Normalization adapted on an array and on a list of
  batches (Keras's streaming merge), Discretization adapted with num_bins:
  the state Keras computes and the output on a probe input.
- 'pre_error' cases: Keras's own error texts for bad arguments.
- test/fixtures/keras-preprocessing/image_cnn.keras: Rescaling, an adapted
  Normalization, Resizing and CenterCrop in front of Conv2D; and
  binned_dense.keras: Discretization and CategoryEncoding in front of
  Dense. Each with Keras's predictions, then 2 SGD train_on_batch steps'
  losses and weights. norm_dense.h5: a legacy whole-model file with an
  adapted Normalization (its int count), with Keras's predictions.

Hashing, IntegerLookup and StringLookup need TensorFlow in Keras 3.15.1
(their constructors raise ImportError without it); the environment that
makes these fixtures has none, so their tests work from Keras's source.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_preprocessing_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.layers.preprocessing import normalization as normalization_module  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-preprocessing.json")
MODELS = os.path.join(ROOT, "keras-preprocessing")
rng = np.random.default_rng(20261207)
L = keras.layers


class _NoDataset:
    """Stands in for tf.data.Dataset: Normalization.adapt asks isinstance(data, tf.data.Dataset) before iterating a list."""


class _NoData:
    Dataset = _NoDataset


class _NoTf:
    data = _NoData


# Keras only checks the type; without TensorFlow the check itself raises.
normalization_module.tf = _NoTf


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float64).reshape(-1)]


def values(array):
    array = np.asarray(array)
    dtype = "int32" if np.issubdtype(array.dtype, np.integer) else "float32"
    return {"shape": list(array.shape), "dtype": dtype, "values": floats(array.astype(np.float32) if dtype == "float32" else array)}


def serialize(layer):
    return json.loads(json.dumps(keras.saving.serialize_keras_object(layer), default=list))


def call_case(name, layer, x):
    y = layer(x)
    y_train = layer(x, training=True)
    assert np.array_equal(np.asarray(y), np.asarray(y_train))
    case = {
        "name": name,
        "kind": "pre_call",
        "class_name": layer.__class__.__name__,
        "json": serialize(layer),
        "input": values(x),
        "output": values(y),
    }
    if layer.weights:
        case["weights"] = [values(w) for w in layer.weights]
    return case


def images(shape):
    return rng.uniform(0, 255, shape).astype(np.float32)


cases = []
x_img = images((2, 5, 7, 3))
cases += [
    call_case("Rescaling(1/255)", L.Rescaling(1.0 / 255), x_img),
    call_case("Rescaling(1/127.5, offset=-1)", L.Rescaling(1.0 / 127.5, offset=-1.0), x_img),
    call_case("Rescaling on int32 inputs", L.Rescaling(0.5, offset=2.0), np.arange(12, dtype=np.int32).reshape(3, 4)),
    call_case("Rescaling with a per-channel scale", L.Rescaling([0.5, 2.0, -1.0], offset=[1.0, 0.0, 3.0]), x_img),
    call_case(
        "Normalization with mean and variance",
        L.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 0.25, 0.0]),
        x_img,
    ),
    call_case(
        "Normalization, invert",
        L.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 0.25, 9.0], invert=True),
        x_img[..., :3] / 255,
    ),
    call_case("Normalization, scalar mean, axis None", L.Normalization(axis=None, mean=5.0, variance=16.0), x_img),
    call_case(
        "Normalization, axis (1, 2) with a (5, 7) mean",
        L.Normalization(axis=(1, 2), mean=rng.uniform(0, 9, (5, 7)).tolist(), variance=rng.uniform(1, 9, (5, 7)).tolist()),
        x_img[..., 0],
    ),
]
for interpolation in ("bilinear", "nearest"):
    for height, width in ((3, 4), (8, 11), (5, 3)):
        cases.append(call_case(f"Resizing({height}, {width}, {interpolation})", L.Resizing(height, width, interpolation=interpolation), x_img))
    cases.append(call_case(f"Resizing(4, 4, {interpolation}, crop_to_aspect_ratio)", L.Resizing(4, 4, interpolation=interpolation, crop_to_aspect_ratio=True), x_img))
    cases.append(call_case(f"Resizing(4, 4, {interpolation}, pad_to_aspect_ratio)", L.Resizing(4, 4, interpolation=interpolation, pad_to_aspect_ratio=True), x_img))
    cases.append(call_case(f"Resizing(9, 4, {interpolation}, pad_to_aspect_ratio, fill 7)", L.Resizing(9, 4, interpolation=interpolation, pad_to_aspect_ratio=True, fill_value=7.0), x_img))
cases += [
    call_case("Resizing(4, 4, crop_to_aspect_ratio) on a single image", L.Resizing(4, 4, crop_to_aspect_ratio=True), x_img[0]),
    call_case("Resizing(6, 4, channels_first)", L.Resizing(6, 4, data_format="channels_first"), x_img.transpose(0, 3, 1, 2)),
    call_case("Resizing(3, 3) on int32 inputs", L.Resizing(3, 3), np.arange(2 * 5 * 7, dtype=np.int32).reshape(1, 5, 7, 2)),
    call_case("CenterCrop(3, 4)", L.CenterCrop(3, 4), x_img),
    call_case("CenterCrop(4, 6) on a single image", L.CenterCrop(4, 6), x_img[1]),
    call_case("CenterCrop(2, 3, channels_first)", L.CenterCrop(2, 3, data_format="channels_first"), x_img.transpose(0, 3, 1, 2)),
    call_case("CenterCrop(8, 4): taller than the image, smart_resize", L.CenterCrop(8, 4), x_img),
    call_case("CenterCrop(6, 9): larger than the image, smart_resize", L.CenterCrop(6, 9), x_img),
    call_case("CenterCrop(5, 7): the image itself", L.CenterCrop(5, 7), x_img),
]
x_num = np.array([[-1.5, 0.0, 0.2, 1.0], [2.5, 3.0, 9.0, -0.0]], dtype=np.float32)
for mode in ("int", "one_hot", "multi_hot", "count"):
    cases.append(call_case(f"Discretization([0, 1, 2.5], {mode})", L.Discretization(bin_boundaries=[0.0, 1.0, 2.5], output_mode=mode), x_num if mode != "one_hot" else x_num[:, :1]))
cases.append(call_case("Discretization on a rank-1 input, count", L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="count"), x_num[0]))
ids = np.array([[0, 1, 1, 3], [2, 2, 2, 0]], dtype=np.int32)
for mode in ("one_hot", "multi_hot", "count"):
    cases.append(call_case(f"CategoryEncoding(5, {mode})", L.CategoryEncoding(5, output_mode=mode), ids if mode != "one_hot" else ids[:, :1]))
cases += [
    call_case("CategoryEncoding(4, one_hot) on a rank-1 input", L.CategoryEncoding(4, output_mode="one_hot"), np.array([3, 0, 1], dtype=np.int32)),
    call_case("CategoryEncoding(4, multi_hot) on a rank-1 input", L.CategoryEncoding(4, output_mode="multi_hot"), np.array([3, 0, 3], dtype=np.int32)),
    call_case("CategoryEncoding(3, count) on float ids", L.CategoryEncoding(3, output_mode="count"), np.array([[0.0, 2.0, 2.0]], dtype=np.float32)),
]


def normalization_adapt(name, layer, data, probe):
    layer.adapt(data)
    return {
        "name": name,
        "kind": "pre_adapt",
        "class_name": "Normalization",
        "json": serialize(layer),
        "data": [values(b) for b in data] if isinstance(data, list) else values(data),
        "batches": isinstance(data, list),
        "weights": [values(w) for w in layer.weights],
        "probe": values(probe),
        "output": values(layer(probe)),
    }


def discretization_adapt(name, layer, data, probe):
    # Keras's adapt for an array (its tf.data check needs TensorFlow): reset, update, finalize.
    layer.reset_state()
    batches = data if isinstance(data, list) else [data]
    for batch in batches:
        layer.update_state(batch)
    layer.finalize_state()
    return {
        "name": name,
        "kind": "pre_adapt",
        "class_name": "Discretization",
        "json": serialize(layer),
        "data": [values(b) for b in data] if isinstance(data, list) else values(data),
        "batches": isinstance(data, list),
        "bin_boundaries": floats(layer.bin_boundaries),
        "probe": values(probe),
        "output": values(layer(probe)),
    }


feats = rng.normal(3.0, 2.0, (16, 3)).astype(np.float32)
cases += [
    normalization_adapt("Normalization.adapt(array), axis -1", L.Normalization(), feats, feats[:3]),
    normalization_adapt("Normalization.adapt(array), axis None", L.Normalization(axis=None), feats, feats[:3]),
    normalization_adapt(
        "Normalization.adapt(list of batches), axis -1",
        L.Normalization(),
        [feats[:5], feats[5:11], feats[11:]],
        feats[:3],
    ),
    normalization_adapt("Normalization.adapt(images), axis -1", L.Normalization(), x_img / 255, x_img[:1] / 255),
    normalization_adapt("Normalization.adapt(array), axis (1, 2)", L.Normalization(axis=(1, 2)), x_img[..., :2] / 255, x_img[:1, ..., :2] / 255),
    discretization_adapt("Discretization.adapt, num_bins 4", L.Discretization(num_bins=4), rng.normal(0, 1, (50,)).astype(np.float32), np.array([[-2.0, -0.3, 0.0, 0.4, 3.0]], dtype=np.float32)),
    discretization_adapt("Discretization.adapt, num_bins 3, epsilon 0.1", L.Discretization(num_bins=3, epsilon=0.1), np.arange(40, dtype=np.float32).reshape(8, 5), np.array([[0.0, 13.0, 14.0, 27.0, 39.0]], dtype=np.float32)),
    discretization_adapt("Discretization.adapt, two batches, one_hot", L.Discretization(num_bins=3, output_mode="one_hot"), [np.arange(0, 12, dtype=np.float32), np.arange(30, 36, dtype=np.float32)], np.array([1.0, 8.0, 33.0], dtype=np.float32)),
]


def error_case(name, make):
    try:
        make()
    except Exception as error:  # noqa: BLE001
        return {"name": name, "kind": "pre_error", "type": type(error).__name__, "message": str(error)}
    raise AssertionError(f"{name}: Keras accepted it")


cases += [
    error_case("Normalization mean without variance", lambda: L.Normalization(mean=[1.0])),
    error_case("Normalization mean and variance of different shapes", lambda: L.Normalization(mean=[1.0, 2.0], variance=[1.0])),
    error_case("Normalization axis out of range", lambda: L.Normalization(axis=3)(np.zeros((2, 3), np.float32))),
    error_case("Resizing bad interpolation", lambda: L.Resizing(2, 2, interpolation="cubic")(x_img)),
    error_case("Resizing crop and pad", lambda: L.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)(x_img)),
    error_case("Discretization negative num_bins", lambda: L.Discretization(num_bins=-1)),
    error_case("Discretization both", lambda: L.Discretization(num_bins=2, bin_boundaries=[0.0])),
    error_case("Discretization neither", lambda: L.Discretization()),
    error_case("Discretization bad output_mode", lambda: L.Discretization(num_bins=2, output_mode="tf_idf")),
    error_case("Discretization not adapted", lambda: L.Discretization(num_bins=2)(x_num)),
    error_case("Discretization adapt with boundaries", lambda: L.Discretization(bin_boundaries=[0.0]).adapt(x_num)),
    error_case("CategoryEncoding no num_tokens", lambda: L.CategoryEncoding()),
    error_case("CategoryEncoding num_tokens 0", lambda: L.CategoryEncoding(0)),
    error_case("CategoryEncoding bad output_mode", lambda: L.CategoryEncoding(3, output_mode="int")),
]

# Whole models: Keras-made files with Keras's predictions and two SGD steps.
os.makedirs(MODELS, exist_ok=True)
models = {}


def model_case(name, model, x, y, loss):
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss=loss)
    path = os.path.join(MODELS, f"{name}.keras")
    model.save(path)
    entry = {
        "input": values(x),
        "target": values(y),
        "output": values(model.predict(x, verbose=0)),
        "weights": [values(w) for w in model.weights],
        "weight_paths": [w.path for w in model.weights],
        "steps": [],
    }
    for _ in range(2):
        loss_value = model.train_on_batch(x, y)
        entry["steps"].append({"loss": float(loss_value), "weights": [values(w) for w in model.weights]})
    entry["output_after"] = values(model.predict(x, verbose=0))
    models[name] = entry


keras.utils.set_random_seed(3)
x_model = images((3, 9, 10, 3))
norm = L.Normalization()
norm.adapt(x_model / 255)
image_cnn = keras.Sequential([
    keras.Input((9, 10, 3)),
    L.Rescaling(1.0 / 255),
    norm,
    L.Resizing(8, 8),
    L.CenterCrop(6, 6),
    L.Conv2D(2, 3, activation="relu"),
    L.Flatten(),
    L.Dense(2),
], name="image_cnn")
model_case("image_cnn", image_cnn, x_model, rng.normal(size=(3, 2)).astype(np.float32), "mse")

x_bins = rng.uniform(-2, 2, (6, 1)).astype(np.float32)
inputs = keras.Input((1,))
binned = L.Discretization(bin_boundaries=[-1.0, 0.0, 1.0])(inputs)
encoded = L.CategoryEncoding(4, output_mode="one_hot")(binned)
outputs = L.Dense(3, activation="softmax")(L.Dense(4, activation="relu")(encoded))
binned_dense = keras.Model(inputs, outputs, name="binned_dense")
model_case("binned_dense", binned_dense, x_bins, np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1, 2]], "categorical_crossentropy")

# A legacy .h5 file: Normalization's int count is read from model_weights too.
keras.utils.set_random_seed(4)
x_h5 = rng.uniform(0, 1, (4, 5)).astype(np.float32)
norm_h5 = L.Normalization()
norm_h5.adapt(x_h5)
legacy_model = keras.Sequential([keras.Input((5,)), L.Rescaling(2.0, offset=-1.0), norm_h5, L.Dense(2)], name="norm_dense")
legacy_model.save(os.path.join(MODELS, "norm_dense.h5"))
legacy = {
    "norm_dense": {
        "input": values(x_h5),
        "output": values(legacy_model.predict(x_h5, verbose=0)),
        "weights": [values(w) for w in legacy_model.weights],
    }
}

with open(OUT, "w") as f:
    json.dump(
        {"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases, "models": models, "legacy": legacy},
        f,
        separators=(",", ":"),
    )
print(f"wrote {len(cases)} cases and {len(models)} models to {OUT}")
