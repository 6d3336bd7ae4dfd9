"""Generates test/fixtures/keras-merge.json by running real Keras 3.

The merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate, Dot), the reshaping layers (Reshape, Permute, RepeatVector),
Identity and ActivityRegularization: for each case, Keras's config and JSON,
the inputs, the output, `layer.losses`, and `compute_output_shape` on the
input shapes with an unknown (None) batch axis. `output_shape` cases hold
compute_output_shape alone, for shapes with unknown axes besides the batch.

Python Keras is not a project dependency; CI reads the committed JSON.
    KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_merge_fixtures.py
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-merge.json")
rng = np.random.default_rng(20260517)
L = keras.layers


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).reshape(-1)]


def shape_list(shape):
    """A shape (or a list of shapes) as JSON lists, None as null."""
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
        return [list(s) for s in shape]
    return list(shape)


def with_unknown_batch(shapes, many):
    if many:
        return [(None, *s[1:]) for s in shapes]
    return (None, *shapes[0][1:])


def call_case(name, layer, input_shapes, many=True):
    """`many`: the layer takes a list of tensors (the merging layers)."""
    xs = [rng.standard_normal(s).astype(np.float32) for s in input_shapes]
    inputs = xs if many else xs[0]
    y = layer(inputs)
    losses = [float(keras.ops.convert_to_numpy(loss)) for loss in layer.losses]
    json_form = keras.saving.serialize_keras_object(layer)
    json_form.pop("build_config", None)
    symbolic = with_unknown_batch(input_shapes, many)
    return {
        "name": name,
        "kind": "call",
        "class_name": layer.__class__.__name__,
        "config": layer.get_config(),
        "json": json_form,
        "many": many,
        "inputs": [{"shape": list(s), "values": floats(x)} for s, x in zip(input_shapes, xs)],
        "output": {"shape": list(y.shape), "values": floats(y)},
        "expected_losses": losses,
        "symbolic_input_shape": shape_list(list(symbolic) if many else symbolic),
        "symbolic_output_shape": shape_list(layer.compute_output_shape(symbolic)),
    }


def shape_case(name, layer, input_shape):
    return {
        "name": name,
        "kind": "output_shape",
        "class_name": layer.__class__.__name__,
        "config": layer.get_config(),
        "input_shape": shape_list(input_shape),
        "output_shape": shape_list(layer.compute_output_shape(input_shape)),
    }


cases = [
    call_case("Add, 2 inputs of rank 3", L.Add(), [(2, 3, 4), (2, 3, 4)]),
    call_case("Add, 3 inputs", L.Add(), [(3, 5), (3, 5), (3, 5)]),
    call_case("Add, a size-1 axis broadcasts", L.Add(), [(2, 1, 4), (2, 3, 4)]),
    call_case("Add, ranks 2 and 3: expand_dims at axis 1", L.Add(), [(2, 4), (2, 3, 4)]),
    call_case(
        "Add with activity_regularizer L2(0.1)",
        L.Add(activity_regularizer=keras.regularizers.L2(0.1)),
        [(4, 3), (4, 3)],
    ),
    call_case("Subtract", L.Subtract(), [(2, 5), (2, 5)]),
    call_case("Subtract, broadcast size-1 axis", L.Subtract(), [(2, 3, 1), (2, 3, 4)]),
    call_case("Multiply, 3 inputs", L.Multiply(), [(2, 3, 2), (2, 3, 2), (2, 3, 2)]),
    call_case("Average, 2 inputs", L.Average(), [(3, 4), (3, 4)]),
    call_case("Average, 3 inputs", L.Average(), [(2, 2, 3), (2, 2, 3), (2, 2, 3)]),
    call_case("Maximum, 2 inputs", L.Maximum(), [(3, 4), (3, 4)]),
    call_case("Maximum, 3 inputs", L.Maximum(), [(2, 3, 2), (2, 3, 2), (2, 3, 2)]),
    call_case("Minimum, 2 inputs", L.Minimum(), [(3, 4), (3, 4)]),
    call_case("Minimum, 3 inputs, ranks 2 and 3", L.Minimum(), [(2, 2), (2, 3, 2), (2, 3, 2)]),
    call_case("Concatenate, default axis -1", L.Concatenate(), [(2, 3), (2, 4)]),
    call_case("Concatenate axis=1, rank 3", L.Concatenate(axis=1), [(2, 2, 4), (2, 3, 4)]),
    call_case("Concatenate axis=-2, 3 inputs", L.Concatenate(axis=-2), [(2, 1, 3), (2, 2, 3), (2, 3, 3)]),
    call_case("Concatenate axis=0 (the batch axis)", L.Concatenate(axis=0), [(2, 3), (3, 3)]),
    call_case("Dot axes=1, rank 2", L.Dot(axes=1), [(3, 5), (3, 5)]),
    call_case("Dot axes=-1 normalize=True, rank 2", L.Dot(axes=-1, normalize=True), [(3, 5), (3, 5)]),
    call_case("Dot axes=(1, 2), rank 3", L.Dot(axes=(1, 2)), [(2, 3, 5), (2, 4, 3)]),
    call_case("Dot axes=(2, 1) normalize=True, rank 3", L.Dot(axes=(2, 1), normalize=True), [(2, 3, 5), (2, 5, 4)]),
    call_case("Dot axes=(2, 1), ranks 3 and 2", L.Dot(axes=(2, 1)), [(2, 3, 5), (2, 5)]),
    call_case("Dot axes=(1, 1), ranks 2 and 3", L.Dot(axes=(1, 1)), [(2, 5), (2, 5, 4)]),
    call_case("Dot axes=(-1, -2) normalize=True, rank 3", L.Dot(axes=(-1, -2), normalize=True), [(2, 4, 3), (2, 3, 2)]),
    call_case("Dot axes=(3, 2), ranks 4 and 4", L.Dot(axes=(3, 2)), [(2, 2, 3, 5), (2, 4, 5, 3)]),
    call_case("Reshape (-1, 2)", L.Reshape((-1, 2)), [(2, 3, 4)], many=False),
    call_case("Reshape (4, 3)", L.Reshape((4, 3)), [(2, 3, 4)], many=False),
    call_case("Reshape (2, -1, 3) from rank 2", L.Reshape((2, -1, 3)), [(3, 12)], many=False),
    call_case("Permute (2, 1), rank 3", L.Permute((2, 1)), [(2, 3, 4)], many=False),
    call_case("Permute (3, 1, 2), rank 4", L.Permute((3, 1, 2)), [(2, 3, 4, 5)], many=False),
    call_case("RepeatVector n=3", L.RepeatVector(3), [(2, 4)], many=False),
    call_case("Identity", L.Identity(), [(2, 3)], many=False),
    call_case(
        "ActivityRegularization l1=0.01 l2=0.1",
        L.ActivityRegularization(l1=0.01, l2=0.1),
        [(3, 4)],
        many=False,
    ),
    call_case("ActivityRegularization defaults (0, 0)", L.ActivityRegularization(), [(2, 5)], many=False),
    call_case("ActivityRegularization l2=0.5, rank 3", L.ActivityRegularization(l2=0.5), [(4, 2, 3)], many=False),
    shape_case("Add, unknown non-batch axis", L.Add(), [(None, None, 4), (None, 3, 4)]),
    shape_case("Add, size 1 against unknown", L.Add(), [(None, 1, 4), (None, None, 4)]),
    shape_case("Add, known batch in one input", L.Add(), [(5, 3), (None, 3)]),
    shape_case("Concatenate axis=1, unknown concat axis", L.Concatenate(axis=1), [(None, None, 4), (None, 3, 4)]),
    shape_case("Concatenate, unknown non-concat axis", L.Concatenate(), [(None, None, 2), (None, 3, 4)]),
    shape_case("Dot axes=(1, 2), unknown axis", L.Dot(axes=(1, 2)), [(None, 3, None), (None, 4, 3)]),
    shape_case("Reshape (-1, 2), unknown input axis", L.Reshape((-1, 2)), (None, None, 4)),
    shape_case("Reshape (3, 4), unknown input axis", L.Reshape((3, 4)), (None, None, 4)),
    shape_case("Permute (2, 1), unknown axis", L.Permute((2, 1)), (None, None, 4)),
    shape_case("RepeatVector, unknown features", L.RepeatVector(2), (None, None)),
]

meta = {
    "source": "real-keras",
    "generator": "scripts/generate_keras_merge_fixtures.py",
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "numpy_version": np.__version__,
    "python": sys.version.split()[0],
    "float_encoding": "flat row-major lists of float32 values widened to float64",
    "note": "'call' cases: inputs, output, losses, config, JSON (no build_config) and compute_output_shape with a None batch axis; 'output_shape' cases: compute_output_shape alone.",
}
with open(OUT, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
