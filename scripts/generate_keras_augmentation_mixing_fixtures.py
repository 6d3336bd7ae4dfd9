"""Generates test/fixtures/keras-augmentation-mixing.json and test/fixtures/keras-augmentation-mixing/*.keras with real Keras 3.

RandomErasing, RandomGaussianBlur, CutMix, MixUp, MaxNumBoundingBoxes,
Pipeline, RandAugment and AugMix:

- 'config' cases: each layer's JSON (serialize_keras_object) and get_config(),
  with defaults and with every option set.
- 'call' cases: calls whose randomness Keras's own ranges pin down, with
  Keras's outputs: inference calls (the identity, cast to float32), RandomErasing
  with scale (1, 1) and factor (1, 1) (the whole image erased with the clipped
  fill value), RandomGaussianBlur with factor (1, 1) and a fixed sigma (every
  image blurred with one known kernel), CutMix and MixUp on a batch of one
  (mixed with itself), a Pipeline of such layers, channels_first.
- 'boxes' cases: MaxNumBoundingBoxes on {"images", "bounding_boxes"}.
- 'stats' cases: Keras's own training calls over many seeded draws, summarised
  (MixUp's lambda, CutMix's pasted area), for the tests to hold Keras to the
  same bounds as this library.
- 'error' cases: Keras's error texts for bad options.
- a 'policy_outputs' case: RandAugment with factor 0 and one op, whose
  training outputs can only be one of its eleven layers' outputs (each
  recorded from Keras); an 'augmix_outputs' case likewise for AugMix with one
  chain of depth one (each output between the image and one of those).
- test/fixtures/keras-augmentation-mixing/mixing_cnn.keras: a Sequential model
  with a Pipeline (RandomErasing, RandomGaussianBlur), MixUp, CutMix and
  MaxNumBoundingBoxes in front of a small CNN, with Keras's predictions;
  policy_cnn.keras: a Pipeline of RandAugment and RandomGaussianBlur, then AugMix,
  likewise (MixUp or CutMix inside a Pipeline fails Keras's symbolic build under
  JAX: its shuffle of a batch of unknown size; the model is then saved without
  its weights).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_augmentation_mixing_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-augmentation-mixing.json")
MODELS = os.path.join(ROOT, "keras-augmentation-mixing")
rng = np.random.default_rng(20261208)
L = keras.layers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def values(array):
    array = np.asarray(array)
    dtype = "int32" if array.dtype.kind in "iu" else "float32"
    return {"shape": list(array.shape), "dtype": dtype, "values": floats(array)}


def as_json(value):
    return json.loads(json.dumps(value, default=list))


def config_case(name, layer):
    return {
        "name": name,
        "kind": "config",
        "class_name": layer.__class__.__name__,
        "json": as_json(keras.saving.serialize_keras_object(layer)),
        "config": as_json(layer.get_config()),
    }


def call_case(name, layer, x, training):
    y = layer(x, training=training)
    return {
        "name": name,
        "kind": "call",
        "json": as_json(keras.saving.serialize_keras_object(layer)),
        "training": training,
        "input": values(x),
        "output": values(y),
    }


def error_case(name, make):
    try:
        make()
    except Exception as error:  # noqa: BLE001
        return {"name": name, "kind": "error", "type": type(error).__name__, "message": str(error)}
    return {"name": name, "kind": "error", "type": None, "message": None}


def images(shape, high=255.0):
    return rng.uniform(0, high, shape).astype(np.float32)


cases = [
    config_case("RandomErasing defaults", L.RandomErasing()),
    config_case(
        "RandomErasing every option",
        L.RandomErasing(factor=(0.8, 0.2), scale=(0.1, 0.3), fill_value=0.5, value_range=(0, 1), seed=3, name="erase"),
    ),
    config_case("RandomErasing factor 0.5, fill per channel", L.RandomErasing(factor=0.5, fill_value=[1, 2, 3])),
    config_case("RandomGaussianBlur defaults", L.RandomGaussianBlur()),
    config_case(
        "RandomGaussianBlur every option",
        L.RandomGaussianBlur(factor=(0.5, 1.0), kernel_size=5, sigma=(0.5, 2.0), value_range=(0, 1), seed=2, data_format="channels_first"),
    ),
    config_case("RandomGaussianBlur kernel (3, 5), sigma 0.4", L.RandomGaussianBlur(kernel_size=(3, 5), sigma=0.4)),
    config_case("CutMix defaults", L.CutMix()),
    config_case("CutMix factor 0.5, seed 1", L.CutMix(factor=0.5, seed=1, name="cut")),
    config_case("MixUp defaults", L.MixUp()),
    config_case("MixUp alpha 0.4, seed 4", L.MixUp(alpha=0.4, seed=4)),
    config_case("MaxNumBoundingBoxes 3", L.MaxNumBoundingBoxes(3)),
    config_case("MaxNumBoundingBoxes 5, fill 0", L.MaxNumBoundingBoxes(max_number=5, fill_value=0, name="boxes")),
    config_case("MaxNumBoundingBoxes xyxy", L.MaxNumBoundingBoxes(4, bounding_box_format="xyxy")),
    config_case("Pipeline empty", L.Pipeline([])),
    config_case(
        "Pipeline of Rescaling, RandomErasing, MixUp",
        L.Pipeline([L.Rescaling(1 / 255), L.RandomErasing(value_range=(0, 1), seed=1), L.MixUp(seed=2)], name="augment"),
    ),
    config_case("RandAugment defaults", L.RandAugment()),
    config_case(
        "RandAugment every option",
        L.RandAugment(value_range=(0, 1), num_ops=3, factor=0.3, interpolation="nearest", seed=5),
    ),
    config_case("AugMix defaults", L.AugMix()),
    config_case(
        "AugMix every option",
        L.AugMix(value_range=(0, 1), num_chains=2, chain_depth=2, factor=0.5, alpha=0.5, all_ops=False, interpolation="nearest", seed=1),
    ),
]

batch = images((2, 5, 6, 3))
one = images((1, 4, 5, 3))
single = images((4, 5, 3))
unit = images((2, 5, 6, 3), high=1.0)
first = images((2, 3, 5, 6))

cases += [
    call_case("RandomErasing inference", L.RandomErasing(seed=1), batch, False),
    call_case("RandomErasing whole image, fill 7", L.RandomErasing(factor=(1, 1), scale=(1, 1), fill_value=7.0), batch, True),
    call_case(
        "RandomErasing whole image, fill 300 clipped",
        L.RandomErasing(factor=(1, 1), scale=(1, 1), fill_value=300.0),
        batch,
        True,
    ),
    call_case("RandomErasing factor 0: none erased", L.RandomErasing(factor=0.0, seed=3), batch, True),
    call_case("RandomErasing one image, whole", L.RandomErasing(factor=(1, 1), scale=(1, 1), fill_value=0.25, value_range=(0, 1)), single, True),
    call_case(
        "RandomErasing channels_first whole image",
        L.RandomErasing(factor=(1, 1), scale=(1, 1), fill_value=2.0, data_format="channels_first"),
        first,
        True,
    ),
    call_case("RandomGaussianBlur inference", L.RandomGaussianBlur(seed=1), batch, False),
    call_case("RandomGaussianBlur sigma 0.9, kernel 3", L.RandomGaussianBlur(factor=(1, 1), sigma=(0.9, 0.9)), batch, True),
    call_case(
        "RandomGaussianBlur sigma 0.7, kernel 5, value_range (0, 1)",
        L.RandomGaussianBlur(factor=(1, 1), kernel_size=5, sigma=(0.7, 0.7), value_range=(0, 1)),
        unit * 1.3,
        True,
    ),
    call_case("RandomGaussianBlur kernel (3, 5)", L.RandomGaussianBlur(factor=(1, 1), kernel_size=(3, 5), sigma=(1.0, 1.0)), batch, True),
    call_case("RandomGaussianBlur one image", L.RandomGaussianBlur(factor=(1, 1), sigma=(0.5, 0.5)), single, True),
    call_case(
        "RandomGaussianBlur channels_first",
        L.RandomGaussianBlur(factor=(1, 1), sigma=(0.9, 0.9), data_format="channels_first"),
        first,
        True,
    ),
    call_case("RandomGaussianBlur factor 0: none blurred", L.RandomGaussianBlur(factor=0.0, seed=2), batch, True),
    call_case("CutMix inference", L.CutMix(seed=1), batch, False),
    call_case("CutMix batch of one", L.CutMix(seed=1), one, True),
    call_case("CutMix one image", L.CutMix(seed=1), single, True),
    call_case("MixUp inference", L.MixUp(seed=1), batch, False),
    call_case("MixUp batch of one", L.MixUp(seed=1), one, True),
    call_case("MixUp one image", L.MixUp(seed=1), single, True),
    call_case("MaxNumBoundingBoxes images", L.MaxNumBoundingBoxes(2), batch, True),
    call_case(
        "Pipeline: blur, center crop, rescaling (training)",
        L.Pipeline([L.RandomGaussianBlur(factor=(1, 1), sigma=(0.6, 0.6)), L.CenterCrop(3, 4), L.Rescaling(1 / 255, offset=-0.5)]),
        batch,
        True,
    ),
    call_case(
        "Pipeline: blur, center crop, rescaling (inference)",
        L.Pipeline([L.RandomGaussianBlur(factor=(1, 1), sigma=(0.6, 0.6)), L.CenterCrop(3, 4), L.Rescaling(1 / 255, offset=-0.5)]),
        batch,
        False,
    ),
    call_case(
        "Pipeline: erase whole, then blur (training)",
        L.Pipeline([L.RandomErasing(factor=(1, 1), scale=(1, 1), fill_value=100.0), L.RandomGaussianBlur(factor=(1, 1), sigma=(1.0, 1.0))]),
        batch,
        True,
    ),
    call_case("RandAugment inference", L.RandAugment(seed=1), batch, False),
    call_case("AugMix inference", L.AugMix(seed=1), batch, False),
]

# RandAugment with factor 0 and one op: every draw is pinned, only the op is random, so each
# training output is one of its eleven layers' outputs (Keras's transform_images of each).
policy = L.RandAugment(num_ops=1, factor=0.0, seed=1)
policy.build(batch.shape)
candidates = []
for layer_name in policy._AUGMENT_LAYERS:
    sub = getattr(policy, layer_name)
    candidates.append({
        "layer": layer_name,
        "output": values(sub.transform_images(batch, sub.get_random_transformation(batch, training=True))),
    })
cases.append({
    "name": "RandAugment factor 0, one op: the outputs of its eleven layers",
    "kind": "policy_outputs",
    "json": as_json(keras.saving.serialize_keras_object(policy)),
    "input": values(batch),
    "candidates": candidates,
})

# AugMix with one chain of depth one and factor 0: each training output lies between the image and
# one of its seven layers' outputs (or is the image: the chain drew "none"), m ~ Beta(alpha, alpha).
mix = L.AugMix(num_chains=1, chain_depth=1, factor=0.0, all_ops=False, seed=1)
mix.build(batch.shape)
cases.append({
    "name": "AugMix factor 0, one chain of depth one: the outputs of its seven layers",
    "kind": "augmix_outputs",
    "json": as_json(keras.saving.serialize_keras_object(mix)),
    "input": values(batch),
    "candidates": [
        {
            "layer": name,
            "output": values(getattr(mix, name).transform_images(batch, getattr(mix, name).get_random_transformation(batch, training=True))),
        }
        for name in mix._augment_layers
    ],
})

# MaxNumBoundingBoxes on boxes: truncation and padding, as Keras's dict call does.
boxes = rng.uniform(0, 50, (2, 3, 4)).astype(np.float32)
labels = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
for max_number, fill in ((2, -1), (5, -1), (4, 0)):
    layer = L.MaxNumBoundingBoxes(max_number, fill_value=fill, bounding_box_format="xyxy")
    out = layer({"images": batch[:, :4, :4], "bounding_boxes": {"boxes": boxes, "labels": labels}})
    cases.append({
        "name": f"MaxNumBoundingBoxes {max_number}, fill {fill}",
        "kind": "boxes",
        "max_number": max_number,
        "fill_value": fill,
        "boxes": values(boxes),
        "labels": values(labels),
        "out_boxes": values(out["bounding_boxes"]["boxes"]),
        "out_labels": values(out["bounding_boxes"]["labels"]),
    })

# Keras's own draws, for the tests to hold Keras to the bounds they hold us to.
basis = np.eye(8, dtype=np.float32).reshape(8, 1, 1, 8) * np.ones((8, 6, 6, 8), np.float32)
lambdas = []
mixup = L.MixUp(alpha=0.2, seed=7)
for _ in range(200):
    y = np.asarray(mixup(basis, training=True))[:, 0, 0, :]
    lambdas += [float(np.max(row)) if np.count_nonzero(row > 1e-6) == 2 else 1.0 for row in y]
cases.append({
    "name": "MixUp alpha 0.2: max(lambda, 1 - lambda) over 1600 draws",
    "kind": "stats",
    "draws": len(lambdas),
    "mean": float(np.mean(lambdas)),
    "min": float(np.min(lambdas)),
})
areas = []
cutmix = L.CutMix(seed=7)
ids = np.arange(8, dtype=np.float32).reshape(8, 1, 1, 1) * np.ones((8, 10, 10, 1), np.float32)
for _ in range(200):
    y = np.asarray(cutmix(ids, training=True))
    areas += [float(np.mean(y[i] != i)) for i in range(8) if np.any(y[i] != i)]
cases.append({
    "name": "CutMix factor 1: pasted area fraction where pasted",
    "kind": "stats",
    "draws": len(areas),
    "mean": float(np.mean(areas)),
    "max": float(np.max(areas)),
})

cases += [
    error_case("RandomErasing factor 2", lambda: L.RandomErasing(factor=2.0)),
    error_case("RandomErasing factor triple", lambda: L.RandomErasing(factor=(0.1, 0.2, 0.3))),
    error_case("RandomErasing scale 1.5", lambda: L.RandomErasing(scale=1.5)),
    error_case("RandomGaussianBlur kernel 4", lambda: L.RandomGaussianBlur(kernel_size=4)),
    error_case("RandomGaussianBlur sigma 2", lambda: L.RandomGaussianBlur(sigma=2.0)),
    error_case("RandomGaussianBlur sigma (2, 3)", lambda: L.RandomGaussianBlur(sigma=(2.0, 3.0))),
    error_case("CutMix factor -0.5", lambda: L.CutMix(factor=-0.5)),
    error_case("RandomErasing rank 2", lambda: L.RandomErasing()(np.ones((3, 4), np.float32), training=True)),
    error_case("Pipeline from_config without layers", lambda: L.Pipeline.from_config({"name": "p"})),
]

# A Keras-made model: the augmentation layers in front of a small CNN.
os.makedirs(MODELS, exist_ok=True)
keras.utils.set_random_seed(5)
mixing_cnn = keras.Sequential(
    [
        keras.Input((8, 8, 3)),
        L.Pipeline([L.RandomErasing(factor=0.5, seed=1), L.RandomGaussianBlur(seed=2)], name="augment"),
        L.MixUp(alpha=0.3, seed=3),
        L.CutMix(seed=4),
        L.MaxNumBoundingBoxes(3),
        L.Rescaling(1 / 255),
        L.Conv2D(2, 3, activation="relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(2),
    ],
    name="mixing_cnn",
)
x_model = images((3, 8, 8, 3))
mixing_cnn.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
mixing_cnn.save(os.path.join(MODELS, "mixing_cnn.keras"))
models = {
    "mixing_cnn": {
        "input": values(x_model),
        "output": values(mixing_cnn.predict(x_model, verbose=0)),
        "weights": [values(w) for w in mixing_cnn.weights],
        "weight_paths": [w.path for w in mixing_cnn.weights],
    }
}

# RandAugment and AugMix (made of the color and geometric layers) in a model, with a Pipeline.
keras.utils.set_random_seed(6)
policy_cnn = keras.Sequential(
    [
        keras.Input((8, 8, 3)),
        L.Pipeline([L.RandAugment(value_range=(0, 255), num_ops=2, factor=0.4, seed=1), L.RandomGaussianBlur(seed=2)], name="policy"),
        L.AugMix(value_range=(0, 255), num_chains=2, chain_depth=2, all_ops=False, seed=3),
        L.Rescaling(1 / 255),
        L.Conv2D(2, 3, activation="relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(2),
    ],
    name="policy_cnn",
)
policy_cnn.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
policy_cnn.save(os.path.join(MODELS, "policy_cnn.keras"))
models["policy_cnn"] = {
    "input": values(x_model),
    "output": values(policy_cnn.predict(x_model, verbose=0)),
    "weights": [values(w) for w in policy_cnn.weights],
    "weight_paths": [w.path for w in policy_cnn.weights],
}

with open(OUT, "w") as f:
    json.dump(
        {"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases, "models": models},
        f,
        separators=(",", ":"),
    )
print(f"wrote {len(cases)} cases and {len(models)} models to {OUT}")
