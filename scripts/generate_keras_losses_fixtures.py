"""Records real Keras 3 losses for test/losses-keras.test.ts.

For every loss class of keras.losses: its values on at least 3 input sets
(random ones, edge cases: one class only, logits of +-50, zeros, an empty
batch where Keras defines it) under sample weights, a Keras mask on the
predictions and each reduction, the loss of each sample (`call`), its
config as `keras.losses.serialize` writes it, and every name
`keras.losses.get` accepts with what it resolves to.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_losses_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src import backend  # noqa: E402
from keras.src.losses import ALL_OBJECTS_DICT  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-losses.json")
rng = np.random.default_rng(24)
K = keras.losses


def arr(x):
    x = np.asarray(x)
    # The shortest decimal that reads back as the same float32 (keeps the file small).
    return {"shape": list(x.shape), "values": [float(str(np.float32(v))) for v in x.reshape(-1)]}


def f32(x):
    return np.asarray(x, dtype="float32")


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return f32(e / e.sum(-1, keepdims=True))


def normal(*shape):
    return f32(np.round(rng.normal(size=shape), 3))


def uniform(lo, hi, *shape):
    return f32(np.round(rng.uniform(lo, hi, size=shape), 3))


def onehot(labels, k):
    return f32(np.eye(k)[labels])


def unit(x):
    return f32(x / np.linalg.norm(x, axis=-1, keepdims=True))


# Input sets by kind: name -> (y_true, y_pred).
def inputs(kind):
    if kind == "regression":
        return {
            "random": (normal(3, 4), normal(3, 4)),
            "equal": (f32([[1, 2], [3, 4]]), f32([[1, 2], [3, 4]])),
            "large_errors": (f32([[0, 0, 0], [1, -1, 2]]), f32([[10, -8, 0.5], [-20, 30, 2]])),
            "rank3": (normal(2, 3, 2), normal(2, 3, 2)),
            "labels_without_last_axis": (normal(4), normal(4, 1)),
            "empty_batch": (f32(np.zeros((0, 3))), f32(np.zeros((0, 3)))),
        }
    if kind == "positive":
        return {
            "random": (uniform(0, 3, 3, 4), uniform(0.01, 3, 3, 4)),
            "zeros": (f32([[0, 0, 0], [0, 1, 2]]), f32([[0, 0.5, 0], [1e-9, 1, 2]])),
            "rank3": (uniform(0, 2, 2, 3, 2), uniform(0.01, 2, 2, 3, 2)),
        }
    if kind == "binary":
        return {
            "random": (f32(rng.integers(0, 2, (3, 4))), uniform(0.01, 0.99, 3, 4)),
            "all_ones": (f32(np.ones((2, 3))), f32([[0.9, 0.5, 1.0], [0.0, 0.3, 0.99]])),
            "all_zeros": (f32(np.zeros((2, 3))), f32([[0.1, 0.5, 0.0], [1.0, 0.7, 0.01]])),
            "soft_labels": (uniform(0, 1, 2, 3), uniform(0.01, 0.99, 2, 3)),
            "labels_without_last_axis": (f32([1, 0, 1]), f32([[0.8], [0.3], [0.4]])),
            "empty_batch": (f32(np.zeros((0, 2))), f32(np.zeros((0, 2)))),
        }
    if kind == "binary_logits":
        return {
            "random": (f32(rng.integers(0, 2, (3, 4))), normal(3, 4)),
            "logits_50": (f32([[1, 0, 1], [0, 1, 0]]), f32([[50, -50, -50], [50, 50, -50]])),
            "all_ones": (f32(np.ones((2, 3))), f32([[3, -2, 0], [50, -50, 1]])),
        }
    if kind == "categorical":
        return {
            "random": (onehot(rng.integers(0, 4, 3), 4), softmax(normal(3, 4))),
            "one_class": (onehot([2, 2, 2], 3), f32([[0.1, 0.2, 0.7], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])),
            "unnormalised": (onehot([0, 1], 3), f32([[2, 1, 1], [0.5, 0.25, 0.25]])),
            "rank3": (onehot(rng.integers(0, 3, (2, 2)), 3), softmax(normal(2, 2, 3))),
            "empty_batch": (f32(np.zeros((0, 3))), f32(np.zeros((0, 3)))),
        }
    if kind == "categorical_logits":
        return {
            "random": (onehot(rng.integers(0, 4, 3), 4), normal(3, 4)),
            "logits_50": (onehot([0, 1], 3), f32([[50, -50, 0], [50, -50, -50]])),
            "one_class": (onehot([1, 1, 1], 3), normal(3, 3)),
        }
    if kind == "sparse":
        return {
            "random": (f32(rng.integers(0, 4, 3)), softmax(normal(3, 4))),
            "one_class": (f32([2, 2, 2]), f32([[0.1, 0.2, 0.7], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])),
            "labels_with_last_axis": (f32([[0], [1]]), f32([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]])),
            "rank3": (f32(rng.integers(0, 3, (2, 2))), softmax(normal(2, 2, 3))),
        }
    if kind == "sparse_logits":
        return {
            "random": (f32(rng.integers(0, 4, 3)), normal(3, 4)),
            "logits_50": (f32([0, 1]), f32([[50, -50, 0], [50, -50, -50]])),
            "one_class": (f32([0, 0, 0]), normal(3, 3)),
        }
    if kind == "hinge":
        return {
            "plus_minus_one": (f32(rng.choice([-1, 1], (3, 4))), normal(3, 4)),
            "zero_one": (f32(rng.integers(0, 2, (3, 4))), normal(3, 4)),
            "all_ones": (f32(np.ones((2, 3))), f32([[2, 0.5, -1], [1, 0, 3]])),
            "labels_without_last_axis": (f32([1, -1, 1]), f32([[0.3], [-2], [0.9]])),
        }
    if kind == "segmentation":
        return {
            "random": (f32(rng.integers(0, 2, (2, 3, 3))), uniform(0, 1, 2, 3, 3)),
            "all_zero_masks": (f32(np.zeros((2, 2, 2))), uniform(0, 1, 2, 2, 2)),
            "perfect": (f32([[[1, 0], [0, 1]]]), f32([[[1, 0], [0, 1]]])),
        }
    if kind == "circle":
        return {
            "random": (f32([0, 1, 0, 2, 1, 2]), unit(normal(6, 4))),
            "all_one_class": (f32([1, 1, 1, 1]), unit(normal(4, 3))),
            "no_positives": (f32([0, 1, 2, 3]), unit(normal(4, 3))),
            "labels_with_last_axis": (f32([[0], [0], [1], [1]]), unit(normal(4, 3))),
        }
    if kind == "ctc":
        return {
            "random": (np.array([[1, 2, 0], [3, 3, 1]], "int32"), normal(2, 6, 4)),
            "repeats_and_padding": (np.array([[2, 2, 2], [1, 0, 0], [0, 0, 0]], "int32"), normal(3, 7, 3)),
            "logits_50": (np.array([[1, 2]], "int32"), f32(np.where(np.eye(5, 3)[[0, 1, 0, 2, 0]] > 0, 50, -50)[None])),
        }
    raise ValueError(kind)


# (class, kwargs, input kind)
SPECS = [
    (K.MeanSquaredError, {}, "regression"),
    (K.MeanAbsoluteError, {}, "regression"),
    (K.MeanAbsolutePercentageError, {}, "regression"),
    (K.MeanSquaredLogarithmicError, {}, "positive"),
    (K.CosineSimilarity, {}, "regression"),
    (K.CosineSimilarity, {"axis": 0}, "regression"),
    (K.Huber, {}, "regression"),
    (K.Huber, {"delta": 0.5}, "regression"),
    (K.LogCosh, {}, "regression"),
    (K.KLDivergence, {}, "categorical"),
    (K.Poisson, {}, "positive"),
    (K.Hinge, {}, "hinge"),
    (K.SquaredHinge, {}, "hinge"),
    (K.CategoricalHinge, {}, "categorical_logits"),
    (K.BinaryCrossentropy, {}, "binary"),
    (K.BinaryCrossentropy, {"label_smoothing": 0.2}, "binary"),
    (K.BinaryCrossentropy, {"from_logits": True}, "binary_logits"),
    (K.BinaryCrossentropy, {"from_logits": True, "label_smoothing": 0.1, "axis": 0}, "binary_logits"),
    (K.BinaryFocalCrossentropy, {}, "binary"),
    (K.BinaryFocalCrossentropy, {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5, "label_smoothing": 0.1}, "binary"),
    (K.BinaryFocalCrossentropy, {"from_logits": True, "gamma": 3.0}, "binary_logits"),
    (K.CategoricalCrossentropy, {}, "categorical"),
    (K.CategoricalCrossentropy, {"label_smoothing": 0.1}, "categorical"),
    (K.CategoricalCrossentropy, {"from_logits": True}, "categorical_logits"),
    (K.CategoricalCrossentropy, {"from_logits": True, "axis": 0, "label_smoothing": 0.2}, "categorical_logits"),
    (K.CategoricalFocalCrossentropy, {}, "categorical"),
    (K.CategoricalFocalCrossentropy, {"from_logits": True, "alpha": 0.5, "gamma": 1.0, "label_smoothing": 0.1}, "categorical_logits"),
    (K.SparseCategoricalCrossentropy, {}, "sparse"),
    (K.SparseCategoricalCrossentropy, {"from_logits": True}, "sparse_logits"),
    (K.SparseCategoricalCrossentropy, {"ignore_class": 0}, "sparse"),
    (K.SparseCategoricalCrossentropy, {"from_logits": True, "ignore_class": 0}, "sparse_logits"),
    (K.CategoricalGeneralizedCrossEntropy, {}, "sparse"),
    (K.CategoricalGeneralizedCrossEntropy, {"q": 0.2}, "sparse"),
    (K.Dice, {}, "segmentation"),
    (K.Dice, {"axis": [1, 2]}, "segmentation"),
    (K.Tversky, {}, "segmentation"),
    (K.Tversky, {"alpha": 0.7, "beta": 0.3, "axis": -1}, "segmentation"),
    (K.Circle, {}, "circle"),
    (K.Circle, {"gamma": 2.0, "margin": 0.25, "remove_diagonal": False}, "circle"),
    (K.CTC, {}, "ctc"),
]

# Keras defines the empty batch only where the loss of each sample is a vector of shape (0,).
WEIGHTED_KINDS = {"regression", "positive", "binary", "binary_logits", "categorical", "categorical_logits", "sparse", "sparse_logits", "hinge", "circle", "ctc"}


def case_values(loss, y_true, y_pred, sample_weight=None, mask=None):
    yp = keras.ops.convert_to_tensor(y_pred)
    if mask is not None:
        backend.set_keras_mask(yp, keras.ops.convert_to_tensor(mask))
    value = loss(y_true, yp, sample_weight=sample_weight)
    return np.asarray(value)


def main():
    cases = []
    for cls, kwargs, kind in SPECS:
        label = cls.__name__ + ("(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")" if kwargs else "")
        for set_name, (y_true, y_pred) in inputs(kind).items():
            if kwargs.get("axis") == 0 and y_pred.shape[0] == 0:
                continue
            if cls is K.CosineSimilarity and kwargs.get("axis") == 0 and set_name == "labels_without_last_axis":
                continue
            # Keras broadcasts [batch, 1] labels against their one-hot ([batch, batch] losses);
            # we read them as [batch] labels (COMPATIBILITY.md).
            if cls is K.CategoricalGeneralizedCrossEntropy and set_name == "labels_with_last_axis":
                continue
            per_sample = np.asarray(cls(**kwargs).call(y_true, y_pred))
            entry = {
                "name": f"{label} {set_name}",
                "class_name": cls.__name__,
                "config": cls(**kwargs).get_config(),
                "kwargs": kwargs,
                "y_true": arr(y_true),
                "y_pred": arr(y_pred),
                "call": arr(per_sample),
                "reductions": {},
            }
            for reduction in ["sum_over_batch_size", "sum", "none"]:
                entry["reductions"][reduction] = arr(case_values(cls(**kwargs, reduction=reduction), y_true, y_pred))
            n = y_pred.shape[0]
            if kind in WEIGHTED_KINDS and n > 0 and per_sample.ndim >= 1 and per_sample.shape[0] == n:
                # One weight per sample ([n], or [n, 1, ...] against a loss per sample and step).
                weight = f32(np.round(rng.uniform(0, 2, n), 2))
                weight[0] = 0.0
                weight = weight.reshape((n,) + (1,) * (per_sample.ndim - 1))
                mask = np.ones(per_sample.shape, bool)
                mask.reshape(-1)[-1] = False
                entry["sample_weight"] = arr(weight)
                entry["mask"] = arr(mask.astype("float32"))
                entry["weighted"] = {}
                for reduction in ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"]:
                    loss = cls(**kwargs, reduction=reduction)
                    entry["weighted"][reduction] = {
                        "weights": arr(case_values(loss, y_true, y_pred, sample_weight=weight)),
                        "mask": arr(case_values(loss, y_true, y_pred, mask=mask)),
                        "both": arr(case_values(loss, y_true, y_pred, sample_weight=weight, mask=mask)),
                    }
            cases.append(entry)

    configs = []
    for cls, kwargs, _ in SPECS:
        for extra in [{}, {"name": "my_loss", "reduction": "sum"}]:
            obj = cls(**kwargs, **extra)
            configs.append({"class_name": cls.__name__, "kwargs": {**kwargs, **extra}, "json": keras.losses.serialize(obj)})
    configs.append({"class_name": "MeanSquaredError", "kwargs": {"reduction": None}, "json": keras.losses.serialize(K.MeanSquaredError(reduction=None))})

    names = []
    for key, obj in sorted(ALL_OBJECTS_DICT.items()):
        if key in ("Loss", "LossFunctionWrapper"):
            continue
        got = keras.losses.get(key)
        names.append(
            {
                "name": key,
                "kind": "class" if isinstance(got, keras.losses.Loss) else "function",
                "class_name": type(got).__name__ if isinstance(got, keras.losses.Loss) else None,
                "function": None if isinstance(got, keras.losses.Loss) else got.__name__,
                "loss_name": got.name if isinstance(got, keras.losses.Loss) else got.__name__,
                "serialized": keras.losses.serialize(got),
            }
        )

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    compile_configs = []
    for loss in ["mse", "huber", K.Huber(delta=2.0), K.BinaryFocalCrossentropy(apply_class_balancing=True), K.SparseCategoricalCrossentropy(ignore_class=1, from_logits=True)]:
        model.compile(optimizer="sgd", loss=loss)
        compile_configs.append(model.get_compile_config()["loss"])

    with open(OUT, "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": cases, "configs": configs, "names": names, "compile_losses": compile_configs}, f, separators=(",", ":"))
    print(f"{len(cases)} cases, {len(configs)} configs, {len(names)} names -> {OUT}")


main()
