"""Generates test/fixtures/keras-augmentation-color.json and test/fixtures/keras-augmentation-color/*.keras with real Keras 3.

The color augmentation layers (RandomContrast, RandomBrightness, RandomGrayscale,
RandomHue, RandomSaturation, RandomColorJitter, RandomColorDegeneration,
RandomInvert, RandomPosterization, Solarization, AutoContrast, Equalization,
RandomSharpness, ContrastLimitedAdaptiveHistogramEqualization):

- 'config' cases: each layer's JSON as Keras serializes it (the layer rebuilt
  from it here must write the same config back).
- 'call' cases: Keras's outputs on small images, in inference calls
  (training=False) and in training calls whose factor ranges are degenerate,
  so that the random draw is one number (RandomContrast factor=(-0.5, 0.5) is
  a contrast of exactly 1.5, RandomInvert factor=(1, 1) always inverts,
  RandomHue factor=(1, 1) is a half turn either way, ...), in both data
  formats and for one image (rank 3) as for a batch.
- test/fixtures/keras-augmentation-color/color_cnn.keras: a small CNN with
  several of these layers, and its predictions (expected.json).

Random bits cannot equal Keras's (JAX PRNG): the tests check random calls by
statistics. Python Keras is not a project dependency; CI reads the committed files.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_augmentation_color_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-augmentation-color.json")
MODELS = os.path.join(ROOT, "keras-augmentation-color")
rng = np.random.default_rng(20261208)
L = keras.layers


def values(array):
    array = np.asarray(array, dtype=np.float32)
    # 9 significant digits give back the same float32 and keep the file small.
    return {"shape": list(array.shape), "values": [float(f"{v:.9g}") for v in array.reshape(-1)]}


def images(shape, high=255.0, integer=False):
    x = rng.uniform(0, high, size=shape)
    return (np.round(x) if integer else x).astype(np.float32)


cases = []


def config(name, layer):
    cases.append({"name": name, "kind": "config", "json": keras.saving.serialize_keras_object(layer)})


def call(name, layer, x, training):
    y = layer(x, training=training)
    cases.append(
        {
            "name": name,
            "kind": "call",
            "json": keras.saving.serialize_keras_object(layer),
            "training": training,
            "input": values(x),
            "output": values(y),
        }
    )


# Configs: defaults and every option.
config("RandomContrast 0.3", L.RandomContrast(0.3))
config("RandomContrast pair, range, seed", L.RandomContrast((0.1, 0.4), value_range=(0, 1), seed=3))
config("RandomBrightness 0.2", L.RandomBrightness(0.2))
config("RandomBrightness pair, sorted range", L.RandomBrightness((-0.1, 0.3), value_range=(1, -1), seed=4))
config("RandomGrayscale default", L.RandomGrayscale())
config("RandomGrayscale channels_first", L.RandomGrayscale(0.3, data_format="channels_first", seed=2))
config("RandomHue 0.4", L.RandomHue(0.4))
config("RandomHue pair", L.RandomHue((0.1, 0.2), value_range=(0, 1), seed=5))
config("RandomSaturation 0.5", L.RandomSaturation(0.5))
config("RandomSaturation pair", L.RandomSaturation((0.2, 0.8), value_range=(0, 1), seed=6))
config("RandomColorJitter default", L.RandomColorJitter())
config(
    "RandomColorJitter all",
    L.RandomColorJitter(
        value_range=(0, 1), brightness_factor=0.2, contrast_factor=(0.1, 0.3), saturation_factor=0.5, hue_factor=0.1, seed=7
    ),
)
config("RandomColorDegeneration 0.5", L.RandomColorDegeneration(0.5))
config("RandomColorDegeneration pair", L.RandomColorDegeneration((0.2, 0.9), value_range=(0, 1), seed=8))
config("RandomInvert default", L.RandomInvert())
config("RandomInvert pair", L.RandomInvert((0.2, 0.6), value_range=(0, 1), seed=9))
config("RandomPosterization 4", L.RandomPosterization(4))
config("RandomPosterization pair", L.RandomPosterization((2, 6), value_range=(0, 1), seed=10))
config("Solarization default", L.Solarization())
config("Solarization all", L.Solarization(addition_factor=0.2, threshold_factor=(0.3, 0.6), value_range=(0, 1), seed=11))
config("AutoContrast default", L.AutoContrast())
config("AutoContrast range", L.AutoContrast(value_range=(1, 0)))
config("Equalization default", L.Equalization())
config("Equalization bins", L.Equalization(value_range=(0, 1), bins=32, data_format="channels_first"))
config("CLAHE default", L.ContrastLimitedAdaptiveHistogramEqualization())
config(
    "CLAHE all",
    L.ContrastLimitedAdaptiveHistogramEqualization(
        value_range=(0, 1), clip_limit=2.5, tile_grid_size=(3, 2), data_format="channels_first"
    ),
)
config("RandomSharpness 0.4", L.RandomSharpness(0.4))
config("RandomSharpness pair", L.RandomSharpness((0.2, 0.7), value_range=(0, 1), seed=12))

# Calls: inference everywhere; training with degenerate factor ranges.
x = images((2, 4, 5, 3))
x1 = images((4, 5, 3), high=1.0)
xf = images((2, 3, 4, 5))
xi = images((2, 6, 5, 3), integer=True)
for name, layer in [
    ("RandomContrast", L.RandomContrast(0.4)),
    ("RandomBrightness", L.RandomBrightness(0.4)),
    ("RandomGrayscale", L.RandomGrayscale(0.5)),
    ("RandomHue", L.RandomHue(0.5)),
    ("RandomSaturation", L.RandomSaturation(0.5)),
    ("RandomColorJitter", L.RandomColorJitter(brightness_factor=0.2, hue_factor=0.2)),
    ("RandomColorDegeneration", L.RandomColorDegeneration(0.5)),
    ("RandomInvert", L.RandomInvert()),
    ("RandomPosterization", L.RandomPosterization(4)),
    ("Solarization", L.Solarization(threshold_factor=0.5)),
    ("AutoContrast", L.AutoContrast()),
    ("Equalization", L.Equalization()),
    ("RandomSharpness", L.RandomSharpness(0.4)),
]:
    call(f"{name} inference", layer, x, False)

call("RandomContrast factor (-0.5, 0.5) is 1.5", L.RandomContrast((-0.5, 0.5)), x, True)
call("RandomContrast one image in [0, 1]", L.RandomContrast((-0.3, 0.3), value_range=(0, 1)), x1, True)
call("RandomContrast channels_first", L.RandomContrast((-0.2, 0.2), data_format="channels_first"), xf, True)
call("RandomBrightness +0.2", L.RandomBrightness((0.2, 0.2)), x, True)
call("RandomBrightness -0.3 in [0, 1]", L.RandomBrightness((-0.3, -0.3), value_range=(0, 1)), x1, True)
call("RandomGrayscale 1", L.RandomGrayscale(1.0), x, True)
call("RandomGrayscale 0", L.RandomGrayscale(0.0), x, True)
call("RandomGrayscale channels_first", L.RandomGrayscale(1.0, data_format="channels_first"), images((2, 3, 4, 4)), True)
call("RandomHue (1, 1) half turn", L.RandomHue((1.0, 1.0)), x, True)
call("RandomHue (0, 0) round trip in [0, 1]", L.RandomHue((0.0, 0.0), value_range=(0, 1)), x1, True)
call("RandomHue channels_first", L.RandomHue((1.0, 1.0), data_format="channels_first"), images((2, 3, 4, 4)), True)
call("RandomSaturation 0.5 keeps", L.RandomSaturation((0.5, 0.5)), x, True)
call("RandomSaturation 0 removes", L.RandomSaturation((0.0, 0.0)), x, True)
call("RandomSaturation 0.75 triples in [0, 1]", L.RandomSaturation((0.75, 0.75), value_range=(0, 1)), x1, True)
call("RandomColorDegeneration 1 is gray", L.RandomColorDegeneration((1.0, 1.0)), x, True)
call("RandomColorDegeneration 0.5", L.RandomColorDegeneration((0.5, 0.5), value_range=(0, 1)), x1, True)
call("RandomColorDegeneration -1", L.RandomColorDegeneration((-1.0, -1.0)), x, True)
call("RandomInvert always", L.RandomInvert((1.0, 1.0)), x, True)
call("RandomInvert never", L.RandomInvert((0.0, 0.0)), x, True)
call("RandomInvert [0, 1]", L.RandomInvert((1.0, 1.0), value_range=(0, 1)), x1, True)
call("RandomPosterization 3 bits", L.RandomPosterization((3, 3)), x, True)
call("RandomPosterization 1 bit in [0, 1]", L.RandomPosterization((1, 1), value_range=(0, 1)), x1, True)
call("RandomPosterization 8 bits", L.RandomPosterization((8, 8)), x, True)
call("Solarization inverts all", L.Solarization(), x, True)
call("Solarization in [0, 1]", L.Solarization(value_range=(0, 1)), x1, True)
call("AutoContrast training", L.AutoContrast(), x, True)
call("AutoContrast [0, 1] one image", L.AutoContrast(value_range=(0, 1)), x1, False)
xc = x.copy()
xc[1, :, :, 2] = 7.0
call("AutoContrast constant channel", L.AutoContrast(), xc, False)
call("Equalization 256 bins", L.Equalization(), xi, True)
call("Equalization 16 bins", L.Equalization(bins=16), xi, True)
call("Equalization [0, 1] 64 bins", L.Equalization(value_range=(0, 1), bins=64), np.round(x1 * 50) / 50, True)
call("Equalization channels_first", L.Equalization(data_format="channels_first"), np.round(xf), True)
xe = xi.copy()
xe[:, :, :, 1] = 9.0
call("Equalization constant channel", L.Equalization(), xe, True)
call("RandomSharpness 0 smooths", L.RandomSharpness((0.0, 0.0)), x, True)
call("RandomSharpness 1 sharpens", L.RandomSharpness((1.0, 1.0)), x, True)
call("RandomSharpness 0.25 in [0, 1]", L.RandomSharpness((0.25, 0.25), value_range=(0, 1)), x1, True)
call("RandomSharpness channels_first", L.RandomSharpness((0.0, 0.0), data_format="channels_first"), xf, True)
CLAHE = L.ContrastLimitedAdaptiveHistogramEqualization
xh = images((2, 8, 6, 3), integer=True)
call("CLAHE inference, 2x2 tiles", CLAHE(tile_grid_size=(2, 2)), xh, False)
call("CLAHE training, 2x3 tiles", CLAHE(tile_grid_size=(2, 3)), xh, True)
call("CLAHE padded tiles, clip 2", CLAHE(tile_grid_size=(3, 4), clip_limit=2.0), images((2, 7, 5, 3)), False)
call("CLAHE no clip, one image in [0, 1]", CLAHE(value_range=(0, 1), clip_limit=0, tile_grid_size=(2, 2)), x1, False)
call("CLAHE default 8x8 on 10x9", CLAHE(), images((1, 10, 9, 2)), False)
call("CLAHE channels_first", CLAHE(tile_grid_size=(2, 2), data_format="channels_first"), images((2, 3, 6, 4)), False)
call(
    "RandomColorJitter all degenerate",
    L.RandomColorJitter(
        brightness_factor=(0.1, 0.1), contrast_factor=(-0.5, 0.5), saturation_factor=(0.5, 0.5), hue_factor=(1.0, 1.0)
    ),
    x,
    True,
)
call("RandomColorJitter brightness in [0, 1]", L.RandomColorJitter(value_range=(0, 1), brightness_factor=(-0.2, -0.2)), x1, True)

# A model file: Keras's predictions (inference: AutoContrast applies, the random layers are the identity).
# Equalization is left out: its compute_output_spec returns its input, which Keras's graph reads as a cycle.
os.makedirs(MODELS, exist_ok=True)
keras.utils.set_random_seed(1)
model = keras.Sequential(
    [
        keras.Input((6, 6, 3)),
        L.RandomContrast(0.2, seed=1),
        L.RandomBrightness(0.1),
        L.RandomGrayscale(0.2),
        L.RandomHue(0.1),
        L.RandomSaturation(0.3),
        L.RandomColorJitter(brightness_factor=0.1, contrast_factor=0.1),
        L.RandomColorDegeneration(0.2),
        L.RandomInvert(0.1),
        L.RandomPosterization(6),
        L.Solarization(threshold_factor=0.9),
        L.RandomSharpness(0.3),
        L.AutoContrast(),
        L.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2)),
        L.Rescaling(1 / 255),
        L.Conv2D(2, 3, activation="relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(2),
    ]
)
xm = images((3, 6, 6, 3))
model.save(os.path.join(MODELS, "color_cnn.keras"))
expected = {"color_cnn": {"input": values(xm), "output": values(model.predict(xm, verbose=0))}}
json.dump(expected, open(os.path.join(MODELS, "expected.json"), "w"))

json.dump({"keras_version": keras.__version__, "cases": cases}, open(OUT, "w"))
print(f"wrote {len(cases)} cases to {OUT} and color_cnn.keras")
