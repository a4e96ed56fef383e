# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Open Lab 4: Multi-Layer Networks
#
# CSCI 4850-5850, Neural Networks.

# %% [markdown] tags=["answer"]
# **The model answer**: this run's numbers. Claims about many starts or seeds cite `evidence.ipynb`.
# Each **Answer.** opens with its conclusion.
#
# | | answer in one line |
# |---|---|
# | **Problem 1** | 2-16-1 ReLU net, Adam 0.01, 300 full-batch epochs: 4 of 4 |
# | **Problem 2** | width: 57 of 200 starts learn XOR with 2 units, 200 of 200 with 16 |
# | **Problem 3** | 2-2-1, 9 parameters (plain layered net), by restarting `fit` |
# | **Problem 4** | no smaller in principle; larger in practice |
# | **Problem 5** | 784-512-512-10 tanh MLP: 98.50% on test |
# | **Problem 6** | the same net with ReLU: 98.64% on test |
# | **Problem 7** | ReLU a little ahead (4 of 4 seeds); the slope account not confirmed |
# | **Wider or deeper?** | no best depth established: depths within 0.50 points |
# | **Does ReLU help?** | on MNIST slightly; on XOR, plain nets need more units |

# %% tags=["colab-setup", "colab-check"]
# Colab opens a notebook without its repository: there, this cell clones it (set REPO_URL to your
# copy) and installs only what Colab lacks. Anywhere, it checks the folder and the versions.
import os
import subprocess
import sys

REPO_URL = os.environ.get("LAB4_REPO_URL", "https://github.com/YOUR-ORG/open-lab-4.git")
if ("google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ) and not os.path.isdir(
    "helpers"
):
    if not os.path.isdir("lab4"):
        subprocess.run(["git", "clone", "-q", "--depth", "1", REPO_URL, "lab4"], check=True)
    os.chdir("lab4")
if not os.path.isdir("helpers"):
    raise RuntimeError(
        f"helpers/ not found in {os.getcwd()}: run the notebook from the repository folder "
        "(papermill: add --cwd <repository folder>)"
    )
from tools import colab_setup  # noqa: E402

colab_setup.run(globals())

# %% tags=["colab-check"]
import json
import os
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads: no C++ log lines

import keras
import matplotlib.pyplot as plt
import numpy as np
import scipy.stats
import sympy as sp
import tensorflow as tf
from IPython.display import display

from helpers import data, models, paths, plots
from helpers.plots import show  # plt.show() with alt text for the HTML export

sp.init_printing(use_latex="mathjax")  # formulas as LaTeX, typeset in Jupyter and the HTML
tf.get_logger().setLevel("ERROR")  # no retracing notes: Problem 3 builds a net per restart

# %% tags=["parameters", "colab-check"]
SEED = 4850  # every random generator starts from this (papermill: -p SEED 7)
OUTPUT_DIR = None  # None: this folder for SEED 4850, runs/seed<SEED>/ for any other seed

# %%
OUTPUT_DIR = paths.output_dir(SEED, OUTPUT_DIR)  # $LAB4_OUTPUT_DIR, when set, wins
plots.set_figure_dir(OUTPUT_DIR / "figures")
keras.utils.set_random_seed(SEED)  # Python, NumPy and TensorFlow
tf.config.experimental.enable_op_determinism()  # repeat runs on one machine agree
RESULTS = {"seed": SEED}  # this run's numbers, written to results.json at the end

# %% [markdown]
# ## Tutorial 1: the XOR data
#
# Inputs are coded as $\pm 1$, not 0/1: a first-layer weight learns in proportion to its input, so
# an input of 0 teaches its weight nothing.

# %%
# NBVAL_CHECK_OUTPUT
X = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)
display(sp.Matrix(X.astype(int)), sp.Matrix(Y.astype(int)))

# %% [markdown]
# ## Tutorial 2: a 2-2-1 network with tanh hidden units
#
# Two classes: one **sigmoid** output unit and **binary cross-entropy** (BCE). Two **tanh** hidden
# units, SGD at learning rate 0.1. (Keras 3 spells the lab's `SGD(lr=0.1)` as `learning_rate=0.1`
# and replaces `input_dim` with `keras.Input`.)

