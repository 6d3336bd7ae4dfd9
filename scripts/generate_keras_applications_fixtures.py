"""Makes keras.applications models with real Keras 3 (weights=None) and what Keras computes with them.

Three modes, each writing into OUT_DIR:

- `predict OUT_DIR [NAME ...]`: each of the 40 constructors (or the NAMEs) at
  the smallest input it accepts (SIZES), default arguments otherwise; saves
  NAME.keras and NAME.json: the fixed input x (batch 2), Keras's
  predictions on it, the parameter count and how long Keras took. Used by
  scripts/check_keras_applications.py at run time (not committed: the
  largest files are gigabytes).
- `finetune OUT_DIR [CASE ...]`: one model of each of the 15 families, with
  and without include_top / include_preprocessing where the constructor has
  them (family_cases), each compiled and saved as CASE.keras; CASE.json holds
  y, Keras's predictions and evaluate() logs on a fixed pixel batch (`pixels`,
  computed the same way by the tests), and a fine-tune: the base frozen
  (trainable=False), a new head Dense(3, softmax, kernel_regularizer=L2(0.01))
  on it, 3 train_on_batch steps with SGD (momentum) or Adam: the head's
  initial weights, the logs per step, the head's weights after, evaluate
  after; Keras asserts that no BatchNormalization moving statistic moved.
- `tiny OUT_DIR`: the committed fixture (test/fixtures/keras-applications/):
  the finetune case of MobileNet alpha=0.25 at 32x32 (about 1.2 MB).

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_applications_fixtures.py tiny test/fixtures/keras-applications
"""

import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

# XLA compiles each op shape once per process; the families repeat their shapes
# (ResNet50/101/152, DenseNet121/169/201, ...), so a cache on disk saves most of it.
jax.config.update("jax_compilation_cache_dir", os.environ.get("JAX_CACHE_DIR", "/tmp/keras-applications-jax-cache"))
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)

A = keras.applications
L = keras.layers

# The smallest square input each constructor accepts with weights=None (Keras's
# imagenet_utils.obtain_input_shape: min_size 32 for most; 71 Xception, 75
# Inception*, and NASNet's fixed cell arithmetic wants 224 / 331 reachable sizes).
SIZES = {
    "Xception": 71,
    "InceptionV3": 75,
    "InceptionResNetV2": 75,
    "NASNetMobile": 224,
    "NASNetLarge": 331,
}
CONSTRUCTORS = sorted(n for n in dir(A) if n[:1].isupper() and callable(getattr(A, n)))


def size_of(name):
    return SIZES.get(name, 32)


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def tensor(array):
    a = np.asarray(array, dtype=np.float32)
    return {"shape": list(a.shape), "values": floats(a)}


def pixels(n, size):
    """A fixed batch of pixel values in 0..255 that the tests compute the same way (no file needed)."""
    i = np.arange(n)[:, None, None, None]
    h = np.arange(size)[None, :, None, None]
    w = np.arange(size)[None, None, :, None]
    c = np.arange(3)[None, None, None, :]
    return ((i * 7919 + h * 131 + w * 17 + c * 71) % 256).astype(np.float32)


def image_batch(rng, size, n=2):
    # Pixel values as the models expect them (0..255): the preprocessing layers scale them.
    return rng.uniform(0, 255, size=(n, size, size, 3)).astype(np.float32)


MODULES = {
    "ConvNeXt": "convnext",
    "DenseNet": "densenet",
    "EfficientNetV2": "efficientnet_v2",
    "EfficientNet": "efficientnet",
    "InceptionResNetV2": "inception_resnet_v2",
    "InceptionV3": "inception_v3",
    "MobileNetV2": "mobilenet_v2",
    "MobileNetV3": "mobilenet_v3",
    "MobileNet": "mobilenet",
    "NASNet": "nasnet",
    "ResNet": "resnet",
    "VGG16": "vgg16",
    "VGG19": "vgg19",
    "Xception": "xception",
}


