"""Records real Keras 3 stateful metrics for test/metrics-keras.test.ts (issue 24, part 2).

For each metric: its constructor arguments, a few uneven batches (with and
without sample weights, edge cases: all one class, logits of +-50, ties,
ignored/out-of-range classes, an empty batch where Keras defines it), the
result after each update_state (Keras accumulates across batches), the
variables after the last one (names and order), get_config, and the result
after reset_state. Also the errors Keras raises for bad arguments, and one
compiled .keras model (TopKCategoricalAccuracy and MeanIoU) with its
evaluate() logs.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_metrics_fixtures.py
"""

import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-metrics.json")
MODEL_DIR = os.path.join(HERE, "..", "test", "fixtures", "keras-metrics")
M = keras.metrics
rng = np.random.RandomState(24)


def number(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def values(array, dtype=None):
    array = np.asarray(array) if dtype is None else np.asarray(array, dtype=dtype)
    return {"shape": list(array.shape), "dtype": str(array.dtype), "values": [number(v) for v in array.reshape(-1)]}


def f32(x):
    return np.asarray(x, dtype="float32")


def i32(x):
    return np.asarray(x, dtype="int32")


def batch(y_true, y_pred, sample_weight=None):
    return (y_true, y_pred, sample_weight)


cases = []


def case(name, cls, kwargs, batches):
    metric = cls(**kwargs)
    results = []
    for y_true, y_pred, sw in batches:
        metric.update_state(y_true, y_pred, sample_weight=sw)
        results.append(values(keras.ops.convert_to_numpy(metric.result())))
    variables = [
        {"path": v.path, "name": v.name, **values(keras.ops.convert_to_numpy(v))} for v in metric.variables
    ]
    config = metric.get_config()
    metric.reset_state()
    after_reset = values(keras.ops.convert_to_numpy(metric.result()))
    cases.append(
        {
            "name": name,
            "class_name": cls.__name__,
            "kwargs": kwargs,
            "batches": [
                {
                    "y_true": values(y_true),
                    "y_pred": values(y_pred),
                    "sample_weight": None if sw is None else values(sw),
                }
                for y_true, y_pred, sw in batches
            ],
            "results": results,
            "variables": variables,
            "config": config,
            "result_after_reset": after_reset,
        }
    )


def onehot(labels, n):
    return np.eye(n, dtype="float32")[np.asarray(labels)]


def probs(shape):
    x = rng.uniform(0.05, 1.0, shape).astype("float32")
    return (x / x.sum(-1, keepdims=True)).astype("float32")


# ---- a compiled .keras model (first, so Keras names its metrics without a uniquifying suffix) ---------------
# Keras 3 gives `metrics` no sample weight (only `weighted_metrics` get it): the weighted evaluate shows that.
os.makedirs(MODEL_DIR, exist_ok=True)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="softmax")])
model.set_weights([rng.uniform(-1, 1, (4, 5)).astype("float32"), rng.uniform(-0.2, 0.2, (5,)).astype("float32")])
model.compile(
    optimizer="sgd",
    loss="categorical_crossentropy",
    metrics=[M.TopKCategoricalAccuracy(k=2), M.MeanIoU(num_classes=5, sparse_y_true=False, sparse_y_pred=False)],
)
x = rng.standard_normal((7, 4)).astype("float32")
y = onehot([0, 1, 2, 2, 1, 4, 3], 5)
sw = f32([1, 2, 0, 1, 3, 1, 2])
logs = model.evaluate(x, y, batch_size=2, verbose=0, return_dict=True)
logs_weighted = model.evaluate(x, y, sample_weight=sw, batch_size=2, verbose=0, return_dict=True)
path = os.path.join(MODEL_DIR, "topk-meaniou.keras")
model.save(path)
compiled = {
    "file": "keras-metrics/topk-meaniou.keras",
    "x": values(x),
    "y": values(y),
    "sample_weight": values(sw),
    "evaluate_batch_size_2": {k: float(v) for k, v in logs.items()},
    "evaluate_weighted_batch_size_2": {k: float(v) for k, v in logs_weighted.items()},
    "compile_config": model.get_compile_config(),
    "metric_variables": [
        {"path": v.path, **values(keras.ops.convert_to_numpy(v))} for v in model.metrics_variables
    ],
}

