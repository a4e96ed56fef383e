"""Backpropagation from scratch: sympy derives, numpy evaluates.

Imports numpy and sympy only (never TensorFlow), so the math can be read and
tested on its own and laid beside the lecture's equations.

Vocabulary (the lecture's): a layer's *net input* is ``a_prev @ W + b``; its
*activation* is ``g(net)``; a *delta* is dE/d(net); ``eta`` is the learning
rate. Weights come in Keras ``get_weights()`` order ``[W1, b1, W2, b2, ...]``.

Every function also accepts a leading *batch-of-networks* axis on the weights
(``W`` shaped ``(S, fan_in, fan_out)``, ``b`` shaped ``(S, fan_out)``), which is
how ``helpers.xor`` trains hundreds of seeds at once with the same code.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from . import checks

x, y = sp.symbols("x y", real=True)

#: Activation functions as sympy expressions of the net input ``x``.
#: tanh is written the lecture's way, (e^{2x}-1)/(e^{2x}+1); the numeric form
#: lambdifies sp.tanh, which is the same function (``TANH_IDENTITY`` checks it)
#: but does not overflow for large |x|.
ACTIVATION_EXPRS = {
    "tanh": sp.tanh(x),
    "sigmoid": 1 / (1 + sp.exp(-x)),
    # Piecewise, not Max: its derivative is 0 at x = 0, as TensorFlow's is.
    "relu": sp.Piecewise((0, x <= 0), (x, True)),
    "linear": x,
}
LECTURE_TANH = (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)
TANH_IDENTITY = sp.simplify(LECTURE_TANH - sp.tanh(x).rewrite(sp.exp)) == 0

#: Binary cross-entropy of target ``y`` and output activation ``x``, and dE/da.
BCE_EXPR = -(y * sp.log(x) + (1 - y) * sp.log(1 - x))
DBCE_EXPR = sp.diff(BCE_EXPR, x)

#: The output delta for a sigmoid unit under BCE, dE/da * da/dnet: sympy
#: reduces the chain-rule product to sigmoid(net) - y (asserted below), which
#: is finite even where the product would divide 0 by 0 (a saturated output).
OUTPUT_DELTA_EXPR = sp.simplify(
    DBCE_EXPR.subs(x, ACTIVATION_EXPRS["sigmoid"]) * sp.diff(ACTIVATION_EXPRS["sigmoid"], x)
)
assert sp.simplify(OUTPUT_DELTA_EXPR - (ACTIVATION_EXPRS["sigmoid"] - y)) == 0


def _vectorize(expr, args):
    """Lambdify ``expr``; the result keeps the input's shape and float dtype."""
    f = sp.lambdify(args, expr, "numpy")

    def fn(*values):
        arrays = [np.asarray(v) for v in values]
        dtype = np.result_type(*[a.dtype for a in arrays], np.float32)
        arrays = [a.astype(dtype, copy=False) for a in arrays]
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            out = f(*arrays)
        return np.broadcast_to(
            np.asarray(out, dtype=dtype), np.broadcast_shapes(*[a.shape for a in arrays])
        ).copy()

    fn.expr = expr
    return fn


#: First derivatives, by sympy. The sigmoid's raw derivative e^{-x}/(1+e^{-x})^2
#: is inf/inf for very negative x, so it is evaluated in the lecture's form
#: sigma(x)(1 - sigma(x)), which sympy confirms is the same function.
DERIVATIVE_EXPRS = {name: sp.diff(e, x) for name, e in ACTIVATION_EXPRS.items()}
_sig = ACTIVATION_EXPRS["sigmoid"]
assert sp.simplify(DERIVATIVE_EXPRS["sigmoid"] - _sig * (1 - _sig)) == 0
DERIVATIVE_EXPRS["sigmoid"] = _sig * (1 - _sig)

ACTIVATIONS = {name: _vectorize(e, x) for name, e in ACTIVATION_EXPRS.items()}
DERIVATIVES = {name: _vectorize(e, x) for name, e in DERIVATIVE_EXPRS.items()}
bce = _vectorize(BCE_EXPR, (y, x))  # bce(targets, outputs), elementwise
dbce = _vectorize(DBCE_EXPR, (y, x))  # dE/da, elementwise
sigmoid_bce_delta = _vectorize(ACTIVATION_EXPRS["sigmoid"] - y, (y, x))  # (targets, net inputs)


def param_count(sizes, skip_inputs=0) -> int:
    """Weights plus biases of a dense stack with layer sizes ``[in, h1, ..., out]``
    (``skip_inputs`` extra inputs wired straight into the last layer)."""
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])) + skip_inputs * sizes[-1]