def family_module(name):
    prefix = next(p for p in MODULES if name.startswith(p))
    if prefix == "ResNet" and name.endswith("V2"):
        return A.resnet_v2
    return getattr(A, MODULES[prefix])


def predict_case(name, out):
    rng = np.random.default_rng(20261207)
    size = size_of(name)
    keras.utils.set_random_seed(7)
    start = time.time()
    # Logits (classifier_activation=None): a softmax over 1000 classes of a randomly
    # initialized model is often uniform or one-hot, which would hide differences.
    model = getattr(A, name)(weights=None, input_shape=(size, size, 3), classifier_activation=None)
    built = time.time() - start
    # The input a user feeds: pixels through the family's preprocess_input (identity for
    # the families whose models preprocess inside, ConvNeXt and EfficientNet*).
    x = np.asarray(family_module(name).preprocess_input(image_batch(rng, size)), dtype=np.float32)
    start = time.time()
    # One eager call: predict() would first compile the whole graph with XLA (minutes for the largest).
    y = keras.ops.convert_to_numpy(model(x, training=False))
    predicted = time.time() - start
    path = os.path.join(out, f"{name}.keras")
    start = time.time()
    model.save(path)
    saved = time.time() - start
    json.dump(
        {
            "name": name,
            "size": size,
            "params": int(model.count_params()),
            "layers": sorted({type(layer).__name__ for layer in model.layers}),
            "x": tensor(x),
            "prediction": tensor(y),
            "keras_seconds": {"build": built, "predict": predicted, "save": saved},
        },
        open(os.path.join(out, f"{name}.json"), "w"),
    )
    print(f"{name}: {model.count_params()} params at {size}x{size}", flush=True)
    keras.backend.clear_session()


# One model of each of the 15 families; the options each constructor has.
FAMILIES = {
    "ConvNeXtTiny": {"preprocessing": True},
    "DenseNet121": {},
    "EfficientNetB0": {},
    "EfficientNetV2B0": {"preprocessing": True},
    "InceptionResNetV2": {},
    "InceptionV3": {},
    "MobileNet": {},
    "MobileNetV2": {},
    "MobileNetV3Small": {"preprocessing": True},
    "MobileNetV3Large": {"preprocessing": True},
    "NASNetMobile": {},
    "ResNet50": {},
    "ResNet50V2": {},
    "VGG16": {},
    "Xception": {},
}


def family_cases():
    cases = {}
    for name, has in FAMILIES.items():
        for top in (True, False):
            for pre in (True, False) if has.get("preprocessing") else (None,):
                label = f"{name}-{'top' if top else 'notop'}" + ("" if pre is None else ("-pre" if pre else "-nopre"))
                kwargs = {"include_top": top}
                if pre is not None:
                    kwargs["include_preprocessing"] = pre
                if not top:
                    kwargs["pooling"] = "avg"
                cases[label] = (name, kwargs)
    return cases