# %%
model = keras.Sequential(
    [
        keras.Input(shape=(2,)),
        keras.layers.Dense(2, activation="tanh"),  # hidden layer
        keras.layers.Dense(1, activation="sigmoid"),  # output layer
    ]
)
model.compile(
    loss=keras.losses.BinaryCrossentropy(),
    optimizer=keras.optimizers.SGD(learning_rate=0.1),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
model.summary()
for w in model.get_weights():
    display(sp.Matrix(np.atleast_2d(w)))

# %% [markdown]
# $2 \times 2$ weights and 2 biases into the hidden layer, $2 \times 1$ and 1 into the output: 9
# parameters. Kernels start random (Glorot-uniform), biases at zero. `plot_model` draws the
# layers' shapes and activations.

# %%
diagram = plots.figure_dir() / "xor_tanh_model.png"
if shutil.which("dot"):  # graphviz draws the diagram
    diagram.parent.mkdir(parents=True, exist_ok=True)
    keras.utils.plot_model(
        model, to_file=str(diagram), show_shapes=True, show_layer_activations=True, dpi=72
    )
    plots.show_file(
        diagram,
        "plot_model diagram: Dense, tanh, (None, 2) to (None, 2); Dense, sigmoid, to (None, 1)",
    )
else:
    print("model diagram skipped: install graphviz (apt-get install graphviz) to draw it")

# %% [markdown]
# ## Tutorial 3: one step of backpropagation, by hand
#
# SymPy derives the derivatives of tanh (the lecture's form), the sigmoid and BCE; `sp.lambdify`
# makes each a NumPy function (faster than the lab's `np.vectorize` of `evalf`).

# %%
x, y = sp.symbols("x y")
g = (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)  # tanh
f = 1 / (sp.exp(-x) + 1)  # sigmoid
b = -(y * sp.log(x) + (1 - y) * sp.log(1 - x))  # BCE of output x and target y
display(
    sp.Eq(sp.Symbol(r"\tanh'(x)"), sp.simplify(g.diff(x))),
    sp.Eq(sp.Symbol(r"\sigma'(x)"), sp.simplify(f.diff(x))),
    sp.Eq(sp.Symbol(r"\partial\,\mathrm{BCE} / \partial x"), b.diff(x)),
)
tanh, dtanh = sp.lambdify(x, g), sp.lambdify(x, g.diff(x))
sigmoid, dsigmoid = sp.lambdify(x, f), sp.lambdify(x, f.diff(x))
bce, dbce = sp.lambdify((y, x), b), sp.lambdify((y, x), b.diff(x))

# %% [markdown]
# **Forward pass.** A layer's net input is (previous activations) @ (weights) + bias; its
# activation applies the function. Compare with Keras's `predict` and its BCE.

# %%
input_to_hidden, hidden_bias, hidden_to_output, output_bias = model.get_weights()
N, eta = np.float32(len(X)), np.float32(0.1)  # 4 patterns, the learning rate
hidden_net = X @ input_to_hidden + hidden_bias
hidden_a = tanh(hidden_net)
output_net = hidden_a @ hidden_to_output + output_bias
output_a = sigmoid(output_net)
error = bce(Y[:, None], output_a)
print("columns: NumPy output, Keras predict, NumPy BCE, Keras BCE")
keras_a = model.predict(X, verbose=0)
keras_error = keras.losses.binary_crossentropy(Y[:, None], output_a)[:, None]
display(sp.Matrix(np.hstack([output_a, keras_a, error, keras_error])))

# %% [markdown]
# **Backward pass.** Output delta = $\partial E/\partial a \cdot \sigma'(\mathrm{net})$, which
# simplifies to output minus target. Hidden deltas send it back along the weights, times
# $\tanh'(\mathrm{net})$. A weight's update is $-\eta$ times the average over patterns of (its
# input) times (the delta it feeds); a bias's input is 1.

# %%
output_deltas = dbce(Y[:, None], output_a) * dsigmoid(output_net)
hidden_deltas = (output_deltas @ hidden_to_output.T) * dtanh(hidden_net)
hand_weights = [
    input_to_hidden - eta * X.T @ hidden_deltas / N,
    hidden_bias - eta * hidden_deltas.mean(axis=0),
    hidden_to_output - eta * hidden_a.T @ output_deltas / N,
    output_bias - eta * output_deltas.mean(axis=0),
]
print("output deltas (1 row), then hidden deltas (a row per unit); a column per pattern")
display(sp.Matrix(output_deltas.T), sp.Matrix(hidden_deltas.T))
print("output delta equals output - target:", np.allclose(output_deltas, output_a - Y[:, None]))

# %% [markdown]
# **The same step in Keras**: one epoch of one full batch (`batch_size=4`, `shuffle=False`).

# %%
step = model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
backprop_diff = max(float(np.abs(h - k).max()) for h, k in zip(hand_weights, model.get_weights()))
print(f"loss: Keras {step.history['loss'][0]:.6f}, by hand {float(error.mean()):.6f}")
print(f"largest |by hand - Keras| over all 9 new weights: {backprop_diff:.1e}")
assert backprop_diff < 1e-6, f"the hand step differs from Keras's by {backprop_diff:.1e}"
RESULTS["backprop_max_abs_diff"] = backprop_diff

# %% [markdown]
# Keras's step agrees with ours to float32 rounding.
#
# ## Tutorial 4: decision boundaries, before and after training
#
# The lab's picture: a $20 \times 20$ grid over $[-2, 2]^2$ (in green), then each grid point
# coloured by the predicted class, the four patterns drawn large in their true colours. (The lab's
# `predict_classes` is gone from Keras; `np.round(predict(...))` does the job.) "Before" is the
# net after Tutorial 3's one step.

# %%
xgrid, ygrid = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
positions = np.vstack([xgrid.ravel(), ygrid.ravel()]).T
fig, ax = plt.subplots(figsize=(3.6, 3.6))
ax.plot(*positions.T, "go", ms=3)
ax.plot(*X[Y == 0].T, "ro", ms=12, mec="k")
ax.plot(*X[Y == 1].T, "bo", ms=12, mec="k")
ax.set(title="the grid and the XOR patterns", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
show(fig, "the 20 by 20 grid in green and the four XOR patterns, red class 0 and blue class 1")


def plot_boundary(model, title, save=None):
    """The lab's decision-boundary picture for a 2-input model."""
    predictions = np.round(model.predict(positions, verbose=0)[:, 0])
    right = int((np.round(model.predict(X, verbose=0)[:, 0]) == Y).sum())
    fig, ax = plt.subplots(figsize=(3.6, 3.6))
    ax.plot(*positions[predictions == 0].T, "ro", ms=3, label="predicted 0 (0.5 rounds to 0)")
    ax.plot(*positions[predictions == 1].T, "bo", ms=3, label="predicted 1")
    ax.plot(*X[Y == 0].T, "ro", ms=12, mec="k", label="pattern, class 0")
    ax.plot(*X[Y == 1].T, "bo", ms=12, mec="k", label="pattern, class 1")
    ax.set(title=f"{title}: {right} of 4 right", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1))
    show(
        fig,
        f"{title}: predicted class on a 20 by 20 grid, red 0 and blue 1, with the four "
        f"patterns in their true colours; {right} of 4 right",
        save=save,
    )


plot_boundary(model, "tanh 2-2-1 after one step", save="tutorial_tanh_before")

# %% [markdown]
# Now train as the lab does: 1000 epochs of `batch_size=1`, the four patterns in a `tf.data.Dataset`
# shuffled each epoch (faster than NumPy arrays for tiny epochs).

# %%
xor_batches = tf.data.Dataset.from_tensor_slices((X, Y)).shuffle(4).batch(1)
tanh_xor_history = model.fit(xor_batches, epochs=1000, shuffle=False, verbose=0)
fig, ax = plt.subplots(figsize=(4.6, 3))
ax.plot(tanh_xor_history.history["loss"], color=plots.ACTIVATION_STYLE["tanh"]["color"])
ax.set(title="tanh 2-2-1: training loss", xlabel="epoch", ylabel="loss")
tanh_losses = tanh_xor_history.history["loss"]
show(
    fig,
    f"training loss of the tanh net over 1000 epochs, from {tanh_losses[0]:.2f} to "
    f"{tanh_losses[-1]:.3f}",
    save="tutorial_tanh_loss",
)
tanh_xor_loss, tanh_xor_accuracy = model.evaluate(X, Y, verbose=0)
print(f"Loss: {tanh_xor_loss:.4f}   Accuracy: {tanh_xor_accuracy:.2f}")
RESULTS["tutorial_tanh_accuracy"] = tanh_xor_accuracy
plot_boundary(model, "tanh 2-2-1 trained", save="tutorial_tanh_after")

# %% [markdown]
# In this run the tanh net learned XOR: each hidden unit makes one soft straight cut, and the output
# combines them. The same recipe learned XOR from 61.0% of 200 starts (Evidence, section 2).
#
# ## Tutorial 5: enter the ReLU
#
# The same net with **ReLU** hidden units, $\max(0, x)$, their biases started at 0.1 as the lab
# suggests, trained with Nadam (default rate) for 1000 epochs of batch size 1.

# %%
relu_net = keras.Sequential(
    [
        keras.Input(shape=(2,)),
        keras.layers.Dense(2, activation="relu", bias_initializer=keras.initializers.Constant(0.1)),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
relu_net.compile(
    loss=keras.losses.BinaryCrossentropy(),
    optimizer=keras.optimizers.Nadam(),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
for w in relu_net.get_weights():
    display(sp.Matrix(np.atleast_2d(w)))
plot_boundary(relu_net, "ReLU 2-2-1 untrained", save="tutorial_relu_before")

# %%
relu_xor_history = relu_net.fit(xor_batches, epochs=1000, shuffle=False, verbose=0)
fig, ax = plt.subplots(figsize=(4.6, 3))
ax.plot(relu_xor_history.history["loss"], color=plots.ACTIVATION_STYLE["relu"]["color"])
ax.set(title="ReLU 2-2-1: training loss", xlabel="epoch", ylabel="loss")
relu_losses = relu_xor_history.history["loss"]
show(
    fig,
    f"training loss of the ReLU net over 1000 epochs, from {relu_losses[0]:.2f} to "
    f"{relu_losses[-1]:.3f}",
    save="tutorial_relu_loss",
)
relu_xor_loss, relu_xor_accuracy = relu_net.evaluate(X, Y, verbose=0)
hidden = np.maximum(0, X @ relu_net.get_weights()[0] + relu_net.get_weights()[1])
print(f"Loss: {relu_xor_loss:.4f}   Accuracy: {relu_xor_accuracy:.2f}")
print("hidden activations per pattern (rows):", np.round(hidden.astype(float), 2).tolist())
RESULTS["tutorial_relu_accuracy"] = relu_xor_accuracy
plot_boundary(relu_net, "ReLU 2-2-1 trained", save="tutorial_relu_after")

# %% [markdown]
# The ReLU net got all 4 patterns right here, yet both hidden units are 0 on the two class-1
# patterns (rows 2 and 3): they share one hidden code (the vector of hidden outputs), and a ReLU
# unit at 0 has slope 0, so they pass no gradient to the hidden weights. Had a class-0 pattern
# joined them, the net could not get both right.
# Failure is usual: this recipe learned XOR from 28.5% of 200 starts (Evidence, section 2).

# %% tags=["evidence"]
# evidence.json: what evidence.ipynb measured (never re-run here)
EVIDENCE = json.loads(paths.project_file("evidence.json").read_text(encoding="utf-8"))
tutorial_evidence = EVIDENCE["tutorial"]
print("Evidence, section 2: the tutorial's recipes from the same 200 random starts")
for name in ["tanh", "relu"]:
    solved, starts = tutorial_evidence[name]
    print(f"  {name}: learned XOR from {solved} of {starts} ({solved / starts:.1%})")

# %% [markdown]
# ## Tutorial 6: MNIST
#
# 60,000 training and 10,000 test images of handwritten digits, $28 \times 28$ pixels.
# `data.load_mnist()` returns `keras.datasets.mnist.load_data()`'s arrays. Each image is flattened
# to 784 values (the lab says 728) scaled to [0, 1], and each label one-hot coded.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
num_classes = 10
x_train = x_train.reshape(len(x_train), 28 * 28).astype("float32") / 255.0
x_test = x_test.reshape(len(x_test), 28 * 28).astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)
print("x_train shape:", x_train.shape, " y_train shape:", y_train.shape)
print(x_train.shape[0], "train samples,", x_test.shape[0], "test samples")

# %%
fig, axes = plt.subplots(1, 5, figsize=(12, 2.8))
for i, ax in enumerate(axes):
    ax.imshow(x_train[i].reshape(28, 28))
    ax.set(title=f"{y_train[i].argmax()}\n{y_train[i].astype(int)}", xticks=[], yticks=[])
    ax.title.set_fontsize(9)
show(
    fig,
    "the first five training digits, 5 0 4 1 9, each titled with its one-hot label",
    save="mnist_first_five",
)

# %% [markdown]
# ### A single-layer softmax network
#
# Ten softmax units on the 784 pixels, Nadam, batch size 128, 30 epochs, holding out the last 20%
# for validation (`validation_split=0.2`). `plot_history` draws the lab's accuracy-and-loss plot.


# %%
def plot_history(history, title, save=None, before=None):
    """The lab's plot of training and validation accuracy (top) and loss (bottom) per epoch;
    `before` = (loss, accuracy) on the validation rows before training, drawn at epoch 0."""
    h = history.history
    fig, axes = plt.subplots(2, 1, figsize=(6, 5), sharex=True)
    for ax, metric in zip(axes, ["accuracy", "loss"]):
        epochs = np.arange(1, len(h[metric]) + 1)
        ax.plot(epochs, h[metric], label="training")
        if before is not None:
            ax.plot(
                np.r_[0, epochs],
                [before[metric == "accuracy"], *h["val_" + metric]],
                "--o",
                ms=3,
                label="validation (0: before training)",
            )
        elif "val_" + metric in h:
            ax.plot(epochs, h["val_" + metric], "--", label="validation")
        ax.set(ylabel=metric, title=f"{title}: {metric}")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="center left" if before and metric == "accuracy" else "best")
    if before is not None:  # epoch 0 stretches the axis: zoom in on epochs 1 onwards
        zoom = axes[0].inset_axes([0.55, 0.1, 0.42, 0.6])
        zoom.plot(epochs, h["accuracy"], epochs, h["val_accuracy"], "--")
        zoom.set_title("zoom: epochs 1 on", fontsize=8)
        zoom.set_xlabel("epoch", fontsize=8, labelpad=1)
        zoom.set_ylabel("accuracy", fontsize=8)
        zoom.tick_params(labelsize=8)
        zoom.xaxis.set_major_locator(plt.MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        zoom.grid(alpha=0.3)
    axes[1].set(xlabel="epoch", ylabel="cross-entropy loss (log scale)")
    plots.log_axis(axes[1], "y")  # ticks at 1, 2 and 5 times powers of 10
    axes[1].xaxis.set_major_locator(plt.MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    fig.tight_layout()
    key, which = ("val_accuracy", "validation") if "val_accuracy" in h else ("accuracy", "training")
    show(
        fig,
        f"{title}: accuracy and loss per epoch, {which} accuracy ending at {h[key][-1]:.2%}",
        save=save,
    )


# %%
single = keras.Sequential(
    [keras.Input(shape=(784,)), keras.layers.Dense(num_classes, activation="softmax")]
)
single.compile(
    loss=keras.losses.CategoricalCrossentropy(),
    optimizer=keras.optimizers.Nadam(),
    metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
    steps_per_execution=16,
)  # 16 batches per call into TensorFlow: same updates, faster
single.summary()
single_history = single.fit(
    x_train, y_train, batch_size=128, epochs=30, validation_split=0.2, verbose=0
)
plot_history(single_history, "single layer", save="mnist_single_layer_history")
single_score = single.evaluate(x_test, y_test, verbose=0)
print(f"Test loss: {single_score[0]:.4f}   Test accuracy: {single_score[1]:.4f}")
single_train, single_val = (single_history.history[k][-1] for k in ("accuracy", "val_accuracy"))
print(f"after epoch 30: training accuracy {single_train:.2%}, validation {single_val:.2%}")
RESULTS["single_layer_test_accuracy"] = single_score[1]

# %% [markdown]
# One layer gets 92.73% of the test digits right. Validation accuracy levels off after about ten
# epochs, and training accuracy ends just above it: little overfitting, but the known limit of a
# linear model (convex class regions).
#
# # Assignment
#
# ## Problem 1: a good ReLU network for XOR
#
# > Utilize the methods learned in the tutorial above to train a *good* multilayer network with
# > ReLU hidden units to solve the XOR problem. You should: visualize the final decision boundary
# > using the methods above, show clear evidence of learning in your loss graph, and `evaluate()`
# > the final performance of the network on the 4 patterns (should achieve 100% accuracy).

# %% [markdown] tags=["answer"]
# **Answer.** A 2-16-1 network: 16 ReLU hidden units with He-normal weights and biases started
# at 0.1, one sigmoid output, BCE, Adam at learning rate 0.01, and 300 full-batch epochs. It gets
# all 4 patterns right, and its loss falls from 1.16 to 0.0024. It learned XOR from 1,000 of 1,000
# starts (NumPy replica of Keras's updates; Evidence, section 3).

# %% tags=["solution"]
p1_model = keras.Sequential(
    [
        keras.Input(shape=(2,)),
        keras.layers.Dense(
            16,
            activation="relu",
            kernel_initializer="he_normal",
            bias_initializer=keras.initializers.Constant(0.1),
        ),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
p1_model.compile(
    loss=keras.losses.BinaryCrossentropy(),
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
p1_model.summary()
xor_full_batch = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4)
p1_history = p1_model.fit(xor_full_batch, epochs=300, shuffle=False, verbose=0)

# %% tags=["solution"]
plot_history(p1_history, "Problem 1, ReLU 2-16-1", save="p1_history")
plot_boundary(p1_model, "Problem 1, ReLU 2-16-1", save="p1_boundary")
p1_loss, p1_accuracy = p1_model.evaluate(X, Y, verbose=0)
print(f"Loss: {p1_loss:.4f}   Accuracy: {p1_accuracy:.2f}")

# %% tags=["solution"]
p1_losses = p1_history.history["loss"]
print(f"training loss: {p1_losses[0]:.2f} in epoch 1, {p1_losses[-1]:.4f} in epoch 300")
assert p1_accuracy == 1.0, f"Problem 1 net gets {p1_accuracy:.0%} of XOR, not 100%"
RESULTS["p1"] = {
    "accuracy": p1_accuracy,
    "loss_first": p1_losses[0],
    "loss_last": p1_losses[-1],
}

# %% tags=["evidence"]
p1_evidence = EVIDENCE["p1"]
low, high = p1_evidence["ci95"]
print(
    f"Evidence, section 3: this recipe learned XOR from {p1_evidence['solved']:,} of "
    f"{p1_evidence['starts']:,} random starts (95% interval {low:.1%} to {high:.1%})"
)

# %% [markdown]
# ## Problem 2: why those choices work
#
# > Describe *in detail* what selections in terms of network architecture, optimizer,
# > hyperparameters, etc. that you made to allow the network in Problem 1 to succeed, and *explain
# > why* those selections fixed the problems with the approach used in the tutorial above.

# %% [markdown] tags=["answer"]
# **Answer.** **More hidden units is the fix.** At 2 units Problem 1's recipe learned XOR from 56 of
# 200 starts and the tutorial's from 57: no detectable gain from the other changes there; with 16
# units the tutorial's own recipe learned it from 200 of 200 (Evidence, sections 3-4).
#
# - **Why width helps, in part:** a pattern on which every ReLU unit outputs 0, with slope 0
#   (*all-off*), sends no gradient to the hidden layer; with $w$ units a pattern is all-off with
#   probability about $2^{-w}$. 131 of 200 two-unit starts had one, and they failed more often
#   (105 of 131); 16-unit starts had none. Only in part: 39 of the 69 starts without one failed
#   too, and nearly all failures end on a hidden code shared by patterns of opposite class
#   (Problem 4).
# - **Adam at 0.01 for 300 full-batch epochs: a speed-up, not a fix.** At 4 units Nadam at 0.001
#   learned XOR from 52 of 200 starts (159 with 10 times the epochs), Adam at 0.01 from 158, SGD
#   at 0.1 from 167.
# - **Biases of 0.1** help a little (149 with 0); **He-normal weights** were not shown to help
#   (169 with Glorot).

# %% tags=["evidence"]
p2_evidence = EVIDENCE["p2"]
print("Evidence, section 4: the Problem 1 recipe at each width, 200 starts each")
for w, row in p2_evidence["width"].items():
    print(
        f"  {w:>2} units: starts with an all-off pattern {row['all_off']:>3} "
        f"(calculated {row['all_off_exact']:.0f}); learned XOR {row['solved']}"
    )
print(
    f"the tutorial's ReLU recipe: {p2_evidence['tutorial_2']} of 200 with 2 units, "
    f"{p2_evidence['tutorial_16']} with 16"
)
print("4 units, one change at a time from Problem 1's recipe: learned XOR, of 200 starts")
for change, row in p2_evidence["ablation"].items():
    holm = f"   (Holm-adjusted p {row['holm_p']:.2g})" if "holm_p" in row else ""
    print(f"  {change:38s}{row['solved'][0]:>4}{holm}")
print(f"  {'Nadam 0.001 with 3000 epochs':38s}{p2_evidence['nadam_3000_epochs'][0]:>4}")
lift = p2_evidence["intervention"]
with_pattern, without = lift["starts_changed"], 200 - lift["starts_changed"]
learned = p2_evidence["width"]["2"]["solved"] - lift["solved_as_drawn"]
print(
    f"2 units: failed, of the {with_pattern} starts with an all-off pattern "
    f"{with_pattern - lift['solved_as_drawn']}; of the {without} without {without - learned}"
)

# %% [markdown]
# ## Problem 3: the smallest ReLU network that solves XOR
#
# > Shrink down the size of your network from problem 1 to find the *smallest* network of ReLU
# > units that you can create which still solves the XOR problem correctly (100% accuracy). You
# > should: visualize the final decision boundary using the methods above, show clear evidence of
# > learning in your loss graph, and `evaluate()` the final performance of the network on the 4
# > patterns (should achieve 100% accuracy).

# %% [markdown] tags=["answer"]
# **Answer.** **2-2-1**: two ReLU hidden units, 9 parameters. In a plain layered net one hidden
# unit cannot work, nor a stack of one-unit layers: the output is then a monotone function of one
# weighted sum $s = w_1 x_1 + w_2 x_2 + b$, and XOR would need $s(-1,1)$ and $s(1,-1)$ above a
# threshold (their mean is $b$) while $s(-1,-1)$ and $s(1,1)$ are below it (their mean is also
# $b$). Two units can: $h_1 = \mathrm{relu}(x_1 + x_2)$, $h_2 = \mathrm{relu}(-x_1 - x_2)$ and the
# logit $2 - 4(h_1 + h_2)$. Training finds it from some starts only, so the cell below restarts
# `fit`: start 6 here. Outside plain layers, one unit suffices if the inputs also feed the output
# (a skip connection: 7 parameters, trained from 193 of 200 starts; Evidence, section 5).

# %% tags=["solution"]
for p3_start in range(1, 51):  # the recipe learns XOR from about 3 starts in 10 (Evidence, sec. 5)
    keras.utils.set_random_seed(SEED + p3_start)
    p3_model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(
                2,
                activation="relu",
                kernel_initializer="he_normal",
                bias_initializer=keras.initializers.Constant(0.1),
            ),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    p3_model.compile(
        loss=keras.losses.BinaryCrossentropy(),
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
    )
    p3_history = p3_model.fit(xor_full_batch, epochs=300, shuffle=False, verbose=0)
    if p3_model.evaluate(X, Y, verbose=0)[1] == 1.0:
        break
print(f"start {p3_start} learned XOR, after {p3_start - 1} failed starts")

# %% tags=["solution"]
plot_history(p3_history, "Problem 3, ReLU 2-2-1", save="p3_history")
plot_boundary(p3_model, "Problem 3, ReLU 2-2-1", save="p3_boundary")
p3_loss, p3_accuracy = p3_model.evaluate(X, Y, verbose=0)
print(f"Loss: {p3_loss:.4f}   Accuracy: {p3_accuracy:.2f}")

# %% tags=["solution"]
p3_hidden = p3_model.layers[0].units
print(f"{p3_hidden} hidden units, {p3_model.count_params()} parameters")
assert p3_accuracy == 1.0, f"Problem 3 net gets {p3_accuracy:.0%} of XOR, not 100%"
assert p3_hidden == 2 and p3_model.count_params() == 9, "the answer names a 2-2-1 net"
RESULTS["p3"] = {"accuracy": p3_accuracy, "start": p3_start, "params": p3_model.count_params()}

# %% tags=["evidence"]
p3_evidence = EVIDENCE["p3"]
print(
    f"Evidence, section 5: random 2-1-1 ReLU nets that solve XOR: "
    f"{p3_evidence['one_unit_random_solutions']} of {p3_evidence['one_unit_random_nets']:,}"
)
print(
    "the Problem 1 recipe, 200 starts per size: "
    + ", ".join(f"{size} learned XOR from {k}" for size, k in p3_evidence["sizes"].items())
)
print(
    f"2-1-1 with a skip connection from inputs to output ({p3_evidence['skip_params']} "
    f"parameters): learned XOR from {p3_evidence['skip'][0]} of {p3_evidence['skip'][1]}"
)

# %% [markdown]
# ## Problem 4: does ReLU make networks larger or smaller?
#
# > Given your experiences in Problem 3, describe *why* the choice of using the ReLU activation
# > function for hidden units might make your networks larger/smaller in size. *Utilize* the
# > results from Problem 3 and anything learned in the tutorial above to justify your claims
# > (describe the *exact* evidence which supports your answer).

# %% [markdown] tags=["answer"]
# **Answer.** **Larger in practice (plain layered nets, this recipe), not in principle.**
#
# - *Not in principle:* two hidden units solve XOR with tanh (Tutorial 4) and ReLU (Problem 3).
# - *Larger in practice:* from the same starts under Problem 1's recipe, ReLU learned XOR less
#   often than tanh at every width from 2 to 5 (at 2 units: 56 against 107 of 200 starts),
#   significantly at each (exact McNemar, Holm-corrected). ReLU first learned from 99% of starts
#   at 7 units, tanh at 5.
# - *Why:* a ReLU unit is exactly 0, with slope 0, on a half-plane, so patterns of opposite class
#   can land on one identical hidden code (all zeros, say) that no output weights can split. Nearly
#   all failed runs end on a shared code: 266 of 268 ReLU runs exactly (within 0.001), 119 of 129
#   tanh runs nearly (within 0.05), which training fails to split. ReLU's zeros put some runs there
#   from the start: 76 of its failures began within 0.05 of one, none of tanh's. That covers at most
#   76 of its 139 extra failures; the rest arose in training, for reasons not found (Evidence,
#   section 6).

# %% tags=["evidence"]
p4_evidence = EVIDENCE["p4"]
print("Evidence, section 6: learned XOR, of 200 starts (the same starts for both activations)")
print("width   ReLU   tanh   Holm-adjusted McNemar p")
for w, row in p4_evidence["width"].items():
    print(f"{w:>5} {row['relu']:>6} {row['tanh']:>6}   {row['holm_p']:.2g}")
relu_fail, tanh_fail = p4_evidence["failures"]["relu"], p4_evidence["failures"]["tanh"]
print(
    "failed runs at widths 2-4 that end with opposite-class patterns on one hidden code: ReLU "
    f"{relu_fail['by_threshold']['0.001'][0]} of {relu_fail['failed']} exactly (within 0.001), "
    f"tanh {tanh_fail['shared_code_end']} of {tanh_fail['failed']} within 0.05"
)
first_99 = p4_evidence["first_99"]
print(f"first width at 99% of starts: ReLU {first_99['relu']}, tanh {first_99['tanh']}")

# %% [markdown]
# ## Problem 5: a tanh multilayer network on MNIST
#
# > Utilize the methods learned in the tutorial above to train a *good* multilayer network using
# > *Hyperbolic Tangent* units for the MNIST data set (>98% accuracy on the test data). Be sure
# > to: generate a plot of the training history that shows improvement in the *validation
# > accuracy* (starts low and grows high, and don't go below a 20% validation split), and also
# > `evaluate()` the performance on the *testing* data set as shown above showing it is performing
# > above the desired threshold.

# %% [markdown] tags=["answer"]
# **Answer.** A 784-512-512-10 network of tanh units, 10 epochs of batch 256,
# `validation_split=0.2`. Beyond the tutorial: dropout 0.1 after each hidden layer, Adam at 0.001
# decayed to 0 along a cosine, pixels **standardised**, and each training image **shifted** by up to
# 2 pixels at random. Validation accuracy rises from 8.97% before training to 95.12% after epoch 1
# and 98.36% after epoch 10; test accuracy is **98.50%**. The training curve lies below validation
# because Keras averages each epoch's training accuracy while the weights improve, and dropout and
# shifts act only in training (with both off, training rows score 98.80%). Without standardisation,
# shifts and the cosine schedule the same net, untuned, reached 97.56% and 97.58% on validation
# under two seeds (Evidence, section 7; a tuned plain net was not tried). Test accuracy was watched
# while the recipe was developed, so 98.50% may be optimistic; validation accuracy clears 98% in all
# 4 seeds (lowest 98.18%; Evidence, section 7).

# %% tags=["solution"]
EPOCHS, BATCH, VALIDATION_SPLIT, DROPOUT = 10, 256, 0.2, 0.1
n_fit = int(len(x_train) * (1 - VALIDATION_SPLIT))  # fit trains on the first 48,000 rows
pixel_mean, pixel_std = x_train[:n_fit].mean(), x_train[:n_fit].std()


# %% tags=["solution"]
def mlp(activation):  # the network of Problems 5 and 6
    net = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            models.RandomIntegerShift(2),  # training only: move each digit up to 2 pixels
            keras.layers.Rescaling(1 / pixel_std, offset=-pixel_mean / pixel_std),  # standardise
            keras.layers.Dense(512, activation=activation),
            keras.layers.Dropout(DROPOUT),
            keras.layers.Dense(512, activation=activation),
            keras.layers.Dropout(DROPOUT),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )
    steps = EPOCHS * int(np.ceil(n_fit / BATCH))
    adam = keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps))  # to 0
    # optimizer, loss; 32 batches per call into TensorFlow (the same updates, faster)
    net.compile(adam, "categorical_crossentropy", metrics=["accuracy"], steps_per_execution=32)
    return net


# %% tags=["solution"]
keras.utils.set_random_seed(SEED)
tanh_model = mlp("tanh")
tanh_before = tanh_model.evaluate(x_train[n_fit:], y_train[n_fit:], verbose=0)  # for epoch 0
tanh_history = tanh_model.fit(
    x_train, y_train, batch_size=BATCH, epochs=EPOCHS, validation_split=VALIDATION_SPLIT, verbose=0
)
plot_history(tanh_history, "Problem 5, tanh MLP", save="p5_tanh_history", before=tanh_before)

# %% tags=["solution"]
tanh_score = tanh_model.evaluate(x_test, y_test, verbose=0)
print(f"Test loss: {tanh_score[0]:.4f}   Test accuracy: {tanh_score[1]:.4f}")

# %% tags=["solution"]
tanh_val = tanh_history.history["val_accuracy"]
tanh_train = tanh_model.evaluate(x_train[:n_fit], y_train[:n_fit], verbose=0)[1]
print(
    f"validation accuracy: {tanh_before[1]:.2%} before training, {tanh_val[0]:.2%} after "
    f"epoch 1, {tanh_val[-1]:.2%} after epoch {EPOCHS}; training rows after epoch {EPOCHS}, "
    f"dropout and shifts off: {tanh_train:.2%}"
)
assert VALIDATION_SPLIT >= 0.2, f"validation split {VALIDATION_SPLIT} is below 0.2"
assert tanh_score[1] > 0.98, f"tanh test accuracy {tanh_score[1]:.4f} is not above 0.98"
RESULTS["tanh"] = {
    "test_accuracy": tanh_score[1],
    "train_accuracy_end": tanh_train,
    "val_before": tanh_before[1],
    "val_accuracy": tanh_val,
}
tanh_model.summary()  # the network of Problems 5 and 6 ("Total params" includes Adam's state)

# %% tags=["evidence"]
plain = EVIDENCE["mnist"]["baseline"]["final_val_accuracy"]
print(
    "Evidence, section 7: the same net without standardisation, shifts and the cosine schedule, "
    "final validation accuracy under 2 seeds: "
    + "; ".join(f"{a} " + ", ".join(f"{v:.2f}%" for v in vals) for a, vals in plain.items())
)
final_val = {a: [h[-1] for h in v] for a, v in EVIDENCE["mnist"]["val_accuracy"].items()}
print(
    f"the recipe, final validation accuracy under seeds {EVIDENCE['mnist']['seeds']}: "
    + "; ".join(f"{a} " + ", ".join(f"{v:.2%}" for v in vals) for a, vals in final_val.items())
)

# %% [markdown]
# ## Problem 6: a ReLU multilayer network on MNIST
#
# > Utilize the methods learned in the tutorial above to train a *good* multilayer network using
# > *ReLU* units for the MNIST data set (>98% accuracy). Be sure to: generate a plot of the
# > training history that shows improvement in the *validation accuracy* (starts low and grows
# > high, and don't go below a 20% validation split), and also `evaluate()` the performance on the
# > *testing* data set as shown above showing it is performing above the desired threshold.

# %% [markdown] tags=["answer"]
# **Answer.** The same network, data and training as Problem 5 with `activation="relu"`, so
# Problem 7 compares only the activations. Validation accuracy rises from 10.42% before training
# to 95.17% after epoch 1 and 98.53% after epoch 10; test accuracy is **98.64%**. Evidence,
# section 7 repeated this seed and reproduced both nets' test accuracies to the digit.

# %% tags=["solution"]
keras.utils.set_random_seed(SEED)  # the same seed as Problem 5
relu_model = mlp("relu")
relu_before = relu_model.evaluate(x_train[n_fit:], y_train[n_fit:], verbose=0)
relu_history = relu_model.fit(
    x_train, y_train, batch_size=BATCH, epochs=EPOCHS, validation_split=VALIDATION_SPLIT, verbose=0
)
plot_history(relu_history, "Problem 6, ReLU MLP", save="p6_relu_history", before=relu_before)

# %% tags=["solution"]
relu_score = relu_model.evaluate(x_test, y_test, verbose=0)
print(f"Test loss: {relu_score[0]:.4f}   Test accuracy: {relu_score[1]:.4f}")

# %% tags=["solution"]
relu_val = relu_history.history["val_accuracy"]
print(
    f"validation accuracy: {relu_before[1]:.2%} before training, {relu_val[0]:.2%} after "
    f"epoch 1, {relu_val[-1]:.2%} after epoch {EPOCHS}"
)
assert VALIDATION_SPLIT >= 0.2, f"validation split {VALIDATION_SPLIT} is below 0.2"
assert relu_score[1] > 0.98, f"ReLU test accuracy {relu_score[1]:.4f} is not above 0.98"
RESULTS["relu"] = {
    "test_accuracy": relu_score[1],
    "val_before": relu_before[1],
    "val_accuracy": relu_val,
}

# %% tags=["evidence"]
seed_run = {act: EVIDENCE["mnist"]["test_accuracy"][act][0] for act in ("tanh", "relu")}
print(
    f"Evidence, section 7, seed {EVIDENCE['mnist']['seeds'][0]}: test accuracy tanh "
    f"{seed_run['tanh']:.2%}, ReLU {seed_run['relu']:.2%}"
)

# %% [markdown]
# ## Problem 7: how do the tanh and ReLU nets differ, and why?
#
# > Describe any observed differences in the learning curves or final results obtained from
# > Problems 5 and 6, and *explain why* you think those differences have occurred.

# %% [markdown] tags=["answer"]
# **Answer.** **ReLU stayed slightly ahead; why is not settled.**
#
# - *The curves:* in this run ReLU is ahead on validation after every epoch, most after epochs 2
#   and 3 (by 0.61 and 0.74 points), then 0.07 to 0.17 points; over 4 seeds, 0.61 points after
#   epoch 1, 0.22 at the end.
# - *Test:* 98.64% against 98.50%; 61 digits only ReLU gets right, 47 only tanh (exact McNemar p
#   = 0.21).
# - *Why:* the standard account (Glorot et al. 2011): tanh's slope, $1 - a^2$, is below 1 and near
#   0 when saturated; an active ReLU unit's is 1. Under Adam tanh's backward signal does fall
#   below ReLU's (4-seed mean, from epoch 0.17), but Adam sets its own step sizes; under plain SGD
#   the raw signals were about equal while ReLU still led after epoch 1, which does not support
#   the account, nor exclude it (Evidence, section 7).
# - *Is ReLU better?* Slightly, at this one shared setting: ahead in 4 of 4 seeds, by 0.16 points
#   on test (95% interval +0.03 to +0.29, test accuracy alone, leaning on the spread of 4 seeds),
#   one learning rate for both, test accuracy seen in development.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
for name, h in [("tanh", tanh_history), ("relu", relu_history)]:
    style = plots.ACTIVATION_STYLE[name]
    for ax, metric in zip(axes, ["val_accuracy", "val_loss"]):
        ax.plot(
            np.arange(1, EPOCHS + 1),
            h.history[metric],
            label=name,
            color=style["color"],
            ls=style["ls"],
            marker=style["marker"],
            ms=3,
        )
        ax.set(xlabel="epoch", ylabel=metric.replace("_", " "))
axes[0].set(ylim=(0.95, 0.992), title=f"validation accuracy (axis from 95%), seed {SEED}, one run")
axes[0].yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
axes[1].set(title=f"validation loss, seed {SEED}, one run")
for ax in axes:
    ax.grid(alpha=0.3)
    ax.legend()
show(
    fig,
    "validation accuracy and loss per epoch of the Problem 5 tanh net (purple) and the "
    "Problem 6 ReLU net (green)",
    save="p7_curves",
)

# %%
tanh_right = tanh_model.predict(x_test, verbose=0).argmax(1) == y_test.argmax(1)
relu_right = relu_model.predict(x_test, verbose=0).argmax(1) == y_test.argmax(1)
only_relu, only_tanh = int((relu_right & ~tanh_right).sum()), int((tanh_right & ~relu_right).sum())
mcnemar_p = scipy.stats.binomtest(only_relu, only_relu + only_tanh).pvalue  # exact McNemar
print(
    f"test digits only ReLU gets right: {only_relu}, only tanh: {only_tanh}; exact McNemar "
    f"p = {mcnemar_p:.2g}"
)
RESULTS["p7"] = {"relu_only": only_relu, "tanh_only": only_tanh, "mcnemar_p": mcnemar_p}

# %% tags=["evidence"]
p7_evidence = EVIDENCE["mnist"]
test_row = p7_evidence["paired"]["test accuracy (points)"]
both = p7_evidence["test_accuracy_both_sources"]
print(
    f"Evidence, section 7, seeds {p7_evidence['seeds']}: test accuracy, ReLU - tanh "
    f"{test_row['mean']:+.2f} points (> 0 in {test_row['wins']} of {test_row['n']} seeds); 95% "
    f"interval counting seed and test-set sampling {both['ci95'][0]:+.2f} to {both['ci95'][1]:+.2f}"
)
probe = p7_evidence["probe"]
print(
    "  layer-1 backward signal, tanh / ReLU: at the start calculated "
    f"{probe['delta_ratio_start']['calculated'][0]:.2f}, measured "
    f"{probe['delta_ratio_start']['measured'][0]:.2f}; in the 4-seed mean below 1 from epoch "
    f"{probe['delta_ratio_epoch1_mean']['1']['below_1_from_epoch']:.2f} on"
)

# %% [markdown]
# ## The lab's open questions: wider or deeper, and does ReLU really help?
#
# > In particular, we will try to explore the wider vs. deeper issue, and see if ReLU really helps.

# %% [markdown] tags=["answer"]
# **Answer.**
#
# - **Wider or deeper: no best depth established.** At a fixed budget of about 100,000 weights,
#   depth (1 to 8 plain hidden layers) moved validation accuracy by up to 0.50 points in
#   each of four arms; 2 or 4 layers had the best mean in every arm, but 3 seeds do not establish
#   it (Evidence, section 8). 8 layers always reached a lower training loss than 1.
# - **Does ReLU help?** On MNIST slightly, at one shared setting (Problem 7); with equal widths
#   and Glorot weights its mean led tanh's at every depth of the depth study (not tested), but
#   without the recipe's extras it trailed tanh under one of two seeds (Evidence, section 7). On
#   XOR it makes small plain nets harder to train under this recipe (Problem 4).

# %% tags=["evidence"]
open_evidence = EVIDENCE["wider_deeper"]
print(
    f"Evidence, section 8: nets of about {open_evidence['budget']:,} weights in all; "
    f"validation accuracy at the end of training, mean of {open_evidence['seeds']} seeds; "
    "training loss, 8 layers - 1, per seed"
)
for arm, row in open_evidence["mean_val_accuracy"].items():
    loss_gap = open_evidence["depth_1_minus_8"][arm]["train_loss_8_minus_1"]
    spread = max(row.values()) - min(row.values())
    print(
        f"  {arm:24s}"
        + "  ".join(f"{d}: {v:.2%}" for d, v in row.items())
        + f"  (spread {100 * spread:.2f})  "
        + ", ".join(f"{v:+.3f}" for v in loss_gap)
    )
pairs = open_evidence["all_pairs"]
below = [v for v in pairs if v["holm_t_p"] < 0.05]
print(f"pairs of depths below 5% after Holm's adjustment: {len(below)} of {len(pairs)}")
for v in below:
    print(
        f"  {v['arm']}: {v['depths'][1]} layers - {v['depths'][0]} "
        f"{v['deeper_minus_shallower']:+.2f} points, adjusted p {v['holm_t_p']:.2g}"
    )

# %% tags=["remove_input"]
(OUTPUT_DIR / "results.json").write_text(
    json.dumps(RESULTS, indent=2, default=float), encoding="utf-8"
)
print("this run's numbers are in", (OUTPUT_DIR / "results.json").name)
