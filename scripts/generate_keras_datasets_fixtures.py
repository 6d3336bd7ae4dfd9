"""Generates test/fixtures/datasets/: small synthetic files in the exact formats
Keras's keras.datasets loaders read (mnist.npz, the fashion-mnist gzipped idx
files, the CIFAR-10/100 python tarballs of pickled batches, imdb.npz and
reuters.npz of pickled object arrays, boston_housing.npz and
california_housing.npz), and expected.json: what real Keras's load_data()
returns for each of them (get_file pointed at the local file), for several
argument sets, with each file's sha256.

test/datasets.test.ts serves these files from a local HTTP server and checks
datasets.<name>.loadData() against expected.json.

Python Keras is not a project dependency; CI reads the committed files.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_datasets_fixtures.py
"""

import gzip
import hashlib
import io
import json
import os
import pickle
import struct
import tarfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
from keras.src.datasets import (  # noqa: E402
    boston_housing,
    california_housing,
    cifar,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

HERE = os.path.dirname(__file__)
FOLDER = os.path.join(HERE, "..", "test", "fixtures", "datasets")
os.makedirs(FOLDER, exist_ok=True)
rng = np.random.default_rng(20261208)


def path(name):
    return os.path.join(FOLDER, name)


def sha256(name):
    with open(path(name), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def array(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": str(a.dtype), "values": a.reshape(-1).tolist()}


def seqs(xs):
    return [list(map(int, x)) for x in xs]


def fixed_gzip(name, raw):
    # mtime=0 so that the bytes (and their hash) do not change between runs.
    with open(path(name), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(raw)


def patched(module, name):
    # load_data() reads our file instead of downloading Keras's.
    def get_file(*args, **kwargs):
        return path(name)

    module.get_file = get_file


expected = {}

# mnist: 3 training and 2 test digits.
x_train = rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)
x_test = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)
np.savez_compressed(
    path("mnist.npz"),
    x_train=x_train,
    y_train=np.array([5, 0, 4], np.uint8),
    x_test=x_test,
    y_test=np.array([7, 2], np.uint8),
)
patched(mnist, "mnist.npz")
(a, b), (c, d) = mnist.load_data()
expected["mnist"] = {"sha256": sha256("mnist.npz"), "splits": [[array(a), array(b)], [array(c), array(d)]]}

# fashion_mnist: the idx headers (magic, counts, rows, cols) and the bytes.
def idx_labels(labels):
    return np.array([2049, len(labels)], ">i4").tobytes() + np.asarray(labels, np.uint8).tobytes()


def idx_images(images):
    n = images.shape[0]
    return np.array([2051, n, 28, 28], ">i4").tobytes() + images.tobytes()


fx_train = rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)
fx_test = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)
fixed_gzip("train-labels-idx1-ubyte.gz", idx_labels([9, 0, 3]))
fixed_gzip("train-images-idx3-ubyte.gz", idx_images(fx_train))
fixed_gzip("t10k-labels-idx1-ubyte.gz", idx_labels([1, 8]))
fixed_gzip("t10k-images-idx3-ubyte.gz", idx_images(fx_test))
fashion_paths = iter(
    [path(n) for n in ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]]
)
fashion_mnist.get_file = lambda *a, **k: next(fashion_paths)
(a, b), (c, d) = fashion_mnist.load_data()
expected["fashionMnist"] = {"splits": [[array(a), array(b)], [array(c), array(d)]]}


