"""Generates test/fixtures/keras-text-audio.json and test/fixtures/keras-text-audio/*.keras with real Keras 3.

The audio layers (STFTSpectrogram, MelSpectrogram) run without TensorFlow:

- 'stft' cases: an STFTSpectrogram's Keras JSON, its input, Keras's output
  and its two kernels (Keras's STFT initializer: DFT rows times the window
  over its scaling), for every mode, both paddings and data formats,
  expand_dims, several windows, scalings and periodic windows.
- 'mel' cases: a MelSpectrogram's Keras JSON, input and output (Keras's
  backend stft with center=True and reflect padding, the HTK mel matrix,
  the dB scale with its top_db over the whole batch).
- 'errors': Keras's own error texts for bad arguments.
- test/fixtures/keras-text-audio/stft_dense.keras and mel_dense.keras:
  each layer in front of Flatten and Dense, with Keras's predictions;
  stft_train.keras: a trainable STFTSpectrogram before Dense, with 2 SGD
  steps' losses and weights.

TextVectorization and HashedCrossing need TensorFlow in Keras 3.15.1 (their
constructors raise ImportError without it), and the environment that makes
these fixtures has none (TensorFlow is not served by its package index), so
their tests work from Keras's source, Keras's docstring examples and cases
worked by hand.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_text_audio_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
OUT = os.path.join(ROOT, "keras-text-audio.json")
MODELS = os.path.join(ROOT, "keras-text-audio")
rng = np.random.default_rng(20261208)
L = keras.layers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float64).reshape(-1)]


def values(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "values": floats(array)}


def serialize(layer):
    return json.loads(json.dumps(keras.saving.serialize_keras_object(layer), default=list))


def stft_case(name, x, **kwargs):
    layer = L.STFTSpectrogram(**kwargs)
    y = layer(x)
    return {
        "name": name,
        "json": serialize(layer),
        "input": values(x),
        "output": values(y),
        # Kernels of the small cases only (the 256-sample default's are 66k numbers).
        "weights": {w.path.split("/")[-1]: values(w) for w in layer.weights if np.prod(w.shape) <= 400},
    }


def mel_case(name, x, **kwargs):
    layer = L.MelSpectrogram(**kwargs)
    y = layer(x)
    return {"name": name, "json": serialize(layer), "input": values(x), "output": values(y)}


def signal(*shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


stft = []
x1 = signal(2, 24, 1)
for mode in ["log", "magnitude", "psd", "real", "imag", "angle", "stft"]:
    stft.append(stft_case(f"mode_{mode}", x1, mode=mode, frame_length=8, frame_step=4, fft_length=16))
x2 = signal(2, 20, 2)
stft.append(stft_case("same_two_channels", x2, mode="magnitude", frame_length=6, frame_step=3, padding="same"))
stft.append(stft_case("expand_dims_last", x2, mode="real", frame_length=8, frame_step=4, expand_dims=True))
x3 = np.transpose(x2, (0, 2, 1)).copy()
stft.append(stft_case("channels_first", x3, mode="magnitude", frame_length=8, frame_step=3, data_format="channels_first"))
stft.append(
    stft_case(
        "channels_first_expand", x3, mode="stft", frame_length=8, frame_step=4, data_format="channels_first", expand_dims=True
    )
)
stft.append(stft_case("hamming_spectrum", x1, mode="magnitude", frame_length=8, window="hamming", scaling="spectrum"))
stft.append(stft_case("no_window_no_scaling", x1, mode="real", frame_length=8, frame_step=5, window=None, scaling=None))
stft.append(stft_case("periodic_hann", x1, mode="psd", frame_length=8, frame_step=2, periodic=True))
stft.append(stft_case("blackman", x1, mode="magnitude", frame_length=7, frame_step=3, window="blackman"))
stft.append(stft_case("bartlett_boxcar", x1, mode="imag", frame_length=5, window="bartlett", fft_length=8))
stft.append(stft_case("boxcar", x1, mode="log", frame_length=8, window="boxcar", scaling="spectrum"))
stft.append(stft_case("defaults_256", signal(1, 300, 1)))

mel = []
m1 = signal(2, 40)
mel.append(mel_case("small_db", m1, fft_length=16, sequence_stride=4, num_mel_bins=5, sampling_rate=800))
mel.append(
    mel_case("no_db_mag1", m1, fft_length=16, sequence_stride=5, num_mel_bins=4, sampling_rate=1000, power_to_db=False, mag_exp=1.0)
)
mel.append(
    mel_case(
        "hamming_short_window",
        m1,
        fft_length=16,
        sequence_length=10,
        sequence_stride=3,
        window="hamming",
        num_mel_bins=6,
        sampling_rate=2000,
        min_freq=50.0,
        max_freq=900.0,
    )
)
mel.append(mel_case("top_db_ref", m1, fft_length=8, sequence_stride=2, num_mel_bins=3, sampling_rate=400, top_db=20.0, ref_power=0.5))
mel.append(mel_case("one_signal", signal(33), fft_length=16, sequence_stride=4, num_mel_bins=5, sampling_rate=800))
mel.append(mel_case("no_window", m1, fft_length=16, sequence_stride=8, window=None, num_mel_bins=5, sampling_rate=800, min_power=1e-4))


def error_text(make):
    try:
        make()
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    return None


errors = {
    "stft_frame_step": error_text(lambda: L.STFTSpectrogram(frame_length=8, frame_step=9)),
    "stft_fft_length": error_text(lambda: L.STFTSpectrogram(frame_length=8, fft_length=4)),
    "stft_mode": error_text(lambda: L.STFTSpectrogram(mode="power")),
    "stft_scaling": error_text(lambda: L.STFTSpectrogram(scaling="l2")),
    "stft_padding": error_text(lambda: L.STFTSpectrogram(padding="causal")),
    "stft_int_input": error_text(lambda: L.STFTSpectrogram(frame_length=4)(np.ones((1, 8, 1), dtype="int32"))),
    "mel_fft_length": error_text(lambda: L.MelSpectrogram(fft_length=8, sequence_length=16)),
}

# Models: each audio layer in front of Flatten and Dense, saved by Keras.
os.makedirs(MODELS, exist_ok=True)
keras.utils.set_random_seed(3)
models = {}
stft_model = keras.Sequential(
    [
        keras.Input((20, 2)),
        L.STFTSpectrogram(mode="log", frame_length=8, frame_step=4, fft_length=8, trainable=False),
        L.Flatten(),
        L.Dense(3),
    ]
)
mel_model = keras.Sequential(
    [
        keras.Input((40,)),
        L.MelSpectrogram(fft_length=16, sequence_stride=4, num_mel_bins=5, sampling_rate=800),
        L.Flatten(),
        L.Dense(2),
    ]
)
for name, model, x in [("stft_dense", stft_model, signal(3, 20, 2)), ("mel_dense", mel_model, signal(3, 40))]:
    model.save(os.path.join(MODELS, f"{name}.keras"))
    models[name] = {
        "input": values(x),
        "output": values(model.predict(x, verbose=0)),
        "weight_paths": [w.path for w in model.weights],
        "trainable": [w.trainable for w in model.weights],
    }

# A trainable STFT (Keras's default) in front of Dense: 2 SGD steps' losses and weights.
keras.utils.set_random_seed(4)
train_model = keras.Sequential(
    [
        keras.Input((16, 1)),
        L.STFTSpectrogram(mode="magnitude", frame_length=8, frame_step=4),
        L.Flatten(),
        L.Dense(1),
    ]
)
train_model.save(os.path.join(MODELS, "stft_train.keras"))
tx, ty = signal(4, 16, 1), signal(4, 1)
train_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
losses = [float(train_model.train_on_batch(tx, ty)) for _ in range(2)]
models["stft_train"] = {
    "input": values(tx),
    "target": values(ty),
    "losses": losses,
    "weights_after": [values(w) for w in train_model.weights],
    "weight_paths": [w.path for w in train_model.weights],
}

with open(OUT, "w") as f:
    json.dump({"keras_version": keras.__version__, "stft": stft, "mel": mel, "errors": errors, "models": models}, f)
    f.write("\n")
print(f"wrote {len(stft)} stft, {len(mel)} mel cases, {len(models)} models to {OUT}")
