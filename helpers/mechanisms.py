"""The field's standard calculations behind the lab's "why" answers, each a prediction the notebook
measures.

* ``all_off_probability``: the chance that a random ReLU layer leaves some input pattern *all-off*
  (every hidden unit off on it), when each unit is off on a pattern with probability 1/2.
* ``lift_all_off``: the intervention that removes all-off patterns from a start without touching
  anything else a pattern sees: raise one hidden bias just enough. ``sham_lift`` is its control:
  the same raises given to the other hidden units, which mostly leaves the all-off patterns.
* ``variance_gain``, ``mean_field_rms_gain`` and ``gain_per_layer``: how the backward signal's size
  changes per layer at initialisation (Glorot and Bengio 2010; He et al. 2015): ``n * Var(w) *
  E[g'(z)^2]`` in variance, with ``z``'s variance carried forward layer by layer where the slope
  term depends on it (tanh; mean-field theory, Poole et al. 2016).
* ``saturated_share``: the share of saturated units in a freshly initialised tanh layer.
"""

from __future__ import annotations

import math

import numpy as np

# Var(w) of Keras's initialisers for a kernel with fan_in rows and fan_out columns.
INIT_VARIANCE = {
    "glorot_uniform": lambda fan_in, fan_out: 2.0 / (fan_in + fan_out),
    "glorot_normal": lambda fan_in, fan_out: 2.0 / (fan_in + fan_out),
    "he_normal": lambda fan_in, fan_out: 2.0 / fan_in,
    "he_uniform": lambda fan_in, fan_out: 2.0 / fan_in,
}
# E[g'(z)^2] for z symmetric around 0, where it does not depend on z's size: ReLU's slope is 1 on
# half the inputs and 0 on the other half. (tanh's depends on Var(z): ``mean_field_rms_gain``.)
SLOPE_SQUARED = {"relu": 0.5, "linear": 1.0}
# Each activation g and its slope g', for the mean-field calculation (ReLU's slope at 0 is 0, as in
# TensorFlow).
ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "linear": (lambda z: z, np.ones_like),
}
# Gauss-Hermite nodes and weights for E[f(z)], z ~ N(0, 1). An even number of nodes, placed
# symmetrically and none at 0, gives ReLU's E[g'(z)^2] = 1/2 and E[g(z)^2] = Var(z)/2 exactly.
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(100)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _whole(name, value, low):
    if isinstance(value, bool) or int(value) != value or value < low:
        raise ValueError(f"{name}={value!r}: give a whole number >= {low}")
    return int(value)


def all_off_probability(width, patterns=4, p_off=0.5):
    """P(at least one of ``patterns`` inputs has all ``width`` ReLU units off), units and patterns
    independent, each unit off on a pattern with probability ``p_off``: ``1 - (1 -
    p_off**width)**patterns``."""
    width, patterns = _whole("width", width, 1), _whole("patterns", patterns, 1)
    if not 0.0 <= p_off <= 1.0:
        raise ValueError(f"p_off={p_off!r}: give a probability in [0, 1]")
    return 1.0 - (1.0 - p_off**width) ** patterns


def _kernel_distribution(kernel, fan_in, fan_out):
    """Keras's kernel initialiser ``kernel`` for a (fan_in, fan_out) kernel, as a scipy
    distribution of one weight."""
    from scipy import stats as sps

    if kernel == "he_normal":  # truncated at 2 sd, the sd rescaled so the variance is 2 / fan_in
        sd = math.sqrt(2.0 / fan_in) / 0.87962566103423978
        return sps.truncnorm(-2.0, 2.0, scale=sd)
    limits = {
        "glorot_uniform": math.sqrt(6.0 / (fan_in + fan_out)),
        "he_uniform": math.sqrt(6.0 / fan_in),
    }
    if kernel not in limits:
        raise ValueError(f"kernel={kernel!r}: use he_normal, glorot_uniform or he_uniform")
    return sps.uniform(-limits[kernel], 2 * limits[kernel])


