"""Keras 3 classes for the keras-regularizers TypeScript package's own regularizers.

Importing this module registers, under the package name ``keras_regularizers``,
the classes that files written by the TypeScript package name:
``keras_regularizers>GroupLasso``, ``keras_regularizers>SparseGroupLasso``,
and ``keras_regularizers>L1`` / ``keras_regularizers>L1L2`` (written when
``proximal`` is on). Values match the TypeScript classes; the ``proximal``
flag is kept in configs but Keras applies these penalties through their
gradient (Keras's optimizers have no proximal step).
"""

import math

import keras
from keras import ops

PACKAGE = "keras_regularizers"

__all__ = ["GroupLasso", "SparseGroupLasso", "L1", "L1L2", "group_norms", "PACKAGE"]


def _factor(value, name, default):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. Received: {name}={value!r}"
        )
    return float(value)


def _flag(value):
    if not isinstance(value, bool):
        raise ValueError(f"Invalid value for argument proximal: expected a boolean. Received: proximal={value!r}")
    return value


def _axis(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if (
        isinstance(value, (list, tuple))
        and len(value) > 0
        and all(isinstance(a, int) and not isinstance(a, bool) for a in value)
        and len(set(value)) == len(value)
    ):
        return list(value)
    raise ValueError(
        "Invalid value for argument axis: expected an integer or a non-empty list of distinct integers. "
        f"Received: axis={value!r}"
    )


def _gates(value):
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValueError(f"Invalid value for argument gates: expected a positive integer. Received: gates={value!r}")


def _layout(shape, axis, gates):
    """(view shape, axes a group runs over, group size), as src/regularizers/groups.ts."""
    rank = len(shape)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if rank == 0 or a < -rank or a >= rank:
            raise ValueError(
                f"Invalid value for argument axis: expected an integer in [{-rank}, {rank - 1}] for a weight "
                f"of rank {rank} (shape {list(shape)}). Received: axis={axis!r}"
            )
    axes = [a + rank if a < 0 else a for a in axes]
    size = math.prod(shape)
    if gates == 1:
        count = math.prod(shape[a] for a in axes)
        return list(shape), [i for i in range(rank) if i not in axes], (size // count if count else 0)
    if len(axes) != 1:
        raise ValueError(f"Invalid value for argument gates: expected 1 when axis lists several axes. Received: gates={gates}")
    a = axes[0]
    if shape[a] % gates:
        raise ValueError(
            f"Invalid value for argument gates: expected a divisor of the size {shape[a]} of axis {a} "
            f"(shape {list(shape)}). Received: gates={gates}"
        )
    units = shape[a] // gates
    view = list(shape[:a]) + [gates, units] + list(shape[a + 1 :])
    return view, [i for i in range(len(view)) if i != a + 1], (size // units if units else 0)


def _norms(x, view, reduce_axes):
    squares = ops.sum(ops.square(ops.reshape(x, view)), axis=reduce_axes) if reduce_axes else ops.square(x)
    # sqrt with a finite gradient at an all-zero group (0 there, as in the TypeScript class).
    positive = ops.greater(squares, 0)
    return ops.where(positive, ops.sqrt(ops.where(positive, squares, ops.ones_like(squares))), ops.zeros_like(squares))


def group_norms(x, axis=-1, gates=1):
    """The L2 norm of each group of ``x`` (a flat vector in the order of the group axes)."""
    x = ops.convert_to_tensor(x)
    view, reduce_axes, _ = _layout(tuple(x.shape), _axis(axis), _gates(gates))
    return ops.reshape(_norms(x, view, reduce_axes), (-1,))


def _group_lasso(x, factor, axis, gates):
    if factor == 0:
        return ops.convert_to_tensor(0.0, dtype=x.dtype)
    view, reduce_axes, size = _layout(tuple(x.shape), axis, gates)
    return factor * math.sqrt(size) * ops.sum(_norms(x, view, reduce_axes))


def _set_group_settings(regularizer, factor, axis, gates, proximal, **penalties):
    """The group lassos' settings, checked in their arguments' order: ``factor``, any other ``penalties`` (``l1``), ``axis``, ``gates``, ``proximal``."""
    regularizer.factor = _factor(factor, "factor", 0.01)
    for name, value in penalties.items():
        setattr(regularizer, name, _factor(value, name, 0.01))
    regularizer.axis = _axis(axis)
    regularizer.gates = _gates(gates)
    regularizer.proximal = _flag(proximal)


@keras.saving.register_keras_serializable(package=PACKAGE, name="GroupLasso")
class GroupLasso(keras.regularizers.Regularizer):
    """Group lasso: ``factor * sum_g sqrt(|g|) * ||w_g||_2`` over the slices at each index of ``axis``."""

    def __init__(self, factor=0.01, axis=-1, gates=1, proximal=False):
        _set_group_settings(self, factor, axis, gates, proximal)

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        return _group_lasso(x, self.factor, self.axis, self.gates)

    def get_config(self):
        return {"factor": self.factor, "axis": self.axis, "gates": self.gates, "proximal": self.proximal}


@keras.saving.register_keras_serializable(package=PACKAGE, name="SparseGroupLasso")
class SparseGroupLasso(keras.regularizers.Regularizer):
    """Sparse group lasso: group lasso plus ``l1 * sum|w|``."""

    def __init__(self, factor=0.01, l1=0.01, axis=-1, gates=1, proximal=False):
        _set_group_settings(self, factor, axis, gates, proximal, l1=l1)

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        value = _group_lasso(x, self.factor, self.axis, self.gates)
        if self.l1:
            value = value + self.l1 * ops.sum(ops.absolute(x))
        return value

    def get_config(self):
        return {
            "factor": self.factor,
            "l1": self.l1,
            "axis": self.axis,
            "gates": self.gates,
            "proximal": self.proximal,
        }


@keras.saving.register_keras_serializable(package=PACKAGE, name="L1")
class L1(keras.regularizers.L1):
    """Keras's L1 that keeps the TypeScript package's ``proximal`` flag in its config."""

    def __init__(self, l1=0.01, proximal=False):
        super().__init__(l1=l1)
        self.proximal = _flag(proximal)

    def get_config(self):
        config = super().get_config()
        if self.proximal:
            config["proximal"] = True
        return config


@keras.saving.register_keras_serializable(package=PACKAGE, name="L1L2")
class L1L2(keras.regularizers.L1L2):
    """Keras's L1L2 that keeps the TypeScript package's ``proximal`` flag in its config."""

    def __init__(self, l1=0.0, l2=0.0, proximal=False):
        super().__init__(l1=l1, l2=l2)
        self.proximal = _flag(proximal)

    def get_config(self):
        config = super().get_config()
        if self.proximal:
            config["proximal"] = True
        return config