def _check(weights, activations, X=None, skip=False):
    if len(weights) != 2 * len(activations):
        raise ValueError(
            f"{len(weights)} weight arrays for {len(activations)} activations: "
            "expected [W1, b1, W2, b2, ...], one W and one b per activation name"
        )
    for name in activations:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}: use one of {sorted(ACTIVATIONS)}")
    n_in = None if X is None else np.shape(X)[-1]
    fan_in = n_in
    n_layers = len(activations)
    for layer, (W, b) in enumerate(zip(weights[::2], weights[1::2]), start=1):
        W, b = np.asarray(W), np.asarray(b)
        if skip and layer == n_layers and fan_in is not None and n_in is not None:
            fan_in = fan_in + n_in  # the output layer also sees the inputs
        if W.ndim < 2 or b.shape[-1:] != W.shape[-1:]:
            raise ValueError(
                f"layer {layer}: W shape {W.shape} and b shape {b.shape} do not fit (b needs W's "
                "last dim)"
            )
        if fan_in is not None and W.shape[-2] != fan_in:
            what = "X has" if layer == 1 else f"layer {layer - 1} gives"
            raise ValueError(
                f"layer {layer}: W shape {W.shape} expects {W.shape[-2]} inputs but {what} {fan_in}"
            )
        fan_in = W.shape[-1]


def _with_inputs(a, X):
    """``[a, X]`` side by side (Keras ``Concatenate([hidden, inputs])``), X broadcast to a's
    batch."""
    X = np.asarray(X, dtype=a.dtype)
    return np.concatenate([a, np.broadcast_to(X, a.shape[:-1] + X.shape[-1:])], axis=-1)


def forward(weights, activations, X, skip=False):
    """Each layer's ``(net_input, activation)`` in order, for inputs ``X`` (N, d).

    ``skip=True``: the output layer sees the inputs as well as the last hidden
    layer (a skip connection); its W then has ``hidden + d`` rows, hidden first.
    """
    _check(weights, activations, X, skip)
    a = np.asarray(X)
    layers = []
    last = len(activations) - 1
    for i, (W, b, name) in enumerate(zip(weights[::2], weights[1::2], activations)):
        W, b = np.asarray(W), np.asarray(b)
        if skip and i == last:
            a = _with_inputs(a, X)
        net = np.matmul(a, W) + b[..., None, :]
        a = ACTIVATIONS[name](net)
        layers.append((net, a))
    return layers


def _targets(Y, outputs):
    """Targets as (..., N, 1) in the outputs' dtype; a single sigmoid output unit."""
    Y = np.asarray(Y)
    n = outputs.shape[-2]
    if Y.shape[-1:] == (n,) and (Y.ndim == 1 or Y.shape[-2:] != (n, 1)):
        Y = Y[..., None]
    if Y.shape[-2:] != (n, 1) or outputs.shape[-1] != 1:
        raise ValueError(
            f"targets of shape {Y.shape} for outputs {outputs.shape[-2:]}: "
            "expected one sigmoid output unit and Y shaped (N,) or (N, 1)"
        )
    return Y.astype(outputs.dtype)


def _mean_bce(Y, out):
    """Mean BCE with outputs clipped to [1e-7, 1 - 1e-7], as Keras does for probabilities."""
    eps = 1e-7
    return bce(Y, np.clip(out, eps, 1 - eps)).mean(axis=(-2, -1))


def loss(weights, activations, X, Y, skip=False):
    """Mean binary cross-entropy of the network's output (per network if batched)."""
    out = forward(weights, activations, X, skip)[-1][1]
    return _mean_bce(_targets(Y, out), out)


def gradients(weights, activations, X, Y, return_loss=False, skip=False):
    """dE/dw for every array in ``weights``, E the mean BCE over the N patterns.

    With ``return_loss=True`` also returns E (computed on the same forward pass).
    """
    _check(weights, activations, X, skip)
    if activations and activations[-1] != "sigmoid":
        raise ValueError(
            f"output activation is {activations[-1]!r}: the BCE gradient here needs a 'sigmoid' "
            "output"
        )
    layers = forward(weights, activations, X, skip)
    net, out = layers[-1]
    Y = _targets(Y, out)
    n = out.shape[-2]
    delta = sigmoid_bce_delta(Y, net)  # output deltas, (N, 1) per network
    grads = [None] * len(weights)
    last = len(activations) - 1
    for layer in range(last, -1, -1):
        a_prev = np.asarray(X, dtype=delta.dtype) if layer == 0 else layers[layer - 1][1]
        if skip and layer == last:
            a_prev = _with_inputs(a_prev, X)
        grads[2 * layer] = np.matmul(np.swapaxes(a_prev, -1, -2), delta) / n
        grads[2 * layer + 1] = delta.sum(axis=-2) / n
        if layer:  # deltas one layer down: weighted sum back through W, times g'(net)
            W = np.asarray(weights[2 * layer])
            if skip and layer == last:
                W = W[..., : layers[layer - 1][1].shape[-1], :]  # the rows fed by hidden units
            delta = np.matmul(delta, np.swapaxes(W, -1, -2)) * DERIVATIVES[activations[layer - 1]](
                layers[layer - 1][0]
            )
    return (grads, _mean_bce(Y, out)) if return_loss else grads


def sgd_step(weights, activations, X, Y, eta, skip=False):
    """New weights after one full-batch gradient-descent step with learning rate ``eta``.

    Equals Keras ``fit(X, Y, batch_size=len(X), epochs=1, shuffle=False)`` with
    ``SGD(learning_rate=eta)`` and binary cross-entropy. ``eta`` must be finite and > 0 (a NaN would
    turn every weight NaN): else a one-line ``ValueError``. It is used as given (a float32 stays
    float32).
    """
    checks.positive("eta", eta)
    return [
        np.asarray(w) - eta * g
        for w, g in zip(weights, gradients(weights, activations, X, Y, skip=skip))
    ]