def all_off_probability_exact(width, kernel="he_normal", bias=0.1):
    """P(some XOR pattern in {-1, 1}^2 is all-off) for a fresh 2-``width`` ReLU layer with Keras's
    ``kernel`` initialiser and constant hidden bias ``bias`` >= 0.

    The four patterns are two antipodal pairs, +-(1, 1) and +-(1, -1). A unit with weights (w1, w2)
    is off on (1, 1) when w1 + w2 + b <= 0 and on (-1, -1) when -(w1 + w2) + b <= 0: with b >= 0 it
    is off on both members of a pair only on a set of probability 0. So the four events "pattern k
    is all-off" are pairwise disjoint within a pair, and by inclusion-exclusion
    ``P = 4 q1**w - 4 q2**w``, with q1 = P(one unit off on (1, 1)) and q2 = P(one unit off on (1, 1)
    and on (1, -1)), both one-dimensional integrals over the weight distribution (units are
    independent). ``all_off_probability`` is the textbook approximation that treats the patterns as
    independent with q1 = 1/2.
    """
    from scipy import integrate

    width = _whole("width", width, 1)
    if not (isinstance(bias, (int, float)) and math.isfinite(bias) and bias >= 0):
        raise ValueError(f"bias={bias!r}: give a finite bias >= 0")
    dist = _kernel_distribution(kernel, 2, width)
    lo, hi = dist.support()
    # off on (1, 1): w1 <= -b - w2;  off on (1, 1) and (1, -1): w1 <= -b - |w2|
    q1 = integrate.quad(lambda w2: dist.pdf(w2) * dist.cdf(-bias - w2), lo, hi, limit=200)[0]
    q2 = integrate.quad(
        lambda w2: dist.pdf(w2) * dist.cdf(-bias - abs(w2)), lo, hi, limit=200, points=[0.0]
    )[0]
    return float(4 * q1**width - 4 * q2**width)


def _raise_closest_unit(weights, X, target):
    """For each net and each all-off pattern of ``X``, raise the bias of the hidden unit with the
    largest net input on that pattern until that net input is at least ``target`` (never lower a
    bias). Returns ``(new_weights, changed)``: ``changed`` (n,) marks nets with an all-off
    pattern."""
    W1, b1 = (np.array(w, dtype=np.float64) for w in weights[:2])
    if W1.ndim != 3 or b1.ndim != 2 or W1.shape[::2] != b1.shape:
        raise ValueError(
            f"weights[0] {W1.shape} and weights[1] {b1.shape}: give (n, d, w) and (n, w) arrays"
        )
    X = np.asarray(X, dtype=np.float64)
    changed = np.zeros(len(W1), dtype=bool)
    for i in range(len(X)):
        net = np.einsum("d,ndw->nw", X[i], W1) + b1  # (n, w)
        off = np.all(net <= 0, axis=-1)
        best = np.argmax(net, axis=-1)
        rows = np.flatnonzero(off)
        b1[rows, best[rows]] += np.maximum(0.0, target - net[rows, best[rows]])
        changed |= off
    new = [w.copy() for w in weights]
    new[1] = b1.astype(np.asarray(weights[1]).dtype)
    return new, changed


def lift_all_off(weights, X, margin=0.1):
    """A copy of a batch of one-hidden-layer ReLU nets in which no pattern of ``X`` is all-off.

    ``weights`` is ``[W1 (n, d, w), b1 (n, w), W2, b2]`` as ``helpers.xor`` uses them. For each net
    and each all-off pattern, the hidden unit with the largest net input on that pattern gets its
    bias raised until that net input is ``margin``. Raising a bias only turns units on, so one pass
    removes every all-off pattern. Returns ``(new_weights, changed)`` with ``changed`` (n,) True for
    nets that were modified.
    """
    if not margin > 0:
        raise ValueError(f"margin={margin!r}: give a positive number")
    return _raise_closest_unit(weights, X, margin)


