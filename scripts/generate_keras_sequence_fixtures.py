"""Generates test/fixtures/keras-sequence.json and test/fixtures/keras-sequence/*.keras by running real Keras 3.

Embedding, Masking, the recurrent cells and layers (SimpleRNN, LSTM, GRU, RNN),
Bidirectional and TimeDistributed: for each case, Keras's JSON, the inputs
(with a mask and initial states where the case has them), the weights Keras
drew, every output, `layer.losses`, the output mask Keras attached, and
compute_output_shape for an unknown batch axis. `model` cases are small
Functional models (masks carried from layer to layer) as Keras JSON with
their weights and predictions. The `.keras` files are classifiers
(Embedding with mask_zero + LSTM / Bidirectional GRU) saved untrained with
an SGD compile config; `keras_files` holds their predictions, evaluate() and
one train_on_batch step (loss and weights after it).

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_sequence_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "test", "fixtures", "keras-sequence.json")
FILES = os.path.join(HERE, "..", "test", "fixtures", "keras-sequence")
rng = np.random.default_rng(20260601)
keras.utils.set_random_seed(20260601)
L = keras.layers
R = keras.regularizers


def tensor(array, dtype="float32"):
    a = np.asarray(array)
    values = [int(v) for v in a.reshape(-1)] if dtype != "float32" else [float(v) for v in a.astype(np.float32).reshape(-1)]
    return {"shape": list(a.shape), "dtype": dtype, "values": values}


def mask_json(mask):
    if mask is None:
        return None
    m = np.asarray(keras.ops.convert_to_numpy(mask)).astype(bool)
    return {"shape": list(m.shape), "values": [bool(v) for v in m.reshape(-1)]}


def shape_list(shape):
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [list(s) for s in shape]
    return list(shape)


def outputs_of(y):
    ys = list(y) if isinstance(y, (list, tuple)) else [y]
    return ys


def layer_case(name, layer, x, mask=None, initial_state=None, dtype="float32"):
    kwargs = {}
    if mask is not None:
        kwargs["mask"] = mask
    if initial_state is not None:
        kwargs["initial_state"] = initial_state
    y = layer(x, **kwargs)
    ys = outputs_of(y)
    losses = [float(keras.ops.convert_to_numpy(loss)) for loss in layer.losses]
    json_form = keras.saving.serialize_keras_object(layer)
    build_config = json_form.pop("build_config", None)
    symbolic = (None, *x.shape[1:])
    masks = [mask_json(getattr(t, "_keras_mask", None)) for t in ys]
    if isinstance(layer, (L.Embedding, L.Masking)) or layer.supports_masking:
        computed = layer.compute_mask(x, mask)
        computed = computed if isinstance(computed, (list, tuple)) else [computed]
        masks = [mask_json(m) for m in computed]
    return {
        "name": name,
        "kind": "layer",
        "class_name": layer.__class__.__name__,
        "json": json_form,
        "build_config": build_config,
        "input": tensor(x, dtype),
        "mask": mask_json(mask),
        "initial_state": None if initial_state is None else [tensor(s) for s in initial_state],
        "weights": [tensor(w) for w in layer.get_weights()],
        "weight_paths": [w.path for w in layer.weights],
        "outputs": [tensor(keras.ops.convert_to_numpy(t)) for t in ys],
        "output_masks": masks,
        "expected_losses": losses,
        "symbolic_output_shape": shape_list(layer.compute_output_shape(symbolic)),
    }


def seq(batch, steps, features):
    return rng.standard_normal((batch, steps, features)).astype(np.float32)


MASK_25 = np.array([[True, True, True, False, False], [True, False, True, True, False]])
MASK_LEAD = np.array([[False, False, True, True, True], [True, True, True, True, True]])
IDS = np.array([[3, 1, 4, 1, 0, 0], [5, 9, 2, 6, 5, 0]], dtype=np.int32)

cases = []


def add(case):
    cases.append(case)


# Embedding
add(layer_case(
    "Embedding with embeddings L2(0.1) and activity L1(0.01), repeated ids",
    L.Embedding(10, 3, embeddings_regularizer=R.L2(0.1), activity_regularizer=R.L1(0.01), name="emb"),
    IDS, dtype="int32"))
add(layer_case("Embedding mask_zero, rank-3 ids", L.Embedding(7, 2, mask_zero=True, name="emb_mask"),
               np.array([[[1, 0], [2, 3]], [[0, 0], [6, 1]]], dtype=np.int32), dtype="int32"))
# Masking
xm = seq(2, 5, 3)
xm[0, 1, :] = 0
xm[1, 3:, :] = 0
xm[1, 0, 1] = 0
add(layer_case("Masking mask_value=0", L.Masking(name="masking"), xm))
xm2 = seq(2, 4, 2)
xm2[0, 2, :] = -1
add(layer_case("Masking mask_value=-1", L.Masking(mask_value=-1.0, name="masking_m1"), xm2))

regs = dict(kernel_regularizer=R.L2(0.01), recurrent_regularizer=R.L1(0.02), bias_regularizer=R.L2(0.03),
            activity_regularizer=R.L2(0.1))
x253 = seq(2, 5, 3)
# SimpleRNN
add(layer_case("SimpleRNN every regularizer", L.SimpleRNN(4, **regs, name="srnn"), x253))
add(layer_case("SimpleRNN relu, return_sequences+state, go_backwards, mask",
               L.SimpleRNN(3, activation="relu", return_sequences=True, return_state=True, go_backwards=True,
                           name="srnn_b"), x253, mask=MASK_25))
add(layer_case("SimpleRNN orthogonal-regularized recurrent kernel, initial state",
               L.SimpleRNN(3, recurrent_regularizer=R.OrthogonalRegularizer(0.1), name="srnn_o"), x253,
               initial_state=[rng.standard_normal((2, 3)).astype(np.float32)]))
# LSTM
add(layer_case("LSTM every regularizer", L.LSTM(4, **regs, name="lstm"), x253))
h0, c0 = rng.standard_normal((2, 3)).astype(np.float32), rng.standard_normal((2, 3)).astype(np.float32)
add(layer_case("LSTM return_sequences+state, mask, initial state",
               L.LSTM(3, return_sequences=True, return_state=True, name="lstm_rs"), x253, mask=MASK_25,
               initial_state=[h0, c0]))
add(layer_case("LSTM go_backwards, return_sequences, mask with leading gaps",
               L.LSTM(3, go_backwards=True, return_sequences=True, name="lstm_back"), x253, mask=MASK_LEAD))
add(layer_case("LSTM relu, hard_sigmoid, no unit_forget_bias, no bias",
               L.LSTM(3, activation="relu", recurrent_activation="hard_sigmoid", unit_forget_bias=False,
                      use_bias=False, return_sequences=True, name="lstm_relu"), x253))
add(layer_case("LSTM return_state, go_backwards, mask, initial state",
               L.LSTM(2, return_state=True, go_backwards=True, name="lstm_state_back"), x253, mask=MASK_LEAD,
               initial_state=[h0[:, :2], c0[:, :2]]))
# GRU
add(layer_case("GRU every regularizer", L.GRU(4, **regs, name="gru"), x253))
add(layer_case("GRU reset_after=False, return_sequences, mask",
               L.GRU(3, reset_after=False, return_sequences=True, name="gru_before"), x253, mask=MASK_25))
add(layer_case("GRU return_state, go_backwards, initial state",
               L.GRU(3, return_state=True, go_backwards=True, return_sequences=True, name="gru_back"), x253,
               initial_state=[h0]))
add(layer_case("GRU no bias, softsign", L.GRU(3, use_bias=False, activation="softsign", name="gru_nobias"), x253))
add(layer_case("GRU reset_after=False, bias L1, go_backwards",
               L.GRU(2, reset_after=False, go_backwards=True, bias_regularizer=R.L1(0.5), name="gru_before_back"),
               x253, mask=MASK_LEAD))
# RNN
add(layer_case("RNN(LSTMCell) return_sequences, cell regularizers",
               L.RNN(L.LSTMCell(3, kernel_regularizer=R.L2(0.05), recurrent_regularizer=R.L2(0.05)),
                     return_sequences=True, name="rnn_lstm"), x253, mask=MASK_25))
add(layer_case("RNN(GRUCell) return_state", L.RNN(L.GRUCell(2), return_state=True, name="rnn_gru"), x253))
add(layer_case("RNN(SimpleRNNCell) go_backwards", L.RNN(L.SimpleRNNCell(3), go_backwards=True, name="rnn_simple"),
               x253))
add(layer_case("RNN zero_output_for_mask", L.RNN(L.GRUCell(2), return_sequences=True, zero_output_for_mask=True,
                                                  name="rnn_zero"), x253, mask=MASK_25))
# Bidirectional
for mode in ["concat", "sum", "mul", "ave", None]:
    add(layer_case(f"Bidirectional LSTM return_sequences merge_mode={mode}, mask",
                   L.Bidirectional(L.LSTM(3, return_sequences=True, kernel_regularizer=R.L2(0.01)), merge_mode=mode,
                                   name=f"bidi_{mode}"), x253, mask=MASK_25))
add(layer_case("Bidirectional GRU last output, return_state",
               L.Bidirectional(L.GRU(2, return_state=True), name="bidi_gru_state"), x253, mask=MASK_LEAD))
add(layer_case("Bidirectional SimpleRNN with a backward_layer, activity L2",
               L.Bidirectional(L.SimpleRNN(2), backward_layer=L.SimpleRNN(2, go_backwards=True, name="back_srnn"),
                               activity_regularizer=R.L2(0.2), name="bidi_backward"), x253))
# TimeDistributed
add(layer_case("TimeDistributed Dense with kernel L2, activity L1",
               L.TimeDistributed(L.Dense(3, kernel_regularizer=R.L2(0.1), activity_regularizer=R.L2(5.0)),
                                 activity_regularizer=R.L1(0.01), name="td"), seq(2, 4, 5)))
add(layer_case("TimeDistributed Dense keeps the mask", L.TimeDistributed(L.Dense(2), name="td_mask"), x253,
               mask=MASK_25))
add(layer_case("TimeDistributed Conv1D", L.TimeDistributed(L.Conv1D(2, 2), name="td_conv"),
               rng.standard_normal((2, 3, 4, 2)).astype(np.float32)))

# Models: masks carried from layer to layer.
model_cases = []


def model_case(name, model, x, dtype):
    y = model.predict(x, verbose=0)
    model(x)
    model_cases.append({
        "name": name,
        "kind": "model",
        "json": json.loads(model.to_json()),
        "input": tensor(x, dtype),
        "weights": [tensor(w) for w in model.get_weights()],
        "output": tensor(y),
        "expected_losses": [float(keras.ops.convert_to_numpy(v)) for v in model.losses],
    })


ids_in = keras.Input((6,), dtype="int32")
h = L.Embedding(10, 4, mask_zero=True, embeddings_regularizer=R.L2(0.01))(ids_in)
h = L.LSTM(3, return_sequences=True, kernel_regularizer=R.L2(0.01))(h)
h = L.GRU(2)(h)
model_case("Embedding mask_zero -> LSTM(return_sequences) -> GRU",
           keras.Model(ids_in, L.Dense(2, activation="softmax")(h)), IDS, "int32")
x_in = keras.Input((5, 3))
h = L.Masking()(x_in)
h = L.Bidirectional(L.GRU(2, return_sequences=True))(h)
h = L.TimeDistributed(L.Dense(1))(h)
xs = seq(2, 5, 3)
xs[0, 3:, :] = 0
xs[1, 0, :] = 0
model_case("Masking -> Bidirectional GRU -> TimeDistributed Dense", keras.Model(x_in, h), xs, "float32")
ids_in = keras.Input((6,), dtype="int32")
h = L.Embedding(10, 3, mask_zero=True)(ids_in)
h = L.Dense(4, activation="tanh")(h)
h = L.SimpleRNN(2, go_backwards=True)(h)
model_case("Embedding mask_zero -> Dense (passes the mask) -> SimpleRNN go_backwards", keras.Model(ids_in, h), IDS,
           "int32")

# .keras classifiers, saved untrained, compiled with SGD.
os.makedirs(FILES, exist_ok=True)
keras_files = {}
x_ids = np.array([[4, 7, 1, 0, 0, 0, 0, 0], [2, 2, 9, 11, 3, 0, 0, 0], [1, 5, 8, 13, 2, 6, 14, 3],
                  [7, 0, 0, 0, 0, 0, 0, 0], [12, 3, 3, 3, 10, 1, 0, 0], [6, 9, 4, 0, 0, 0, 0, 0]], dtype=np.int32)
y_cls = np.array([0, 1, 2, 1, 0, 2], dtype=np.int32)


def classifier(name, layers):
    model = keras.Sequential([keras.Input((8,), dtype="int32"), *layers], name=name)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy")
    path = os.path.join(FILES, f"{name}.keras")
    model.save(path)
    prediction = model.predict(x_ids, verbose=0)
    evaluated = model.evaluate(x_ids, y_cls, verbose=0, return_dict=True)
    losses = [float(keras.ops.convert_to_numpy(v)) for v in model.losses]
    step = model.train_on_batch(x_ids, y_cls, return_dict=True)
    keras_files[name] = {
        "input": tensor(x_ids, "int32"),
        "targets": tensor(y_cls, "int32"),
        "prediction": tensor(prediction),
        "evaluate": {k: float(v) for k, v in evaluated.items()},
        "losses": losses,
        "train_on_batch": {k: float(v) for k, v in step.items()},
        "weights_after": [tensor(w) for w in model.get_weights()],
    }


classifier("embedding_lstm", [
    L.Embedding(16, 4, mask_zero=True, embeddings_regularizer=R.L2(1e-2)),
    L.LSTM(5, kernel_regularizer=R.L2(1e-2), recurrent_regularizer=R.L2(1e-2)),
    L.Dense(3, activation="softmax"),
])
classifier("embedding_bigru", [
    L.Embedding(16, 3, mask_zero=True),
    L.Bidirectional(L.GRU(3, recurrent_regularizer=R.L1(1e-2)), merge_mode="sum"),
    L.Dense(3, activation="softmax", kernel_regularizer=R.L2(1e-2)),
])

with open(OUT, "w") as f:
    json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(),
               "cases": cases + model_cases, "keras_files": keras_files}, f, indent=1)
print(f"wrote {len(cases)} layer cases, {len(model_cases)} model cases, {len(keras_files)} .keras files")