def finetune_case(label, name, kwargs, out, optimizer_name, size=None, classes=5):
    """The evaluate logs and the 3-step fine-tune of one base model."""
    rng = np.random.default_rng(sum(label.encode()))
    size = size or size_of(name)
    keras.utils.set_random_seed(11)
    constructor = getattr(A, name)
    extra = {"classes": classes} if kwargs.get("include_top") else {}
    base = constructor(weights=None, input_shape=(size, size, 3), **kwargs, **extra)
    n = 4
    x = pixels(n, size)
    features = base.output_shape[-1]
    # evaluate on the base itself: sparse labels for a classifier, regression targets for features.
    if kwargs.get("include_top"):
        y_base = rng.integers(0, classes, size=(n,)).astype(np.int32)
        base.compile(
            optimizer="sgd",
            loss="sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy"],
            run_eagerly=True,
        )
    else:
        y_base = rng.normal(size=(n, features)).astype(np.float32)
        base.compile(optimizer="sgd", loss="mse", metrics=["mae"], run_eagerly=True)
    base_path = os.path.join(out, f"{label}.keras")
    base.save(base_path)
    prediction = base.predict(x, verbose=0)
    logs = base.evaluate(x, y_base, batch_size=2, verbose=0, return_dict=True)

    # Fine-tune: frozen base, a new L2-regularized head.
    base.trainable = False
    inputs = keras.Input((size, size, 3))
    h = base(inputs, training=False)
    if len(h.shape) == 4:
        h = L.GlobalAveragePooling2D(name="head_pool")(h)
    outputs = L.Dense(
        3, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.01), name="head"
    )(h)
    model = keras.Model(inputs, outputs, name="finetune")
    optimizer = keras.optimizers.Adam(1e-3) if optimizer_name == "adam" else keras.optimizers.SGD(0.1, momentum=0.9)
    # Eagerly: XLA's compile of a whole InceptionResNetV2 step takes minutes; the numbers are the same ops.
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
        run_eagerly=True,
    )
    head = model.get_layer("head")
    head_initial = {"kernel": tensor(head.kernel.numpy()), "bias": tensor(head.bias.numpy())}
    y = rng.integers(0, 3, size=(n,)).astype(np.int32)
    stats_before = {
        v.path: floats(v.numpy()) for v in base.non_trainable_weights if "moving" in v.path
    }
    steps = []
    for _ in range(3):
        steps.append(model.train_on_batch(x, y, return_dict=True))
    stats_after = {v.path: floats(v.numpy()) for v in base.non_trainable_weights if "moving" in v.path}
    assert all(np.array_equal(stats_before[k], stats_after[k]) for k in stats_before), "frozen BN moved"
    after_logs = model.evaluate(x, y, batch_size=2, verbose=0, return_dict=True)
    json.dump(
        {
            "label": label,
            "name": name,
            "kwargs": kwargs,
            "size": size,
            "x": {"pixels": [n, size, size, 3]},
            "y_base": {"shape": list(y_base.shape), "values": [float(v) for v in y_base.reshape(-1)]},
            "prediction": tensor(prediction),
            "evaluate": {k: float(v) for k, v in logs.items()},
            "optimizer": type(optimizer).__name__,
            "y": [int(v) for v in y],
            "steps": [{k: float(v) for k, v in s.items()} for s in steps],
            "head_initial": head_initial,
            "head": {"kernel": tensor(head.kernel.numpy()), "bias": tensor(head.bias.numpy())},
            "after_evaluate": {k: float(v) for k, v in after_logs.items()},
            "moving_stats": len(stats_before),
            "moving_sum": float(sum(np.sum(np.abs(v)) for v in stats_before.values())),
        },
        open(os.path.join(out, f"{label}.json"), "w"),
    )
    print(f"{label}: loss per step {[round(s['loss'], 6) for s in steps]}", flush=True)
    keras.backend.clear_session()


TINY = {
    "MobileNet-a025-top": ("MobileNet", {"include_top": True, "alpha": 0.25}),
}


def main():
    mode, out = sys.argv[1], sys.argv[2]
    names = sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    if mode == "predict":
        for name in names or CONSTRUCTORS:
            if os.path.exists(os.path.join(out, f"{name}.json")) and os.environ.get("KEEP_EXISTING"):
                continue
            predict_case(name, out)
    elif mode == "finetune":
        cases = family_cases()
        for i, label in enumerate(names or cases):
            name, kwargs = cases[label]
            finetune_case(label, name, kwargs, out, "adam" if i % 2 else "sgd")
    elif mode == "tiny":
        for i, (label, (name, kwargs)) in enumerate(TINY.items()):
            finetune_case(label, name, kwargs, out, "adam" if i % 2 else "sgd", size=32)
    elif mode == "list":
        print(json.dumps({"constructors": CONSTRUCTORS, "finetune": list(family_cases())}))
    else:
        raise SystemExit(f"unknown mode {mode!r}: predict, finetune, tiny or list")


if __name__ == "__main__":
    main()
