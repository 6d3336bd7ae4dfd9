"""Writes test/fixtures/keras-layer-classes.json: every class in Keras 3's
keras.layers namespace (its own name and the aliases it is exported under),
for the test that checks that the layers namespace, README and COMPATIBILITY
cover every one: present here, or refused and why.

Run: KERAS_BACKEND=jax .keras-venv/bin/python scripts/generate_keras_layer_classes.py
"""
import inspect
import json
import os

import keras

classes = {}
for name in sorted(dir(keras.layers)):
    value = getattr(keras.layers, name)
    if inspect.isclass(value):
        classes.setdefault(value.__name__, []).append(name)

out = {
    "keras_version": keras.__version__,
    "classes": [
        {"name": cls, "aliases": sorted(n for n in names if n != cls)}
        for cls, names in sorted(classes.items())
    ],
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras-layer-classes.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(len(out["classes"]), "classes written to", path)
