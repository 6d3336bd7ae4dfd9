"""Records real Keras 3 confusion-matrix metrics for test/metrics-confusion.test.ts (issue 24, part 1).

AUC (ROC, PR, PRGAIN; interpolation/minoring/majoring; num_thresholds,
thresholds, multi_label, num_labels, label_weights, from_logits),
Precision/Recall (thresholds, top_k, class_id), PrecisionAtRecall,
RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
True/False Positives/Negatives, F1Score and FBetaScore: each on uneven
batches with sample weights (zero weights for masked entries), edge cases
(all one class, logits of +-50, predictions on the thresholds, an empty
batch), the result after each update_state, the variables after the last
(names and order), get_config, and the result after reset_state. The
errors Keras raises for bad arguments, and a compiled .keras model (AUC,
Precision, Recall, TopKCategoricalAccuracy, MeanIoU) with its evaluate()
logs and compile_config.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_metrics_confusion_fixtures.py
"""

import json
import math
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-metrics-confusion.json")
MODEL_DIR = os.path.join(HERE, "..", "test", "fixtures", "keras-metrics-confusion")
M = keras.metrics
rng = np.random.RandomState(2401)


def number(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def values(array):
    array = np.asarray(array)
    return {"shape": list(array.shape), "values": [number(v) for v in array.reshape(-1)]}


def f32(x):
    return np.asarray(x, dtype="float32")


def rounded(shape, low=0.0, high=1.0):
    # Three decimals: the same float32 on both sides of the JSON.
    return f32(np.round(rng.uniform(low, high, shape), 3))


def plain(value):
    """Configs as JSON: arrays (AUC's label_weights) as lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        array = np.asarray(value)
        return float(array) if array.shape == () else [float(v) for v in array.reshape(-1)]
    return value


cases = []


def case(name, cls, kwargs, batches):
    metric = cls(**kwargs)
    results = []
    for y_true, y_pred, sw in batches:
        metric.update_state(y_true, y_pred, sample_weight=sw)
        results.append(values(keras.ops.convert_to_numpy(metric.result())))
    # Large states (AUC's 200 thresholds) by shape and sum: the results pin their values.
    variables = []
    for v in metric.variables:
        array = keras.ops.convert_to_numpy(v)
        if array.size <= 60:
            variables.append({"name": v.name, **values(array)})
        else:
            variables.append({"name": v.name, "shape": list(array.shape), "sum": float(array.sum(dtype="float64"))})
    config = metric.get_config()
    serialized = M.serialize(metric)
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
            "config": plain(config),
            "serialized": plain(serialized),
            "result_after_reset": after_reset,
        }
    )


# ---- a compiled .keras model (first: Keras uniquifies default metric names per session) ----------------------
os.makedirs(MODEL_DIR, exist_ok=True)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
model.set_weights([rng.uniform(-1, 1, (4, 3)).astype("float32"), rng.uniform(-0.2, 0.2, (3,)).astype("float32")])
model.compile(
    optimizer="sgd",
    loss="categorical_crossentropy",
    metrics=[
        M.AUC(),
        M.Precision(),
        M.Recall(class_id=1),
        "auc",
        M.AUC(curve="PR", name="pr_auc"),
        M.TopKCategoricalAccuracy(k=2),
        M.MeanIoU(num_classes=3, sparse_y_true=False, sparse_y_pred=False),
    ],
    weighted_metrics=[M.Precision(thresholds=[0.3, 0.6], name="wp")],
)
x = rng.standard_normal((9, 4)).astype("float32")
y = np.eye(3, dtype="float32")[[0, 1, 2, 2, 1, 0, 1, 1, 2]]
sw = f32([1, 2, 0, 1, 3, 1, 2, 0.5, 1])
logs = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
logs_weighted = model.evaluate(x, y, sample_weight=sw, batch_size=4, verbose=0, return_dict=True)
model.save(os.path.join(MODEL_DIR, "auc-precision-recall.keras"))
compiled = {
    "file": "keras-metrics-confusion/auc-precision-recall.keras",
    "x": values(x),
    "y": values(y),
    "sample_weight": values(sw),
    "evaluate_batch_size_4": {k: values(v) for k, v in logs.items()},
    "evaluate_weighted_batch_size_4": {k: values(v) for k, v in logs_weighted.items()},
    "compile_config": model.get_compile_config(),
    "metric_variables": [{"path": v.path, "shape": list(v.shape)} for v in model.metrics_variables],
}

# ---- data ----------------------------------------------------------------------------------------------------
n = 10
y_bin = f32(rng.randint(0, 2, (n, 1)))
p_bin = rounded((n, 1))
p_bin[0, 0], p_bin[1, 0], p_bin[2, 0], p_bin[3, 0] = 0.0, 0.5, 1.0, 0.25  # on the thresholds
w_bin = f32(np.round(rng.uniform(0, 2, (n,)), 2))
w_bin[4] = 0.0  # a masked entry
cuts = [(0, 3), (3, 3), (3, 8), (8, 10)]  # uneven, one empty


def batches(y, p, w=None):
    return [(y[a:b], p[a:b], None if w is None else w[a:b]) for a, b in cuts]


ones = np.ones((n, 1), "float32")
zeros = np.zeros((n, 1), "float32")
logits = f32(rng.choice([-50.0, 50.0, -2.0, 0.0, 3.0], (n, 1)))
y_mc = np.eye(3, dtype="float32")[rng.randint(0, 3, n)]
y_ml = f32(rng.randint(0, 2, (n, 3)))
p_mc = rounded((n, 3))
w_mc = f32(np.round(rng.uniform(0, 1, (n,)), 2))
y_flat = y_bin.reshape(-1)
p_flat = p_bin.reshape(-1)

# ---- AUC -----------------------------------------------------------------------------------------------------
for kwargs in [
    {},
    {"curve": "PR"},
    {"curve": "PR", "summation_method": "minoring"},
    {"curve": "PR", "summation_method": "majoring"},
    {"summation_method": "minoring"},
    {"summation_method": "majoring"},
    {"curve": "PRGAIN"},
    {"num_thresholds": 7},
    {"num_thresholds": 2},
    {"thresholds": [0.2, 0.5, 0.7]},
    {"thresholds": [0.75, 0.25, 0.5]},
]:
    case(f"AUC {kwargs} binary weighted", M.AUC, kwargs, batches(y_bin, p_bin, w_bin))
case("AUC default unweighted, rank-1 labels", M.AUC, {}, batches(y_flat, p_flat))
case("AUC all positive", M.AUC, {}, batches(ones, p_bin, w_bin))
case("AUC PR all negative", M.AUC, {"curve": "PR"}, batches(zeros, p_bin))
case("AUC from_logits +-50", M.AUC, {"from_logits": True}, batches(y_bin, logits, w_bin))
case("AUC PR from_logits +-50", M.AUC, {"from_logits": True, "curve": "PR"}, batches(y_bin, logits))
case("AUC without from_logits clips logits", M.AUC, {}, batches(y_bin, logits))
case("AUC 3 columns flattened", M.AUC, {}, batches(y_ml, p_mc, w_mc))
case("AUC label_weights", M.AUC, {"label_weights": [1.0, 2.0, 0.5]}, batches(y_ml, p_mc, w_mc))
case("AUC multi_label", M.AUC, {"multi_label": True}, batches(y_ml, p_mc, w_mc))
case(
    "AUC multi_label num_labels label_weights PR",
    M.AUC,
    {"multi_label": True, "num_labels": 3, "label_weights": [1.0, 2.0, 0.5], "curve": "PR"},
    batches(y_ml, p_mc),
)
case(
    "AUC multi_label thresholds",
    M.AUC,
    {"multi_label": True, "thresholds": [0.3, 0.6]},
    batches(y_ml, p_mc, w_mc),
)

# ---- Precision / Recall ----------------------------------------------------------------------------------------
for cls in (M.Precision, M.Recall):
    nm = cls.__name__
    case(f"{nm} default", cls, {}, batches(y_bin, p_bin, w_bin))
    case(f"{nm} thresholds", cls, {"thresholds": [0.3, 0.6]}, batches(y_bin, p_bin, w_bin))
    case(f"{nm} thresholds evenly", cls, {"thresholds": [0.0, 0.5, 1.0]}, batches(y_bin, p_bin))
    case(f"{nm} threshold 0.5 as a number", cls, {"thresholds": 0.5}, batches(y_flat, p_flat))
    case(f"{nm} all positive", cls, {}, batches(ones, p_bin))
    case(f"{nm} all negative", cls, {}, batches(zeros, p_bin, w_bin))
    case(f"{nm} top_k 2", cls, {"top_k": 2}, batches(y_mc, p_mc, w_mc))
    case(f"{nm} class_id 1", cls, {"class_id": 1}, batches(y_mc, p_mc, w_mc))
    case(f"{nm} top_k 1 class_id 2", cls, {"top_k": 1, "class_id": 2}, batches(y_mc, p_mc))
    case(f"{nm} multi-label thresholds", cls, {"thresholds": [0.2, 0.8]}, batches(y_ml, p_mc, w_mc))

# ---- at-constraint metrics -------------------------------------------------------------------------------------
case("PrecisionAtRecall 0.5", M.PrecisionAtRecall, {"recall": 0.5}, batches(y_bin, p_bin, w_bin))
case("PrecisionAtRecall 0.8 nt 7", M.PrecisionAtRecall, {"recall": 0.8, "num_thresholds": 7}, batches(y_bin, p_bin))
case("RecallAtPrecision 0.6", M.RecallAtPrecision, {"precision": 0.6}, batches(y_bin, p_bin, w_bin))
case("RecallAtPrecision 1.0 all negative", M.RecallAtPrecision, {"precision": 1.0}, batches(zeros, p_bin))
case("SensitivityAtSpecificity 0.5", M.SensitivityAtSpecificity, {"specificity": 0.5}, batches(y_bin, p_bin, w_bin))
case(
    "SensitivityAtSpecificity class_id 1",
    M.SensitivityAtSpecificity,
    {"specificity": 0.4, "class_id": 1, "num_thresholds": 50},
    batches(y_mc, p_mc, w_mc),
)
case("SpecificityAtSensitivity 0.7", M.SpecificityAtSensitivity, {"sensitivity": 0.7}, batches(y_bin, p_bin, w_bin))
case(
    "SpecificityAtSensitivity num_thresholds 1",
    M.SpecificityAtSensitivity,
    {"sensitivity": 0.3, "num_thresholds": 1},
    batches(y_bin, p_bin),
)

# ---- counts ---------------------------------------------------------------------------------------------------
for cls in (M.TruePositives, M.TrueNegatives, M.FalsePositives, M.FalseNegatives):
    nm = cls.__name__
    case(f"{nm} default", cls, {}, batches(y_bin, p_bin, w_bin))
    case(f"{nm} thresholds", cls, {"thresholds": [0.15, 0.5, 0.85]}, batches(y_ml, p_mc, w_mc))
    case(f"{nm} thresholds evenly", cls, {"thresholds": [0.0, 0.5, 1.0]}, batches(y_bin, p_bin, w_bin))

# ---- F-scores -------------------------------------------------------------------------------------------------
for average in (None, "micro", "macro", "weighted"):
    case(f"F1Score average={average}", M.F1Score, {"average": average}, batches(y_mc, p_mc, w_mc))
    case(
        f"F1Score average={average} threshold 0.4",
        M.F1Score,
        {"average": average, "threshold": 0.4},
        batches(y_ml, p_mc),
    )
case("FBetaScore beta 2 macro", M.FBetaScore, {"beta": 2.0, "average": "macro"}, batches(y_ml, p_mc, w_mc))
case("FBetaScore beta 0.5 none thr 0.5", M.FBetaScore, {"beta": 0.5, "threshold": 0.5}, batches(y_mc, p_mc))
case("F1Score all zero labels", M.F1Score, {"average": "macro"}, batches(np.zeros_like(y_mc), p_mc))

# ---- errors ---------------------------------------------------------------------------------------------------
errors = []


def error(name, make):
    try:
        make()
    except Exception as e:  # noqa: BLE001
        errors.append({"name": name, "type": type(e).__name__, "message": str(e)})
        return
    raise AssertionError(f"{name}: Keras raised nothing")


error("Precision thresholds out of range", lambda: M.Precision(thresholds=[0.5, 1.5]))
error("Recall negative threshold", lambda: M.Recall(thresholds=-0.1))
error("TruePositives threshold out of range", lambda: M.TruePositives(thresholds=[2.0]))
error("AUC num_labels without multi_label", lambda: M.AUC(num_labels=3))
error("AUC num_thresholds 1", lambda: M.AUC(num_thresholds=1))
error("AUC curve", lambda: M.AUC(curve="XY"))
error("AUC summation_method", lambda: M.AUC(summation_method="trapezoid"))
error("PrecisionAtRecall recall 1.5", lambda: M.PrecisionAtRecall(recall=1.5))
error("SensitivityAtSpecificity num_thresholds 0", lambda: M.SensitivityAtSpecificity(0.5, num_thresholds=0))
error("F1Score average", lambda: M.F1Score(average="samples"))
error("FBetaScore beta 0", lambda: M.FBetaScore(beta=0.0))
error("F1Score threshold 0", lambda: M.F1Score(threshold=0.0))


def rank1_f1():
    M.F1Score().update_state(f32([1, 0]), f32([0.3, 0.7]))


error("F1Score rank 1", rank1_f1)


def class_id_rank1():
    M.Precision(class_id=0).update_state(f32([1, 0]), f32([0.3, 0.7]))


error("Precision class_id on rank 1", class_id_rank1)

meta = {"keras": keras.__version__, "backend": keras.backend.backend(), "epsilon": keras.backend.epsilon()}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases, "errors": errors, "compiled": plain(compiled)}, f, separators=(",", ":"))
print(f"{len(cases)} cases, {len(errors)} errors -> {OUT}")