# A Keras mask reaches the metrics: Embedding(mask_zero) -> LSTM(return_sequences) -> Dense(softmax). The
# MeanMetricWrapper metrics weigh by the mask (padded steps count for nothing); IoU ignores it, as Keras.
IDS = np.array([[1, 2, 0, 0], [3, 0, 4, 5], [0, 0, 0, 0], [2, 2, 2, 0], [5, 0, 0, 0]], dtype="int32")
masked_model = keras.Sequential(
    [keras.Input((4,), dtype="int32"), keras.layers.Embedding(6, 3, mask_zero=True), keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(3, activation="softmax")]
)
mrng = np.random.RandomState(240)  # its own stream, so the cases below keep their data
masked_model.set_weights([mrng.uniform(-0.8, 0.8, w.shape).astype("float32") for w in masked_model.weights])
masked_model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=[
        M.SparseTopKCategoricalAccuracy(k=2),
        M.MeanIoU(num_classes=3, sparse_y_pred=False, name="seq_mean_io_u"),
        M.SparseCategoricalCrossentropy(),
    ],
)
masked_targets = mrng.randint(0, 3, (5, 4)).astype("int32")
masked_logs = masked_model.evaluate(IDS, masked_targets, batch_size=2, verbose=0, return_dict=True)
masked_model.save(os.path.join(MODEL_DIR, "masked-sequence.keras"))
compiled_masked = {
    "file": "keras-metrics/masked-sequence.keras",
    "x": values(IDS),
    "y": values(masked_targets),
    "evaluate_batch_size_2": {k: float(v) for k, v in masked_logs.items()},
}