def near_lift(weights, X, gap=0.1):
    """The same-unit control for ``lift_all_off``: the same unit per all-off pattern is raised, but
    only until its net input is ``-gap`` (a unit already closer to 0 is left alone), so the pattern
    it was raised for stays all-off (another all-off pattern of the same net can end, as under the
    lift). Returns ``(new_weights, changed)`` as ``lift_all_off`` does."""
    if not gap > 0:
        raise ValueError(f"gap={gap!r}: give a positive number")
    return _raise_closest_unit(weights, X, -gap)


def sham_lift(weights, lifted):
    """The control for ``lift_all_off``: each net's bias raises moved one hidden unit along
    (cyclically: unit j's raise goes to unit j + 1), so every net gets the same total raise but
    not on the unit that would end its all-off pattern. Returns new weights."""
    b0 = np.asarray(weights[1], dtype=np.float64)
    b1 = np.asarray(lifted[1], dtype=np.float64)
    if b0.shape != b1.shape or b0.ndim != 2:
        raise ValueError(
            f"biases {b0.shape} and {b1.shape}: give two batches of (n, w) hidden biases"
        )
    new = [w.copy() for w in weights]
    new[1] = (b0 + np.roll(b1 - b0, 1, axis=1)).astype(np.asarray(weights[1]).dtype)
    return new


def variance_gain(fan_in, fan_out, initializer, activation):
    """Per layer, the factor by which the variance of the backward signal (the delta) changes at
    initialisation: ``fan_out * Var(w) * E[g'(z)^2]`` (the delta of a unit sums ``fan_out``
    terms)."""
    if initializer not in INIT_VARIANCE:
        raise ValueError(f"initializer={initializer!r}: use one of {sorted(INIT_VARIANCE)}")
    if activation not in SLOPE_SQUARED:
        raise ValueError(f"activation={activation!r}: use one of {sorted(SLOPE_SQUARED)}")
    fan_in, fan_out = _whole("fan_in", fan_in, 1), _whole("fan_out", fan_out, 1)
    return fan_out * INIT_VARIANCE[initializer](fan_in, fan_out) * SLOPE_SQUARED[activation]


def gain_per_layer(delta_rms):
    """The measured per-layer factor of the delta's RMS size from the deepest hidden layer to the
    first: ``(delta[0] / delta[-1]) ** (1 / (L - 1))`` for ``L`` layers (geometric mean over the
    layers)."""
    d = np.asarray(delta_rms, dtype=float)
    if d.ndim != 1 or len(d) < 2 or not np.all(np.isfinite(d)) or np.any(d <= 0):
        raise ValueError(
            f"delta_rms={delta_rms!r}: give at least 2 positive, finite per-layer values"
        )
    return float((d[0] / d[-1]) ** (1.0 / (len(d) - 1)))


def _normal_mean(f, variance):
    """``E[f(z)]`` for ``z ~ N(0, variance)``, for each entry of ``variance``."""
    sd = np.sqrt(np.asarray(variance, dtype=float))[..., None]
    return f(sd * _NODES) @ _WEIGHTS