# CIFAR: pickled dicts of byte-string keys, as the Toronto files hold them.
def tar_gz(name, members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for member_name, data in members:
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    fixed_gzip(name, buffer.getvalue())


class Py2Pickler(pickle._Pickler):
    """Protocol 2 as Python 2's cPickle wrote the Toronto files: byte strings
    as (SHORT_)BINSTRING, not Python 3's `_codecs.encode` calls (which
    Keras's restricted unpickler refuses)."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_bytes(self, obj):
        n = len(obj)
        if n < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", n) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_bytes


def cifar_batch(n, label_keys, protocol):
    d = {b"batch_label": b"synthetic", b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8)}
    for key, classes in label_keys:
        d[key] = [int(v) for v in rng.integers(0, classes, n)]
    if protocol == 2:
        buffer = io.BytesIO()
        Py2Pickler(buffer, protocol=2).dump(d)
        return buffer.getvalue()
    return pickle.dumps(d, protocol=protocol)


c10 = [(f"cifar-10-batches-py/data_batch_{i}", cifar_batch(2, [(b"labels", 10)], 2 + i % 3)) for i in range(1, 6)]
c10.append(("cifar-10-batches-py/test_batch", cifar_batch(2, [(b"labels", 10)], 4)))
tar_gz("cifar-10-python.tar.gz", c10)
# Keras's cifar10.load_data fills 10,000 rows per batch; these batches have 2,
# so its steps are followed here with Keras's own load_batch.
xs, ys = [], []
members = dict(c10)
tmp = path("_batch")
for i in range(1, 6):
    with open(tmp, "wb") as f:
        f.write(members[f"cifar-10-batches-py/data_batch_{i}"])
    x, y = cifar.load_batch(tmp)
    xs.append(x)
    ys.append(np.asarray(y, np.uint8))
with open(tmp, "wb") as f:
    f.write(members["cifar-10-batches-py/test_batch"])
xt, yt = cifar.load_batch(tmp)
os.remove(tmp)
x_train = np.concatenate(xs).transpose(0, 2, 3, 1)
y_train = np.concatenate(ys).reshape(-1, 1)
x_test = xt.transpose(0, 2, 3, 1).astype(np.uint8)
y_test = np.asarray(yt).reshape(-1, 1).astype(np.uint8)
expected["cifar10"] = {
    "sha256": sha256("cifar-10-python.tar.gz"),
    "splits": [[array(x_train), array(y_train)], [array(x_test), array(y_test)]],
}

c100 = [
    ("cifar-100-python/train", cifar_batch(3, [(b"fine_labels", 100), (b"coarse_labels", 20)], 2)),
    ("cifar-100-python/test", cifar_batch(2, [(b"fine_labels", 100), (b"coarse_labels", 20)], 3)),
]
tar_gz("cifar-100-python.tar.gz", c100)
extracted = path("_cifar100")
with tarfile.open(path("cifar-100-python.tar.gz")) as tar:
    tar.extractall(extracted)
cifar100.get_file = lambda *a, **k: extracted
expected["cifar100"] = {"sha256": sha256("cifar-100-python.tar.gz")}
for mode in ["fine", "coarse"]:
    (a, b), (c, d) = cifar100.load_data(label_mode=mode)
    expected["cifar100"][mode] = [[array(a), array(b)], [array(c), array(d)]]
for root, dirs, files in os.walk(extracted, topdown=False):
    for f in files:
        os.remove(os.path.join(root, f))
    for d in dirs:
        os.rmdir(os.path.join(root, d))
os.rmdir(extracted)


# imdb and reuters: object arrays of lists of word indices (np.save pickles them).
def sequences(n, low=1, high=40):
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = [int(w) for w in rng.integers(low, high, rng.integers(3, 12))]
    return out


np.savez(
    path("imdb.npz"),
    x_train=sequences(9),
    y_train=rng.integers(0, 2, 9).astype(np.int64),
    x_test=sequences(7),
    y_test=rng.integers(0, 2, 7).astype(np.int64),
)
patched(imdb, "imdb.npz")
SEQ_CASES = [
    {},
    {"num_words": 20, "skip_top": 5},
    {"maxlen": 10, "seed": 7},
    {"start_char": None, "oov_char": None, "num_words": 25, "index_from": 0},
    {"start_char": None, "index_from": 2},
]


def camel(kwargs):
    parts = {"num_words": "numWords", "skip_top": "skipTop", "start_char": "startChar", "oov_char": "oovChar", "index_from": "indexFrom", "test_split": "testSplit"}
    return {parts.get(k, k): v for k, v in kwargs.items()}


expected["imdb"] = {"sha256": sha256("imdb.npz"), "cases": []}
for kwargs in SEQ_CASES:
    (a, b), (c, d) = imdb.load_data(**kwargs)
    expected["imdb"]["cases"].append(
        {"options": camel(kwargs), "splits": [[seqs(a), array(b)], [seqs(c), array(d)]]}
    )

np.savez(path("reuters.npz"), x=sequences(12), y=rng.integers(0, 46, 12).astype(np.int64))
patched(reuters, "reuters.npz")
expected["reuters"] = {"sha256": sha256("reuters.npz"), "cases": []}
for kwargs in SEQ_CASES + [{"test_split": 0.5, "seed": 1}, {"test_split": 0.0}]:
    (a, b), (c, d) = reuters.load_data(**kwargs)
    expected["reuters"]["cases"].append(
        {"options": camel(kwargs), "splits": [[seqs(a), array(b)], [seqs(c), array(d)]]}
    )

# The housing sets: float64 (boston) and float32 (california) tables.
np.savez(path("boston_housing.npz"), x=rng.normal(size=(11, 13)), y=rng.normal(size=11) * 10 + 20)
patched(boston_housing, "boston_housing.npz")
expected["bostonHousing"] = {"sha256": sha256("boston_housing.npz"), "cases": []}
for kwargs in [{}, {"test_split": 0.5, "seed": 3}, {"test_split": 0.0}]:
    (a, b), (c, d) = boston_housing.load_data(**kwargs)
    expected["bostonHousing"]["cases"].append(
        {"options": camel(kwargs), "splits": [[array(a), array(b)], [array(c), array(d)]]}
    )

# 603 rows so that version="small" (the first 600) differs from "large".
np.savez(
    path("california_housing.npz"),
    x=rng.normal(size=(603, 8)).astype(np.float32),
    y=(rng.random(603) * 5e5).astype(np.float32),
)
patched(california_housing, "california_housing.npz")
expected["californiaHousing"] = {"sha256": sha256("california_housing.npz"), "cases": []}
for kwargs in [{"version": "small"}, {"version": "large", "test_split": 0.25, "seed": 9}]:
    (a, b), (c, d) = california_housing.load_data(**kwargs)
    # Only the first rows are kept here: the test compares shapes, dtypes and these.
    splits = [[array(a[:3]), array(b[:3])], [array(c[:3]), array(d[:3])]]
    shapes = [[list(a.shape), list(b.shape)], [list(c.shape), list(d.shape)]]
    expected["californiaHousing"]["cases"].append({"options": camel(kwargs), "first": splits, "shapes": shapes})

with open(path("expected.json"), "w") as f:
    json.dump(expected, f, separators=(",", ":"))
print("wrote", FOLDER)