# ---- top-k -------------------------------------------------------------------------------------------------
case(
    "TopK k=1: Keras docstring, then weighted",
    M.TopKCategoricalAccuracy,
    {"k": 1},
    [
        batch(f32([[0, 0, 1], [0, 1, 0]]), f32([[0.1, 0.9, 0.8], [0.05, 0.95, 0]])),
        batch(f32([[0, 0, 1], [0, 1, 0]]), f32([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), f32([0.7, 0.3])),
    ],
)
labels = rng.randint(0, 5, 6)
case(
    "TopK k=2 over 5 classes, uneven weighted batches",
    M.TopKCategoricalAccuracy,
    {"k": 2},
    [
        batch(onehot(labels[:3], 5), probs((3, 5)), f32([1.0, 0.5, 2.0])),
        batch(onehot(labels[3:4], 5), probs((1, 5)), f32([3.0])),
        batch(onehot(labels[4:], 5), probs((2, 5)), f32([0.25, 0.0])),
    ],
)
case(
    "TopK ties count as in the top k, all one class; k=5 over 3 classes is always right",
    M.TopKCategoricalAccuracy,
    {"k": 5},
    [batch(onehot([1, 1, 1], 3), f32([[0.2, 0.2, 0.6], [0.5, 0.3, 0.2], [1, 1, 1]]))],
)
case(
    "TopK k=1 ties: a tied label is in the top 1",
    M.TopKCategoricalAccuracy,
    {"k": 1, "name": "top1"},
    [batch(onehot([0, 2, 1], 3), f32([[0.5, 0.5, 0], [0.4, 0.4, 0.2], [50, -50, 50]]))],
)
case(
    "TopK k=2 on (batch, time, classes) with (batch, time) weights",
    M.TopKCategoricalAccuracy,
    {"k": 2},
    [
        batch(onehot(rng.randint(0, 4, (2, 3)), 4), probs((2, 3, 4)), f32([[1, 0, 2], [1, 1, 0.5]])),
        batch(onehot(rng.randint(0, 4, (1, 3)), 4), probs((1, 3, 4))),
    ],
)
case(
    "SparseTopK k=1: Keras docstring, then weighted",
    M.SparseTopKCategoricalAccuracy,
    {"k": 1},
    [
        batch(f32([2, 1]), f32([[0.1, 0.9, 0.8], [0.05, 0.95, 0]])),
        batch(f32([2, 1]), f32([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), f32([0.7, 0.3])),
    ],
)
case(
    "SparseTopK k=2: labels (n,) then (n, 1), an empty batch between",
    M.SparseTopKCategoricalAccuracy,
    {"k": 2},
    [
        batch(i32([0, 3, 4]), probs((3, 5)), f32([1, 2, 0.5])),
        batch(np.zeros((0,), "int32"), np.zeros((0, 5), "float32")),
        batch(i32([[1], [1]]), probs((2, 5)), f32([[1], [3]])),
    ],
)
case(
    "SparseTopK from_sorted_ids k=2: repeated ids count once",
    M.SparseTopKCategoricalAccuracy,
    {"k": 2, "from_sorted_ids": True},
    [
        batch(f32([2, 1]), f32([[1, 0, 3], [1, 2, 3]])),
        batch(f32([7, 3, 5]), f32([[7, 7, 1], [1, 2, 3], [4, 5, 5]]), f32([1, 2, 3])),
    ],
)
case(
    "SparseTopK k=1 on (batch, time) labels, logits of +-50",
    M.SparseTopKCategoricalAccuracy,
    {"k": 1, "name": "acc_top1"},
    [batch(i32([[0, 1], [2, 2]]), f32([[[50, -50, 0], [50, -50, 0]], [[-50, 0, 50], [-50, 50, 0]]]))],
)

# ---- IoU ---------------------------------------------------------------------------------------------------
case(
    "IoU two of three classes, integer weights (the int32 confusion matrix)",
    M.IoU,
    {"num_classes": 3, "target_class_ids": [0, 2]},
    [
        batch(i32([0, 1, 2, 2, 1]), i32([0, 2, 2, 1, 1]), i32([1, 2, 1, 1, 3])),
        batch(i32([2, 0]), i32([2, 2])),
    ],
)
case(
    "IoU ignore_class=-1 and out-of-range classes left out",
    M.IoU,
    {"num_classes": 3, "target_class_ids": [1], "ignore_class": -1},
    [
        batch(i32([0, -1, 1, 1, 2, 5]), i32([0, 1, 1, 0, 2, 1])),
        batch(i32([[1, -1], [1, 2]]), i32([[1, 1], [7, 2]])),
    ],
)
case(
    "IoU one-hot labels and predictions, float32 with float weights",
    M.IoU,
    {"num_classes": 3, "target_class_ids": [0, 1, 2], "sparse_y_true": False, "sparse_y_pred": False, "dtype": "float32"},
    [
        batch(onehot([0, 1, 2, 0], 3), probs((4, 3)), f32([0.1, 0.2, 0.3, 0.4])),
        batch(onehot([2], 3), probs((1, 3)), f32([2.5])),
    ],
)
case(
    "MeanIoU docstring; float weights truncated by the default int32 dtype",
    M.MeanIoU,
    {"num_classes": 2},
    [
        batch(i32([0, 0, 1, 1]), i32([0, 1, 0, 1])),
        batch(i32([0, 0, 1, 1]), i32([0, 1, 0, 1]), f32([0.3, 0.3, 1.7, 2.1])),
    ],
)
case(
    "MeanIoU float32 on segmentation maps (batch, h, w), weights per pixel",
    M.MeanIoU,
    {"num_classes": 3, "dtype": "float32"},
    [
        batch(i32([[[0, 1], [2, 2]], [[1, 1], [0, 0]]]), i32([[[0, 1], [1, 2]], [[1, 2], [0, 1]]]), f32([[[1, 0.5], [2, 1]], [[1, 1], [0.25, 1]]])),
        batch(i32([[[2, 2], [2, 2]]]), i32([[[2, 2], [2, 0]]])),
    ],
)
case(
    "MeanIoU a class never seen is left out of the mean; all one class",
    M.MeanIoU,
    {"num_classes": 4},
    [batch(i32([1, 1, 1]), i32([1, 1, 1])), batch(i32([1, 1]), i32([1, 2]))],
)
case(
    "MeanIoU from probabilities (sparse_y_pred=False) with ignore_class=0",
    M.MeanIoU,
    {"num_classes": 3, "sparse_y_pred": False, "ignore_class": 0, "name": "miou"},
    [batch(i32([0, 1, 2, 1, 2]), probs((5, 3))), batch(i32([[1], [0]]), probs((2, 1, 3)))],
)
case(
    "BinaryIoU defaults: threshold 0.5, both classes",
    M.BinaryIoU,
    {},
    [batch(f32([0, 1, 0, 1]), f32([0.1, 0.2, 0.4, 0.7])), batch(f32([[1], [1]]), f32([[0.5], [0.49]]))],
)
case(
    "BinaryIoU docstring threshold 0.3, float32 with weights",
    M.BinaryIoU,
    {"target_class_ids": [0, 1], "threshold": 0.3, "dtype": "float32"},
    [
        batch(f32([0, 1, 0, 1]), f32([0.1, 0.2, 0.4, 0.7])),
        batch(f32([0, 1, 0, 1]), f32([0.1, 0.2, 0.4, 0.7]), f32([0.2, 0.3, 0.4, 0.1])),
    ],
)
case(
    "BinaryIoU class 1 only, threshold 0 on logits of +-50, all one class",
    M.BinaryIoU,
    {"target_class_ids": [1], "threshold": 0.0},
    [batch(f32([1, 1, 1]), f32([50, -50, 0])), batch(f32([1, 1]), f32([50, 50]))],
)
y1h = f32([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
p1h = f32([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
case(
    "OneHotIoU docstring (float32 weights), then a second batch",
    M.OneHotIoU,
    {"num_classes": 3, "target_class_ids": [0, 2], "dtype": "float32"},
    [batch(y1h, p1h, f32([0.1, 0.2, 0.3, 0.4])), batch(onehot([1, 1], 3), probs((2, 3)))],
)
case(
    "OneHotIoU int32 with integer weights, sparse predictions",
    M.OneHotIoU,
    {"num_classes": 3, "target_class_ids": [1], "sparse_y_pred": True},
    [batch(y1h, i32([2, 0, 1, 1]), i32([1, 2, 3, 0])), batch(onehot([1, 2], 3), i32([1, 2]))],
)
case(
    "OneHotMeanIoU docstring (float32 weights)",
    M.OneHotMeanIoU,
    {"num_classes": 3, "dtype": "float32"},
    [batch(y1h, p1h, f32([0.1, 0.2, 0.3, 0.4])), batch(onehot([2, 0], 3), probs((2, 3)), f32([1, 1]))],
)
case(
    "OneHotMeanIoU ignore_class=2, default int32",
    M.OneHotMeanIoU,
    {"num_classes": 3, "ignore_class": 2},
    [batch(y1h, p1h), batch(onehot([2, 1, 1], 3), probs((3, 3)))],
)

# ---- regression --------------------------------------------------------------------------------------------
yt = rng.standard_normal((7, 2)).astype("float32")
yp = (yt + 0.5 * rng.standard_normal((7, 2))).astype("float32")
case(
    "R2Score uniform_average, uneven weighted batches",
    M.R2Score,
    {},
    [batch(yt[:3], yp[:3], f32([1, 2, 0.5])), batch(yt[3:4], yp[3:4], f32([1])), batch(yt[4:], yp[4:])],
)
case(
    "R2Score variance_weighted_average, (n, 2) weights",
    M.R2Score,
    {"class_aggregation": "variance_weighted_average"},
    [batch(yt[:4], yp[:4], f32([[1, 0.5], [2, 1], [1, 1], [0, 3]])), batch(yt[4:], yp[4:])],
)
case(
    "R2Score class_aggregation=None gives one score per output",
    M.R2Score,
    {"class_aggregation": None},
    [batch(yt[:5], yp[:5]), batch(yt[5:], yp[5:])],
)
case(
    "R2Score adjusted with num_regressors=2",
    M.R2Score,
    {"num_regressors": 2},
    [batch(yt[:4, :1], yp[:4, :1]), batch(yt[4:, :1], yp[4:, :1])],
)
case(
    "R2Score num_regressors beyond the samples falls back to R2",
    M.R2Score,
    {"num_regressors": 20},
    [batch(yt[:, :1], yp[:, :1])],
)
case(
    "R2Score a constant target: 1 - x/0 is -inf, reported as 0; labels (n,) against (n, 1)",
    M.R2Score,
    {},
    [batch(f32([1, 1, 1]), f32([[1.5], [0.5], [1]]))],
)
case(
    "RootMeanSquaredError weighted, labels (n,) against (n, 1)",
    M.RootMeanSquaredError,
    {},
    [batch(f32([1, 2, 3]), f32([[1.5], [2], [0]]), f32([1, 2, 0.5])), batch(f32([0]), f32([[4]]))],
)
case(
    "RootMeanSquaredError (batch, 3), all correct then all wrong",
    M.RootMeanSquaredError,
    {"name": "rmse"},
    [batch(f32([[1, 2, 3], [4, 5, 6]]), f32([[1, 2, 3], [4, 5, 6]])), batch(f32([[0, 0, 0]]), f32([[3, 4, 0]]))],
)
case(
    "RootMeanSquaredError (batch, time, 2) with (batch, time) weights",
    M.RootMeanSquaredError,
    {},
    [batch(rng.standard_normal((2, 3, 2)).astype("float32"), rng.standard_normal((2, 3, 2)).astype("float32"), f32([[1, 0, 2], [0.5, 1, 1]]))],
)

# ---- Mean, Sum (values only: y_pred is unused, y_true holds the values) --------------------------------------
def reduce_case(name, cls, kwargs, value_batches):
    metric = cls(**kwargs)
    results = []
    for v, sw in value_batches:
        metric.update_state(v, sample_weight=sw)
        results.append(values(keras.ops.convert_to_numpy(metric.result())))
    cases.append(
        {
            "name": name,
            "class_name": cls.__name__,
            "kwargs": kwargs,
            "batches": [{"values": values(v), "sample_weight": None if sw is None else values(sw)} for v, sw in value_batches],
            "results": results,
            "variables": [{"path": v.path, "name": v.name, **values(keras.ops.convert_to_numpy(v))} for v in metric.variables],
            "config": metric.get_config(),
        }
    )


reduce_case("Mean docstring then weighted", M.Mean, {}, [(f32([1, 3, 5, 7]), None), (f32([1, 3, 5, 7]), f32([1, 1, 0, 0]))])
reduce_case(
    "Mean of (3, 2) values with (3,) weights, an empty batch, a scalar",
    M.Mean,
    {"name": "m"},
    [(f32([[1, 2], [3, 4], [5, 6]]), f32([1, 0.5, 2])), (np.zeros((0,), "float32"), None), (f32(2.5), None)],
)
reduce_case("Sum docstring then weighted, (2, 2) values", M.Sum, {}, [(f32([1, 3, 5, 7]), f32([1, 1, 0, 0])), (f32([[1, 2], [3, 4]]), f32([2, 0.5]))])

# ---- losses as metrics (MeanMetricWrapper) ------------------------------------------------------------------
bin_true = f32([[0, 1, 1], [1, 0, 0], [1, 1, 1]])
bin_prob = f32([[0.1, 0.8, 0.6], [0.9, 0.2, 0.4], [0.5, 0.99, 0.01]])
bin_logit = f32([[-50, 50, 3], [50, -50, -1], [0, 50, -50]])
case("BinaryCrossentropy probabilities, uneven batches", M.BinaryCrossentropy, {}, [batch(bin_true[:2], bin_prob[:2], f32([1, 2])), batch(bin_true[2:], bin_prob[2:])])
case("BinaryCrossentropy from logits of +-50, label_smoothing 0.1", M.BinaryCrossentropy, {"from_logits": True, "label_smoothing": 0.1}, [batch(bin_true, bin_logit, f32([1, 0.5, 2]))])
case("BinaryCrossentropy all one class, probabilities 0 and 1 clipped", M.BinaryCrossentropy, {"name": "bce"}, [batch(f32([[1], [1], [1]]), f32([[1], [0], [0.5]]))])
cat_true = onehot([0, 2, 1, 2], 3)
cat_logit = f32([[50, -50, 0], [-50, 0, 50], [1, 2, 3], [50, 50, -50]])
case("CategoricalCrossentropy probabilities", M.CategoricalCrossentropy, {}, [batch(cat_true[:3], probs((3, 3)), f32([1, 2, 3])), batch(cat_true[3:], probs((1, 3)))])
case("CategoricalCrossentropy from logits of +-50, label_smoothing 0.2", M.CategoricalCrossentropy, {"from_logits": True, "label_smoothing": 0.2}, [batch(cat_true, cat_logit)])
case("CategoricalCrossentropy one-hot prediction of the wrong class (clipped), all one class", M.CategoricalCrossentropy, {}, [batch(onehot([1, 1], 3), f32([[1, 0, 0], [0, 1, 0]]))])
case("SparseCategoricalCrossentropy probabilities, labels (n, 1)", M.SparseCategoricalCrossentropy, {}, [batch(i32([[0], [2], [1]]), probs((3, 3)), f32([1, 0, 2])), batch(i32([[2]]), probs((1, 3)))])
case("SparseCategoricalCrossentropy from logits of +-50", M.SparseCategoricalCrossentropy, {"from_logits": True}, [batch(i32([0, 2, 1, 2]), cat_logit)])
case("SparseCategoricalCrossentropy ignore_class=-1: ignored entries count as 0", M.SparseCategoricalCrossentropy, {"ignore_class": -1}, [batch(i32([0, -1, 1, -1]), probs((4, 3))), batch(i32([[2, -1]]), probs((1, 2, 3)), f32([2]))])
pos_true = rng.uniform(0, 3, (4, 3)).astype("float32")
pos_pred = rng.uniform(0.1, 3, (4, 3)).astype("float32")
case("KLDivergence probability rows", M.KLDivergence, {}, [batch(probs((3, 4)), probs((3, 4)), f32([1, 2, 0.5])), batch(probs((2, 4)), probs((2, 4)))])
case("KLDivergence zeros clipped to epsilon", M.KLDivergence, {"name": "kld"}, [batch(f32([[1, 0], [0, 1]]), f32([[0, 1], [0.5, 0.5]]))])
case("KLDivergence identical rows give 0", M.KLDivergence, {}, [batch(f32([[0.25, 0.75]]), f32([[0.25, 0.75]]))])
case("Poisson counts", M.Poisson, {}, [batch(pos_true[:3], pos_pred[:3], f32([1, 2, 1])), batch(pos_true[3:], pos_pred[3:])])
case("Poisson zero predictions (log of epsilon)", M.Poisson, {}, [batch(f32([[0, 1], [2, 0]]), f32([[0, 0], [1, 0]]))])
case("Poisson (batch, time, 2)", M.Poisson, {}, [batch(rng.uniform(0, 2, (2, 3, 2)).astype("float32"), rng.uniform(0.1, 2, (2, 3, 2)).astype("float32"), f32([[1, 0, 2], [1, 1, 1]]))])
reg_true = rng.standard_normal((5, 3)).astype("float32")
reg_pred = rng.standard_normal((5, 3)).astype("float32")
case("CosineSimilarity rows", M.CosineSimilarity, {}, [batch(reg_true[:2], reg_pred[:2], f32([1, 3])), batch(reg_true[2:], reg_pred[2:])])
case("CosineSimilarity axis=0 (not written in its config)", M.CosineSimilarity, {"axis": 0}, [batch(reg_true, reg_pred)])
case("CosineSimilarity a zero row and opposite rows", M.CosineSimilarity, {}, [batch(f32([[0, 0], [1, 1], [1, 0]]), f32([[1, 2], [-1, -1], [1, 0]]))])
case("LogCoshError", M.LogCoshError, {}, [batch(reg_true[:3], reg_pred[:3], f32([1, 0.5, 2])), batch(reg_true[3:], reg_pred[3:])])
case("LogCoshError large errors (+-50)", M.LogCoshError, {}, [batch(f32([[0, 0]]), f32([[50, -50]]))])
case("LogCoshError labels (n,) against (n, 1)", M.LogCoshError, {"name": "lc"}, [batch(f32([1, 2, 3]), f32([[1.5], [1], [3]]))])
case("MeanAbsolutePercentageError", M.MeanAbsolutePercentageError, {}, [batch(reg_true[:3], reg_pred[:3], f32([1, 2, 1])), batch(reg_true[3:], reg_pred[3:])])
case("MeanAbsolutePercentageError zero targets (divided by epsilon)", M.MeanAbsolutePercentageError, {}, [batch(f32([[0, 1], [2, 0]]), f32([[0, 1.5], [1, 1e-6]]))])
case("MeanAbsolutePercentageError labels (n,) against (n, 1)", M.MeanAbsolutePercentageError, {"name": "mape"}, [batch(f32([1, 2, 4]), f32([[1.5], [1], [3]]))])
case("MeanSquaredLogarithmicError", M.MeanSquaredLogarithmicError, {}, [batch(pos_true[:2], pos_pred[:2], f32([2, 1])), batch(pos_true[2:], pos_pred[2:])])
case("MeanSquaredLogarithmicError negatives clipped to epsilon", M.MeanSquaredLogarithmicError, {}, [batch(f32([[-1, 2], [0, 3]]), f32([[1, -2], [0, 3]]))])
case("MeanSquaredLogarithmicError labels (n,) against (n, 1)", M.MeanSquaredLogarithmicError, {}, [batch(f32([1, 2, 4]), f32([[1.5], [1], [3]]))])
hinge_pred = f32([[0.6, -0.4, 2], [-1.5, 0.2, 0.0], [50, -50, 0.3]])
case("Hinge 0/1 labels converted to -1/1", M.Hinge, {}, [batch(bin_true[:2], hinge_pred[:2], f32([1, 2])), batch(bin_true[2:], hinge_pred[2:])])
case("Hinge -1/1 labels used as they are", M.Hinge, {}, [batch(f32([[-1, 1, 1], [1, -1, -1]]), hinge_pred[:2])])
case("Hinge all one class (all ones: binary, converted)", M.Hinge, {}, [batch(f32([[1, 1, 1]]), hinge_pred[:1]), batch(f32([[-1, 1, 1]]), hinge_pred[1:2])])
case("SquaredHinge 0/1 labels", M.SquaredHinge, {}, [batch(bin_true, hinge_pred, f32([1, 0.5, 2]))])
case("SquaredHinge -1/1 labels", M.SquaredHinge, {}, [batch(f32([[-1, 1, 1], [1, -1, -1]]), hinge_pred[:2]), batch(f32([[1, 1, -1]]), hinge_pred[2:])])
case("SquaredHinge all zeros (binary, converted to -1)", M.SquaredHinge, {}, [batch(f32([[0, 0, 0]]), hinge_pred[:1])])
case("CategoricalHinge one-hot", M.CategoricalHinge, {}, [batch(cat_true[:3], probs((3, 3)), f32([1, 2, 3])), batch(cat_true[3:], probs((1, 3)))])
case("CategoricalHinge logits of +-50", M.CategoricalHinge, {}, [batch(cat_true, cat_logit)])
case("CategoricalHinge all one class", M.CategoricalHinge, {}, [batch(onehot([0, 0], 2), f32([[0.9, 0.1], [0.2, 0.8]]))])
case("MeanSquaredError weighted, labels (n,) against (n, 1)", M.MeanSquaredError, {}, [batch(f32([1, 2, 3]), f32([[1.5], [2], [0]]), f32([1, 2, 0.5])), batch(f32([0]), f32([[4]]))])
case("MeanAbsoluteError uneven batches", M.MeanAbsoluteError, {}, [batch(reg_true[:3], reg_pred[:3], f32([1, 0, 2])), batch(reg_true[3:], reg_pred[3:])])

# ---- correlation -------------------------------------------------------------------------------------------
case("PearsonCorrelation rows, uneven weighted batches", M.PearsonCorrelation, {}, [batch(reg_true[:2], reg_pred[:2], f32([1, 2])), batch(reg_true[2:], reg_pred[2:])])
case("PearsonCorrelation perfectly (anti-)correlated rows", M.PearsonCorrelation, {}, [batch(f32([[1, 2, 3], [1, 2, 3]]), f32([[2, 4, 6], [3, 2, 1]]))])
case("PearsonCorrelation axis=0", M.PearsonCorrelation, {"axis": 0, "name": "pc0"}, [batch(reg_true, reg_pred)])
case("PearsonCorrelation a constant row is NaN (0/0), as Keras", M.PearsonCorrelation, {}, [batch(f32([[1, 1, 1], [1, 2, 3]]), f32([[1, 2, 3], [1, 2, 4]]))])
case("ConcordanceCorrelation rows, uneven weighted batches", M.ConcordanceCorrelation, {}, [batch(reg_true[:2], reg_pred[:2], f32([1, 2])), batch(reg_true[2:], reg_pred[2:])])
case("ConcordanceCorrelation identical and shifted rows", M.ConcordanceCorrelation, {}, [batch(f32([[1, 2, 3], [1, 2, 3]]), f32([[1, 2, 3], [2, 3, 4]]))])
case("ConcordanceCorrelation axis=0, constant columns", M.ConcordanceCorrelation, {"axis": 0}, [batch(f32([[1, 1], [1, 2], [1, 3]]), f32([[1, 0], [1, 2], [1, 5]]))])

# ---- errors ------------------------------------------------------------------------------------------------
errors = []


def error(name, make):
    try:
        make()
    except Exception as e:  # noqa: BLE001
        errors.append({"name": name, "type": type(e).__name__, "message": str(e)})
    else:
        errors.append({"name": name, "type": None, "message": None})


error("IoU target class id out of range", lambda: M.IoU(num_classes=2, target_class_ids=[0, 2]))
error("IoU num_classes missing", lambda: M.IoU(target_class_ids=[0]))
error("MeanIoU num_classes missing", lambda: M.MeanIoU())
error("R2Score bad class_aggregation", lambda: M.R2Score(class_aggregation="mean"))
error("R2Score negative num_regressors", lambda: M.R2Score(num_regressors=-1))
error("R2Score 3D input", lambda: M.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))))
error("TopK k=0 (Keras accepts it: nothing is in the top 0)", lambda: M.TopKCategoricalAccuracy(k=0))

# ---- the keras.metrics functions (per sample, not averaged) ---------------------------------------------------
functions = []


def function_case(name, fn, y_true, y_pred, **kwargs):
    out = keras.ops.convert_to_numpy(fn(y_true, y_pred, **kwargs))
    functions.append({"name": name, "kwargs": kwargs, "y_true": values(y_true), "y_pred": values(y_pred), "result": values(out)})


function_case("top_k_categorical_accuracy", M.top_k_categorical_accuracy, f32([[0, 0, 1], [0, 1, 0]]), f32([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), k=1)
function_case("sparse_top_k_categorical_accuracy", M.sparse_top_k_categorical_accuracy, i32([[2], [1], [0]]), probs((3, 4)), k=2)
function_case("sparse_top_k_categorical_accuracy", M.sparse_top_k_categorical_accuracy, f32([2, 1]), f32([[1, 0, 3], [1, 2, 3]]), k=1, from_sorted_ids=True)
function_case("pearson_correlation", M.pearson_correlation, reg_true, reg_pred)
function_case("pearson_correlation", M.pearson_correlation, reg_true, reg_pred, axis=0)
function_case("concordance_correlation", M.concordance_correlation, reg_true, reg_pred)

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_metrics_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "jax_version": jax.__version__,
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists widened to float64; NaN and the infinities as strings",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases, "errors": errors, "functions": functions, "compiled": compiled, "compiled_masked": compiled_masked}, f, indent=1)
print(f"wrote {len(cases)} cases, {len(errors)} errors to {OUT}")
