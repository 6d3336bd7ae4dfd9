"""Writes test/fixtures/hostile/*.h5: model.weights.h5 files that a loader must refuse.

Each is the weights file of the model the hostile-files tests build,
Sequential([Input(shape=[3]), Dense(2)]), so `layers/dense/vars/0` (the kernel,
shape [3, 2]) and `layers/dense/vars/1` (the bias, [2]), except that the kernel
is replaced by something hostile. h5wasm cannot write most of these (external
storage, virtual datasets), hence h5py.

    apt-get install python3-h5py   # or: pip install h5py
    python3 scripts/generate_hostile_fixtures.py
"""

import os

import h5py
import numpy as np

FOLDER = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "hostile")
KERNEL = np.arange(6, dtype="float32").reshape(3, 2) / 10
BIAS = np.array([0.5, -0.5], dtype="float32")


def weights_file(name, kernel):
    """A Keras-layout weights file whose kernel is made by `kernel(vars_group)`."""
    path = os.path.join(FOLDER, name)
    with h5py.File(path, "w") as f:
        vars_ = f.create_group("layers").create_group("dense").create_group("vars")
        vars_.attrs["name"] = "dense"
        kernel(vars_)
        vars_.create_dataset("1", data=BIAS)
        f.create_group("vars").attrs["name"] = "sequential"
    print("wrote", os.path.relpath(path))


def virtual(vars_):
    # Its source file is absent, so HDF5 reads the fill value: zeros.
    layout = h5py.VirtualLayout(shape=(3, 2), dtype="float32")
    layout[:] = h5py.VirtualSource("absent-source.h5", "kernel", shape=(3, 2))
    vars_.create_virtual_dataset("0", layout, fillvalue=0)


def main():
    os.makedirs(FOLDER, exist_ok=True)
    weights_file("valid.h5", lambda v: v.create_dataset("0", data=KERNEL))
    weights_file("self-soft-link.h5", lambda v: v.__setitem__("0", h5py.SoftLink("/layers/dense/vars/0")))
    weights_file(
        "soft-link-loop.h5",
        lambda v: (v.__setitem__("0", h5py.SoftLink("/layers/dense/vars/2")), v.__setitem__("2", h5py.SoftLink("/layers/dense/vars/0"))),
    )
    weights_file("external-link.h5", lambda v: v.__setitem__("0", h5py.ExternalLink("absent.h5", "/kernel")))
    # Raw external storage: the data lives in another file, named in the header.
    weights_file(
        "external-storage.h5",
        lambda v: v.create_dataset("0", shape=(3, 2), dtype="float32", external=[("absent-kernel.raw", 0, 24)]),
    )
    # The same, pointing at a device that exists in the HDF5 runtime's file system.
    weights_file(
        "external-device.h5",
        lambda v: v.create_dataset("0", shape=(3, 2), dtype="float32", external=[("/dev/urandom", 0, 24)]),
    )
    weights_file("virtual.h5", virtual)
    weights_file("int-kernel.h5", lambda v: v.create_dataset("0", data=np.arange(6, dtype="int32").reshape(3, 2)))
    weights_file("float16-kernel.h5", lambda v: v.create_dataset("0", data=KERNEL.astype("float16")))
    weights_file("string-kernel.h5", lambda v: v.create_dataset("0", data=np.array([b"abc"] * 6).reshape(3, 2)))
    # A huge shape: refused by its shape before a byte of it is read.
    weights_file(
        "huge-kernel.h5",
        lambda v: v.create_dataset("0", shape=(2**20, 2**20), dtype="float32", chunks=(1, 1024)),
    )
    # A gzip-chunked kernel is valid HDF5 that Keras can write: it must load.
    weights_file(
        "chunked-gzip.h5",
        lambda v: v.create_dataset("0", data=KERNEL, chunks=(1, 2), compression="gzip"),
    )


if __name__ == "__main__":
    main()