def _mean_field(x, hidden, activation, initializer):
    """Checks the arguments; returns ``(slope, var_w, hidden, [q_1, ..., q_L])``: each hidden
    layer's net-input variance per row of ``x``, carried forward from the inputs (mean-field
    theory)."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or len(x) == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"x has shape {x.shape}: give a non-empty, finite 2-D array of inputs")
    hidden = [_whole("hidden width", n, 1) for n in np.atleast_1d(hidden)]
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation={activation!r}: use one of {sorted(ACTIVATIONS)}")
    if initializer not in INIT_VARIANCE:
        raise ValueError(f"initializer={initializer!r}: use one of {sorted(INIT_VARIANCE)}")
    g, slope = ACTIVATIONS[activation]
    var_w = INIT_VARIANCE[initializer]
    qs = [np.sum(x**2, axis=1) * var_w(x.shape[1], hidden[0])]
    for n_in, n_out in zip(hidden, hidden[1:]):
        qs.append(n_in * var_w(n_in, n_out) * _normal_mean(lambda z: g(z) ** 2, qs[-1]))
    return slope, var_w, hidden, qs


def mean_field_rms_gain(x, hidden, activation, initializer="glorot_uniform"):
    """The predicted per-layer factor of the delta's RMS size from the deepest hidden layer to the
    first, at initialisation, for a plain MLP (zero biases, independent weights) with hidden layers
    ``hidden`` whose first layer sees the rows of ``x``: the prediction ``gain_per_layer``
    measures.

    Each row's net-input variance is carried forward (mean-field theory): ``q_1 = |x|^2 Var(w_1)``
    and ``q_{l+1} = n_l Var(w_{l+1}) E[g(z)^2]`` with ``z ~ N(0, q_l)``. A step back from layer
    ``l + 1`` to ``l`` multiplies the delta's variance by ``n_{l+1} Var(w_{l+1}) E[g'(z_l)^2]``
    (``variance_gain`` with the slope term at ``z_l``'s variance), averaged over the rows. Returns
    the geometric mean of the square roots over the ``L - 1`` steps. For ReLU, ``E[g'(z)^2] = 1/2``
    whatever ``q``, so this is ``sqrt(variance_gain(...))``; for tanh it falls as ``q`` grows.
    """
    if len(np.atleast_1d(hidden)) < 2:
        raise ValueError(f"hidden={hidden!r}: give at least 2 hidden layers")
    slope, var_w, hidden, qs = _mean_field(x, hidden, activation, initializer)
    log_gain = 0.0
    for n_in, n_out, q in zip(hidden, hidden[1:], qs):
        step = n_out * var_w(n_in, n_out) * _normal_mean(lambda z: slope(z) ** 2, q)
        log_gain += math.log(float(np.mean(step)))
    return math.exp(log_gain / (2 * (len(hidden) - 1)))


def mean_field_slope_rms(x, hidden, activation, initializer="glorot_uniform"):
    """The predicted RMS slope ``sqrt(E[g'(z_l)^2])`` of each hidden layer at initialisation (the
    mean over the rows of ``x`` inside the root), with ``z_l``'s variance carried forward as in
    ``mean_field_rms_gain``. ReLU gives ``sqrt(1/2)`` at every layer; tanh's depends on the layer's
    net-input variance. A delta at layer ``l`` carries the slopes of layers ``l`` to ``L``."""
    slope, _, _, qs = _mean_field(x, hidden, activation, initializer)
    return [math.sqrt(float(np.mean(_normal_mean(lambda z: slope(z) ** 2, q)))) for q in qs]


def saturated_share(x, fan_out, initializer="glorot_uniform", threshold=0.99):
    """The predicted share of (input, unit) pairs in which a freshly initialised tanh layer is
    *saturated*, ``|tanh(z)| > threshold``, for the rows of ``x`` as its inputs.

    With zero biases and independent weights of variance ``Var(w)``, a unit's net input on input
    ``x`` is close to normal with mean 0 and variance ``|x|^2 Var(w)`` (a sum of many small
    terms), so it is saturated with probability ``erfc(atanh(threshold) / sqrt(2 |x|^2 Var(w)))``;
    the share is the mean of that over the rows of ``x``.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or len(x) == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"x has shape {x.shape}: give a non-empty, finite 2-D array of inputs")
    if not 0 < threshold < 1:
        raise ValueError(f"threshold={threshold!r}: give a number between 0 and 1")
    if initializer not in INIT_VARIANCE:
        raise ValueError(f"initializer={initializer!r}: use one of {sorted(INIT_VARIANCE)}")
    variance = INIT_VARIANCE[initializer](x.shape[1], _whole("fan_out", fan_out, 1))
    sd = np.sqrt(np.sum(x**2, axis=1) * variance)
    from scipy.special import erfc

    with np.errstate(divide="ignore"):  # an all-zero input row has sd 0: never saturated
        z = math.atanh(threshold) / (sd * math.sqrt(2))
    return float(np.mean(erfc(z)))
