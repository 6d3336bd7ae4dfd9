"""Writes test/fixtures/hostile-h5/*.h5: legacy whole-model .h5 files that a loader must refuse.

valid.h5 is real Keras 3's `model.save("valid.h5")` (legacy_h5_format.py) of
Sequential([Input((3,)), Dense(2)]) named "small", compiled with SGD and
mean_squared_error, its kernel arange(6)/10 by rows and its bias [0.5, -0.5]:
so `model_weights/dense/small/dense/kernel` (shape [3, 2]) and `.../bias`
([2]), listed as `small/dense/kernel` and `small/dense/bias` in the
`weight_names` of `model_weights/dense`.

Every other file copies valid.h5's root attributes (model_config,
training_config, keras_version, backend) and rebuilds its `model_weights`
with h5py, in Keras's layout, with one thing made hostile: a link, a dtype,
a shape, an attribute, the JSON. h5py is used because h5wasm cannot write
most of these (external storage, virtual datasets, external links). The
optimizer_weights group is left out: Keras's loader and this library's
ignore it without a model to match it against.

Cases too large to commit (a 17 MiB model_config, thousands of layers or
of nested models) are made at test time by test/hostile-h5.test.ts.

    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_hostile_h5_fixtures.py
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

FOLDER = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "hostile-h5")
KERNEL = np.arange(6, dtype="float32").reshape(3, 2) / 10
BIAS = np.array([0.5, -0.5], dtype="float32")
VALID = os.path.join(FOLDER, "valid.h5")
WEIGHT_NAMES = ["small/dense/kernel", "small/dense/bias"]


def write_valid():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")], name="small")
    model.layers[0].kernel.assign(KERNEL)
    model.layers[0].bias.assign(BIAS)
    model.compile(optimizer="sgd", loss="mean_squared_error")
    model.save(VALID)
    print("wrote", os.path.relpath(VALID))


def root_attrs():
    with h5py.File(VALID, "r") as f:
        return {k: f.attrs[k] for k in f.attrs}


def model_config():
    return json.loads(root_attrs()["model_config"])


def default_dense(dense):
    """The kernel and bias where Keras writes them, below `model_weights/dense`."""
    inner = dense.create_group("small").create_group("dense")
    inner.create_dataset("kernel", data=KERNEL)
    inner.create_dataset("bias", data=BIAS)
    return inner


def legacy_file(name, dense=default_dense, attrs=None, weights=None, layer_names=("dense",), names=WEIGHT_NAMES):
    """A copy of valid.h5's layout: `attrs` overrides the root's attributes (None deletes one),
    `dense(group)` fills model_weights/dense, `weights(group)` replaces all of model_weights.
    In HDF5's latest file format (compact groups, checksums), a third the size of Keras's default."""
    path = os.path.join(FOLDER, name)
    with h5py.File(path, "w", libver="latest") as f:
        for key, value in {**root_attrs(), **(attrs or {})}.items():
            if value is not None:
                f.attrs[key] = value
        if weights is not None:
            weights(f)
        else:
            group = f.create_group("model_weights")
            group.attrs["layer_names"] = [n.encode() for n in layer_names]
            group.attrs["backend"] = "jax"
            group.attrs["keras_version"] = keras.__version__
            layer = group.create_group("dense")
            if names is not None:
                layer.attrs["weight_names"] = [n.encode() for n in names]
            dense(layer)
            group.create_group("top_level_model_weights").attrs["weight_names"] = np.array([], dtype="float64")
    print("wrote", os.path.relpath(path))


def with_kernel(make):
    """model_weights/dense with the bias as Keras writes it and the kernel made by `make(inner_group)`."""

    def fill(dense):
        inner = dense.create_group("small").create_group("dense")
        make(inner)
        inner.create_dataset("bias", data=BIAS)

    return fill


def virtual_kernel(inner):
    # Its source file is absent, so HDF5 would read the fill value: zeros.
    layout = h5py.VirtualLayout(shape=(3, 2), dtype="float32")
    layout[:] = h5py.VirtualSource("absent-source.h5", "kernel", shape=(3, 2))
    inner.create_virtual_dataset("kernel", layout, fillvalue=0)


def hard_link_cycle(dense):
    # `dense/loop` is `dense` itself: a path may go round it forever.
    default_dense(dense)
    dense["loop"] = dense


def soft_linked_weights(f):
    # model_weights is a soft link to the real group, elsewhere.
    real = f.create_group("elsewhere")
    real.attrs["layer_names"] = [b"dense"]
    layer = real.create_group("dense")
    layer.attrs["weight_names"] = [n.encode() for n in WEIGHT_NAMES]
    default_dense(layer)
    f["model_weights"] = h5py.SoftLink("/elsewhere")


def huge_config():
    config = model_config()
    dense = config["config"]["layers"][1]["config"]
    dense["units"] = 2**20
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, 2**20]
    return json.dumps(config)


def nested_json(depth):
    # A valid model_config except for a regularizer's l2, an array nested `depth` deep.
    config = model_config()
    text = json.dumps(config)
    dense = config["config"]["layers"][1]["config"]
    dense["kernel_regularizer"] = {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": "HOLE"}, "registered_name": None}
    text = json.dumps(config)
    return text.replace('"HOLE"', "[" * depth + "]" * depth)


def main():
    os.makedirs(FOLDER, exist_ok=True)
    write_valid()
    # A copy in this layout that must load: the rebuild itself breaks nothing.
    legacy_file("rebuilt.h5")

    # Links.
    legacy_file("self-soft-link.h5", with_kernel(lambda g: g.__setitem__("kernel", h5py.SoftLink("/model_weights/dense/small/dense/kernel"))))
    legacy_file(
        "soft-link-loop.h5",
        with_kernel(
            lambda g: (
                g.__setitem__("kernel", h5py.SoftLink("/model_weights/dense/small/dense/other")),
                g.__setitem__("other", h5py.SoftLink("/model_weights/dense/small/dense/kernel")),
            )
        ),
    )
    legacy_file("external-link.h5", with_kernel(lambda g: g.__setitem__("kernel", h5py.ExternalLink("absent.h5", "/kernel"))))
    legacy_file("external-link-group.h5", lambda d: d.__setitem__("small", h5py.ExternalLink("absent.h5", "/small")))
    legacy_file("soft-link-model-weights.h5", weights=soft_linked_weights)
    legacy_file(
        "external-storage.h5",
        with_kernel(lambda g: g.create_dataset("kernel", shape=(3, 2), dtype="float32", external=[("absent-kernel.raw", 0, 24)])),
    )
    legacy_file(
        "external-device.h5",
        with_kernel(lambda g: g.create_dataset("kernel", shape=(3, 2), dtype="float32", external=[("/dev/urandom", 0, 24)])),
    )
    legacy_file("virtual.h5", with_kernel(virtual_kernel))
    # A weight name going 2,000 times round a hard-link cycle before it reaches the kernel
    # (the test makes one going round 200,000 times).
    legacy_file("hard-link-cycle.h5", hard_link_cycle, names=["loop/" * 2000 + WEIGHT_NAMES[0], WEIGHT_NAMES[1]])

    # Types.
    legacy_file("int-kernel.h5", with_kernel(lambda g: g.create_dataset("kernel", data=np.arange(6, dtype="int32").reshape(3, 2))))
    legacy_file("float16-kernel.h5", with_kernel(lambda g: g.create_dataset("kernel", data=KERNEL.astype("float16"))))
    legacy_file("string-kernel.h5", with_kernel(lambda g: g.create_dataset("kernel", data=np.array([b"abc"] * 6).reshape(3, 2))))
    compound = np.zeros((3, 2), dtype=[("re", "f4"), ("im", "f4")])
    legacy_file("compound-kernel.h5", with_kernel(lambda g: g.create_dataset("kernel", data=compound)))
    legacy_file("int-model-config.h5", attrs={"model_config": np.arange(4, dtype="int64")})
    legacy_file("two-model-configs.h5", attrs={"model_config": [root_attrs()["model_config"].encode()] * 2})
    legacy_file("int-layer-names.h5")
    with h5py.File(os.path.join(FOLDER, "int-layer-names.h5"), "a") as f:
        f["model_weights"].attrs["layer_names"] = np.arange(3, dtype="int32")
    legacy_file("float-weight-names.h5", names=None)
    with h5py.File(os.path.join(FOLDER, "float-weight-names.h5"), "a") as f:
        f["model_weights/dense"].attrs["weight_names"] = np.array([1.5, 2.5])

    # Absurd dimensions, refused by the header before a byte is read or a weight is made.
    legacy_file("huge-kernel.h5", with_kernel(lambda g: g.create_dataset("kernel", shape=(2**20, 2**20), dtype="float32", chunks=(1, 1024))))
    legacy_file(
        "astronomical-kernel.h5",
        with_kernel(lambda g: g.create_dataset("kernel", shape=(2**31, 2**31), dtype="float32", chunks=(1, 1024))),
    )
    legacy_file("scalar-kernel.h5", with_kernel(lambda g: g.create_dataset("kernel", data=np.float32(1))))
    legacy_file("huge-config.h5", attrs={"model_config": huge_config()})
    # Both: a config asking for 2^40 elements and a file whose header claims as many.
    legacy_file(
        "huge-config-and-kernel.h5",
        with_kernel(lambda g: g.create_dataset("kernel", shape=(2**20, 2**20), dtype="float32", chunks=(1, 1024))),
        attrs={"model_config": huge_config()},
    )

    # The JSON.
    legacy_file("not-json.h5", attrs={"model_config": '{"class_name": "Sequential", "config": {'})
    legacy_file("not-utf8.h5", attrs={"model_config": np.bytes_(b"\xff\xfe{\x00\x80")})
    legacy_file("json-array.h5", attrs={"model_config": "[1, 2, 3]"})
    legacy_file("json-null.h5", attrs={"model_config": "null"})
    legacy_file("nested-json.h5", attrs={"model_config": nested_json(10000)})
    legacy_file("no-model-config.h5", attrs={"model_config": None})
    legacy_file("training-config-not-json.h5", attrs={"training_config": "{'loss': 'mse'}"})
    legacy_file("training-config-no-optimizer.h5", attrs={"training_config": json.dumps({"loss": "mean_squared_error", "loss_weights": None})})

    # Weights missing or of the wrong shape.
    legacy_file("kernel-wrong-shape.h5", with_kernel(lambda g: g.create_dataset("kernel", data=np.zeros((4, 2), dtype="float32"))))
    legacy_file(
        "bias-wrong-shape.h5",
        lambda d: (
            d.create_group("small").create_group("dense").create_dataset("kernel", data=KERNEL),
            d["small/dense"].create_dataset("bias", data=np.zeros(3, dtype="float32")),
        ),
    )
    legacy_file("missing-kernel.h5", with_kernel(lambda g: None))
    legacy_file("kernel-is-group.h5", with_kernel(lambda g: g.create_group("kernel")))
    legacy_file("one-weight-name.h5", names=WEIGHT_NAMES[:1])
    legacy_file("no-weight-names.h5", names=None)
    legacy_file("no-model-weights.h5", weights=lambda f: None)
    legacy_file("ghost-layer.h5", layer_names=("ghost",))
    legacy_file("weight-name-escapes.h5", names=["../../../model_weights/dense/small/dense/kernel", WEIGHT_NAMES[1]])
    legacy_file("top-level-weight.h5")
    with h5py.File(os.path.join(FOLDER, "top-level-weight.h5"), "a") as f:
        top = f["model_weights/top_level_model_weights"]
        top.attrs["weight_names"] = [b"extra"]
        top.create_dataset("extra", data=np.zeros(2, dtype="float32"))


if __name__ == "__main__":
    main()
