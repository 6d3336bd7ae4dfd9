"""The custom regularizer the Keras scripts and this library's tests share: registered as my_pkg>MyScaledL1."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="my_pkg")
class MyScaledL1(keras.regularizers.Regularizer):
    """scale * 0.01 * sum(|x|)."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def __call__(self, x):
        return self.scale * 0.01 * ops.sum(ops.absolute(x))

    def get_config(self):
        return {"scale": self.scale}
