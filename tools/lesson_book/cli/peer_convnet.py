"""The benchmark's peer: the Keras example "Simple MNIST convnet" as published, trained on the book's MNIST.

``make bench`` runs this file as a notebook, in a fresh kernel like the
book's own notebooks (jupytext reads the ``# %%`` cells), and compares its fit
time and test accuracy with those of the book's final model.  The model, the
optimiser and the training settings are the example's: two 3×3 convolutions
(32 and 64 filters, ReLU), each followed by 2×2 max pooling, then dropout of
half the features and a softmax layer of ten; Adam with its default learning
rate, batches of 128, 15 epochs, the last tenth of the training set held out
for validation.  Only the data handling follows the book: the images come from
``cnn_lesson.data.load_mnist()`` and the labels stay integers, with the sparse
form of the categorical cross-entropy.  It prints ``Fit time: ... s`` and
``Test accuracy: ...`` like the book's notebooks, and also runs as a plain
script: ``python tools/lesson_book/cli/peer_convnet.py``.
"""

# %%
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # keep TensorFlow's start-up log quiet

import time

import keras
import numpy as np

from cnn_lesson.data import load_mnist

keras.utils.set_random_seed(42)

# %%
(x_train, y_train), (x_test, y_test) = load_mnist()
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)

# %%
peer = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
peer.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
print(f"Parameters (peer): {peer.count_params()}")

# %%
start = time.perf_counter()
peer.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1, verbose=2)
print(f"Fit time: {time.perf_counter() - start:.1f} s")

# %%
test_loss, test_accuracy = peer.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_accuracy:.4f}")
