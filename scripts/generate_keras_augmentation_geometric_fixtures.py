"""Generates test/fixtures/keras-augmentation-geometric.json and test/fixtures/keras-augmentation-geometric/*.keras with real Keras 3.

The geometric augmentation layers (RandomFlip, RandomRotation, RandomZoom,
RandomTranslation, RandomCrop, RandomShear, RandomPerspective,
RandomElasticTransform). Random bits cannot match (JAX's PRNG), so:

- 'geo_config' cases: each layer's JSON as Keras serializes it (options
  written back as Keras writes them: parsed factor pairs, raw zoom factors).
- 'geo_affine' cases: keras.ops.image.affine_transform on non-integer
  transforms (rotation, zoom out, shear, translation), every fill mode and
  interpolation, a fill value, both data formats, one image and a batch.
- 'geo_perspective' cases: keras.ops.image.perspective_transform with fixed
  corners.
- 'geo_layer' cases: training calls of layers whose random draws are
  degenerate (a factor pair of equal numbers): a quarter and an eighth
  turn, fixed zooms and shifts, RandomCrop's deterministic windows.
- 'geo_flip' cases: RandomFlip's candidates (the input and Keras's flip of
  each image, from transform_images with every flip on).
- 'geo_shear' cases: RandomShear(x_factor=(a, a), y_factor=(b, b)): the two
  outputs Keras can give (its random sign), from transform_images.
- 'geo_crop_inference': RandomCrop's documented inference window (Keras's
  own get_random_transformation(training=False) then its crop and resize),
  and what Keras's call returns at inference (the input: see COMPATIBILITY.md).
- 'geo_elastic' cases: RandomElasticTransform.transform_images with the
  normal draws replaced by fixed noise (jax.random.normal patched), the
  layer's distortion factor and per-image apply mask given.
- keras-augmentation-geometric/augment_cnn.keras: keras.io's "image
  classification from scratch" block (RandomFlip('horizontal') +
  RandomRotation(0.1), Rescaling, a small conv net), trained 2 steps;
  augment_more.keras with RandomZoom, RandomTranslation, RandomPerspective
  and RandomElasticTransform; Keras's predictions in expected.json.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_augmentation_geometric_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-augmentation-geometric.json")
MODELS = os.path.join(ROOT, "keras-augmentation-geometric")
rng = np.random.default_rng(20261208)
L = keras.layers


def floats(array):
    # The shortest decimal that reads back as the same float32: half the file of float64 reprs.
    return [float(str(v)) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def values(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def image(shape):
    return rng.uniform(0, 10, size=shape).astype("float32")


def serialized(layer):
    return json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))


cases = []

# --- configs -----------------------------------------------------------------
CONFIGS = [
    ("RandomFlip()", L.RandomFlip()),
    ("RandomFlip('horizontal', seed=3)", L.RandomFlip("horizontal", seed=3)),
    ("RandomFlip('vertical', channels_first)", L.RandomFlip("vertical", data_format="channels_first")),
    ("RandomRotation(0.1)", L.RandomRotation(0.1)),
    ("RandomRotation((-0.2, 0.3), constant, nearest)", L.RandomRotation((0.3, -0.2), fill_mode="constant", interpolation="nearest", fill_value=2.5, seed=7)),
    ("RandomZoom(0.2)", L.RandomZoom(0.2)),
    ("RandomZoom((-0.5, 0.1), (0.2, 0.3), wrap)", L.RandomZoom((-0.5, 0.1), (0.2, 0.3), fill_mode="wrap", seed=1)),
    ("RandomTranslation(0.1, 0.2)", L.RandomTranslation(0.1, 0.2)),
    ("RandomTranslation((-0.1, 0.3), 0.2, nearest)", L.RandomTranslation((-0.1, 0.3), 0.2, fill_mode="nearest", interpolation="nearest", seed=2)),
    ("RandomCrop(4, 5, seed=3)", L.RandomCrop(4, 5, seed=3)),
    ("RandomShear()", L.RandomShear()),
    ("RandomShear(0.3, (0.1, 0.2))", L.RandomShear(x_factor=0.3, y_factor=(0.1, 0.2), fill_mode="constant", seed=4)),
    ("RandomPerspective()", L.RandomPerspective()),
    ("RandomPerspective(0.5, 0.2, nearest)", L.RandomPerspective(factor=0.5, scale=0.2, interpolation="nearest", fill_value=1.0, seed=5)),
    ("RandomElasticTransform()", L.RandomElasticTransform()),
    ("RandomElasticTransform((0.2, 0.8), 0.5, mirror)", L.RandomElasticTransform(factor=(0.2, 0.8), scale=0.5, fill_mode="mirror", value_range=(0, 1), seed=6)),
]
for name, layer in CONFIGS:
    cases.append({"name": name, "kind": "geo_config", "class_name": layer.__class__.__name__, "json": serialized(layer)})

# --- the affine transform op --------------------------------------------------
def rotation(deg, h, w, scale=1.0, tx=0.0, ty=0.0, shx=0.0, shy=0.0):
    layer = L.RandomRotation(0.0)
    f = lambda v: keras.ops.convert_to_tensor(np.array([v], dtype="float32"))  # noqa: E731
    m = layer._compute_affine_matrix(0.5, 0.5, f(deg), f(tx), f(ty), f(scale), f(shx), f(shy), h, w)
    return np.asarray(m, dtype="float32")[0]


TRANSFORMS = {
    "rotate 30deg": lambda h, w: rotation(30.0, h, w),
    "zoom out 1.6, shifted": lambda h, w: rotation(0.0, h, w, scale=1.6, tx=0.7, ty=-1.3),
    "rotate -100deg, shear": lambda h, w: rotation(-100.0, h, w, scale=0.8, shx=20.0, shy=-10.0),
}
for tname, make in TRANSFORMS.items():
    for fill_mode in ["reflect", "wrap", "constant", "nearest"]:
        for interpolation in ["bilinear", "nearest"]:
            x = image((2, 5, 6, 2))
            t = np.stack([make(5, 6), make(5, 6)[[0, 1, 2, 3, 4, 5, 6, 7]] * np.array([1, 1, 1.1, 1, 1, 0.9, 1, 1], "float32")]).astype("float32")
            y = keras.ops.image.affine_transform(x, t, interpolation=interpolation, fill_mode=fill_mode, fill_value=1.5)
            cases.append({
                "name": f"affine_transform {tname}, {fill_mode}, {interpolation}",
                "kind": "geo_affine",
                "input": values(x), "transform": values(t), "fill_mode": fill_mode, "interpolation": interpolation,
                "fill_value": 1.5, "data_format": "channels_last", "output": values(y),
            })
x = image((2, 3, 5, 4))
t = np.stack([rotation(45.0, 5, 4), rotation(-60.0, 5, 4, scale=1.3)]).astype("float32")
cases.append({
    "name": "affine_transform channels_first, reflect, bilinear",
    "kind": "geo_affine", "input": values(x), "transform": values(t), "fill_mode": "reflect", "interpolation": "bilinear",
    "fill_value": 0.0, "data_format": "channels_first",
    "output": values(keras.ops.image.affine_transform(x, t, fill_mode="reflect", data_format="channels_first")),
})

# --- the perspective transform op ---------------------------------------------
for interpolation, fill in [("bilinear", 0.0), ("nearest", 2.0)]:
    x = image((2, 6, 5, 2))
    start = np.array([[[0, 0], [4, 0], [0, 5], [4, 5]]] * 2, dtype="float32")
    end = start + start * rng.uniform(-0.3, 0.3, size=(2, 4, 2)).astype("float32")
    y = keras.ops.image.perspective_transform(x, start, end, interpolation=interpolation, fill_value=fill)
    cases.append({
        "name": f"perspective_transform {interpolation}, fill {fill}", "kind": "geo_perspective",
        "input": values(x), "start_points": values(start), "end_points": values(end.astype("float32")),
        "interpolation": interpolation, "fill_value": fill, "output": values(y),
    })

# --- layers with degenerate draws ----------------------------------------------
def layer_case(name, layer, x):
    y = layer(x, training=True)
    cases.append({"name": name, "kind": "geo_layer", "json": serialized(layer), "input": values(x), "output": values(y)})


for fill_mode in ["reflect", "wrap", "constant", "nearest"]:
    for interpolation in ["bilinear", "nearest"]:
        # A quarter turn of a 5x6 image reads at half-pixel positions: nearest sampling ties there, and
        # float32 rounding of cos(90deg) decides them, so the nearest cases turn square images (whole pixels).
        layer_case(f"RandomRotation((0.25, 0.25)) {fill_mode} {interpolation}",
                   L.RandomRotation((0.25, 0.25), fill_mode=fill_mode, interpolation=interpolation, fill_value=3.0),
                   image((2, 5, 6, 2) if interpolation == "bilinear" else (2, 6, 6, 2)))
        layer_case(f"RandomZoom((0.5, 0.5)) zoom out {fill_mode} {interpolation}",
                   L.RandomZoom((0.5, 0.5), fill_mode=fill_mode, interpolation=interpolation, fill_value=-1.0), image((2, 5, 6, 1)))
        layer_case(f"RandomTranslation((0.3, 0.3), (-0.25, -0.25)) {fill_mode} {interpolation}",
                   L.RandomTranslation((0.3, 0.3), (-0.25, -0.25), fill_mode=fill_mode, interpolation=interpolation, fill_value=2.0), image((2, 5, 6, 2)))
layer_case("RandomRotation((-0.125, -0.125)) an eighth turn", L.RandomRotation((-0.125, -0.125)), image((2, 7, 7, 3)))
layer_case("RandomRotation((0.25, 0.25)) one image (rank 3)", L.RandomRotation((0.25, 0.25)), image((5, 6, 2)))
layer_case("RandomRotation((0.1, 0.1)) channels_first", L.RandomRotation((0.1, 0.1), data_format="channels_first"), image((2, 2, 5, 6)))
layer_case("RandomZoom((-0.5, -0.5)) zoom in", L.RandomZoom((-0.5, -0.5)), image((2, 6, 6, 1)))
layer_case("RandomZoom((-0.3, -0.3), (0.4, 0.4)) aspect changed", L.RandomZoom((-0.3, -0.3), (0.4, 0.4), fill_mode="constant"), image((2, 6, 5, 2)))
layer_case("RandomTranslation((-0.2, -0.2), (0.1, 0.1)) channels_first", L.RandomTranslation((-0.2, -0.2), (0.1, 0.1), data_format="channels_first"), image((2, 3, 5, 4)))
layer_case("RandomCrop(6, 4) on 6x8 (central window, no resize)", L.RandomCrop(6, 4, seed=1), image((2, 6, 8, 2)))
layer_case("RandomCrop(6, 6) on 4x5 (enlarged, bilinear)", L.RandomCrop(6, 6, seed=1), image((2, 4, 5, 1)))
layer_case("RandomCrop(3, 5) on 3x7 one image", L.RandomCrop(3, 5, seed=1), image((3, 7, 2)))
layer_case("RandomCrop(6, 3) on 4x8 channels_first", L.RandomCrop(6, 3, seed=1, data_format="channels_first"), image((2, 2, 4, 8)))
layer_case("RandomPerspective(scale=0) identity", L.RandomPerspective(factor=1.0, scale=0.0), image((2, 4, 5, 2)))

# --- RandomFlip candidates -------------------------------------------------------
for mode in ["horizontal", "vertical", "horizontal_and_vertical"]:
    for data_format, shape in [("channels_last", (6, 3, 4, 2)), ("channels_first", (6, 2, 3, 4))]:
        layer = L.RandomFlip(mode, data_format=data_format)
        x = image(shape)
        flipped = layer.transform_images(x, {"flips": np.ones((shape[0], 1, 1, 1), bool), "input_shape": shape}, training=True)
        cases.append({"name": f"RandomFlip('{mode}') {data_format}", "kind": "geo_flip", "json": serialized(layer),
                      "input": values(x), "flipped": values(flipped)})

# --- RandomShear's two candidates ------------------------------------------------
for fill_mode in ["reflect", "constant"]:
    layer = L.RandomShear(x_factor=(0.3, 0.3), y_factor=(0.2, 0.2), fill_mode=fill_mode, fill_value=1.0)
    x = image((4, 5, 6, 2))
    outs = []
    for sign in [1.0, -1.0]:
        factor = np.array([[0.3 * sign, 0.2 * sign]] * 4, "float32")
        outs.append(values(layer.transform_images(x, {"shear_factor": factor, "input_shape": x.shape}, training=True)))
    cases.append({"name": f"RandomShear((0.3, 0.3), (0.2, 0.2)) {fill_mode}", "kind": "geo_shear", "json": serialized(layer),
                  "input": values(x), "positive": outs[0], "negative": outs[1]})

# --- RandomCrop at inference: Keras's documented window, and what its call returns ---
for (h, w), shape in [((4, 4), (2, 6, 8, 1)), ((5, 3), (2, 4, 6, 2)), ((8, 8), (1, 5, 6, 1))]:
    layer = L.RandomCrop(h, w, seed=2)
    x = image(shape)
    window = layer.get_random_transformation(x, training=False)
    documented = layer.transform_images(x, window, training=True)
    cases.append({"name": f"RandomCrop({h}, {w}) inference on {shape[1]}x{shape[2]}", "kind": "geo_crop_inference",
                  "json": serialized(layer), "input": values(x), "documented": values(documented),
                  "keras_call": values(layer(x, training=False))})

# --- RandomElasticTransform with fixed noise -------------------------------------
import keras.src.backend.jax.image as jax_image  # noqa: E402

real_normal = jax.random.normal
for fill_mode, interpolation, df, shape, data_format in [
    ("reflect", "bilinear", 0.8, (2, 8, 7, 2), "channels_last"),
    ("mirror", "nearest", 1.0, (2, 9, 9, 1), "channels_last"),
    ("constant", "bilinear", 0.6, (2, 10, 8, 1), "channels_last"),
    ("wrap", "bilinear", 1.0, (1, 8, 8, 3), "channels_last"),
    ("nearest", "bilinear", 0.9, (2, 2, 8, 9), "channels_first"),
]:
    layer = L.RandomElasticTransform(factor=1.0, scale=1.0, fill_mode=fill_mode, interpolation=interpolation,
                                     fill_value=4.0, value_range=(0.5, 9.5), data_format=data_format)
    x = image(shape)
    hw = (shape[1], shape[2]) if data_format == "channels_last" else (shape[2], shape[3])
    noise = rng.normal(size=(shape[0], *hw)).astype("float32")
    jax_image.jax.random.normal = lambda key, shape, dtype: jax.numpy.asarray(noise, dtype=dtype)  # noqa: E731, B023
    apply = np.array([True, False][: shape[0]]) if shape[0] > 1 else np.array([True])
    t = {"apply_transform": apply, "distortion_factor": np.float32(df), "seed": keras.random.SeedGenerator(1)}
    y = layer.transform_images(x, t, training=True)
    jax_image.jax.random.normal = real_normal
    cases.append({"name": f"RandomElasticTransform {fill_mode} {interpolation} distortion {df} {data_format}", "kind": "geo_elastic",
                  "json": serialized(layer), "input": values(x), "noise": values(noise), "apply": apply.tolist(),
                  "distortion": df, "output": values(y)})

# --- .keras files ----------------------------------------------------------------
os.makedirs(MODELS, exist_ok=True)
keras.utils.set_random_seed(3)
expected = {}


def save_model(name, model, x):
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    y = rng.integers(0, 2, size=(x.shape[0],))
    model.fit(x, y, batch_size=x.shape[0], epochs=2, verbose=0)
    model.save(os.path.join(MODELS, f"{name}.keras"))
    expected[name] = {"input": values(x), "predictions": values(model.predict(x, verbose=0)),
                      "weights": [floats(w) for w in model.weights]}


inputs = keras.Input((8, 8, 3))
h = L.RandomFlip("horizontal")(inputs)
h = L.RandomRotation(0.1)(h)
h = L.Rescaling(1.0 / 255)(h)
h = L.Conv2D(4, 3, strides=2, padding="same", activation="relu")(h)
h = L.GlobalAveragePooling2D()(h)
outputs = L.Dense(2, activation="softmax")(h)
save_model("augment_cnn", keras.Model(inputs, outputs), rng.uniform(0, 255, size=(4, 8, 8, 3)).astype("float32"))
save_model("augment_more", keras.Sequential([
    keras.Input((8, 8, 1)),
    L.RandomZoom(0.2, seed=1),
    L.RandomTranslation(0.1, (-0.2, 0.1), fill_mode="constant", seed=2),
    L.RandomPerspective(0.5, 0.2, seed=3),
    L.RandomElasticTransform(0.5, 0.5, value_range=(0, 1), seed=4),
    L.Conv2D(3, 3, activation="relu"),
    L.GlobalAveragePooling2D(),
    L.Dense(2, activation="softmax"),
]), rng.uniform(0, 1, size=(4, 8, 8, 1)).astype("float32"))
with open(os.path.join(MODELS, "expected.json"), "w") as f:
    json.dump(expected, f)

with open(OUT, "w") as f:
    json.dump({"source": "real-keras", "keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases}, f)
print(f"wrote {len(cases)} cases to {OUT}, 2 models to {MODELS}")
