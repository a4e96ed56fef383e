"""XOR experiments over many random initialisations at once.

Hundreds of small nets train together: every weight array carries a leading
*network* axis and ``helpers.backprop.gradients`` does the math for all of
them in one pass. The optimizers below repeat Keras 3's update rules line for
line (``keras/src/optimizers/{sgd,adam,nadam}.py``), so a recipe measured here
is the recipe a Keras ``fit`` would run (``tests/test_xor.py`` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import backprop, checks
from .stats import format_rate, wilson  # noqa: F401  (SweepResult.rate and .ci95; re-exported)

#: The kernel initializers ``init_weights`` draws like Keras, and the optimizers ``Optimizer``
#: repeats.
KERNELS = ("glorot_uniform", "he_uniform", "he_normal")
OPTIMIZERS = ("sgd", "adam", "nadam")

#: XOR with inputs in {-1, 1} (no zero inputs) and targets in {0, 1}.
X = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)


def check_hidden(hidden):
    """Raise a one-line ``ValueError`` unless ``hidden`` is a sequence of whole widths >= 1 (``()``:
    no hidden layer)."""
    try:
        widths = tuple(hidden)
    except TypeError:
        raise ValueError(f"hidden={hidden!r}: give a tuple of layer widths, e.g. (2,)") from None
    for w in widths:
        try:
            checks.whole("width", w)
        except ValueError:
            raise ValueError(
                f"hidden={widths}: every width must be a whole number >= 1, got {w!r}"
            ) from None


def layer_sizes(hidden, n_in=2, n_out=1):
    return [n_in, *hidden, n_out]


def n_params(hidden, skip=False):
    """Trainable parameters of a 2-hidden-1 dense net (plus 2 weights for an input->output skip)."""
    check_hidden(hidden)
    return backprop.param_count(layer_sizes(hidden), skip_inputs=2 if skip else 0)


def init_weights(
    hidden, n_nets, rng, kernel="glorot_uniform", bias=0.0, dtype=np.float32, skip=False
):
    """Weights ``[W1, b1, ...]`` for ``n_nets`` nets, drawn like Keras's initializers.

    ``bias`` is the hidden layers' constant bias; the output bias starts at 0.
    ``skip``: the output layer also takes the 2 inputs (2 more rows in its W).
    """
    sizes = layer_sizes(hidden)
    weights = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if skip and i == len(sizes) - 2:
            fan_in += sizes[0]
        shape = (n_nets, fan_in, fan_out)
        if kernel == "glorot_uniform":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            W = rng.uniform(-limit, limit, shape)
        elif kernel == "he_uniform":
            limit = np.sqrt(6.0 / fan_in)
            W = rng.uniform(-limit, limit, shape)
        elif kernel == "he_normal":  # Keras: truncated at 2 sd, sd rescaled by .8796
            sd = np.sqrt(2.0 / fan_in) / 0.87962566103423978
            W = rng.normal(0.0, sd, shape)
            bad = np.abs(W) > 2 * sd
            while bad.any():
                W[bad] = rng.normal(0.0, sd, bad.sum())
                bad = np.abs(W) > 2 * sd
        else:
            raise ValueError(
                f"unknown kernel initializer {kernel!r}: use glorot_uniform, he_uniform or "
                "he_normal"
            )
        is_output = i == len(sizes) - 2
        weights += [
            W.astype(dtype),
            np.full((n_nets, fan_out), 0.0 if is_output else bias, dtype=dtype),
        ]
    return weights


class Optimizer:
    """Keras 3's SGD / Adam / Nadam update, applied to lists of numpy arrays."""

    def __init__(self, name="adam", learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        if name not in ("sgd", "adam", "nadam"):
            raise ValueError(f"unknown optimizer {name!r}: use 'sgd', 'adam' or 'nadam'")
        checks.positive("learning_rate", learning_rate)  # NaN or <= 0: NaN or frozen weights
        self.name, self.lr, self.b1, self.b2, self.eps = (
            name,
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
        )
        self.t = 0
        self.m = self.v = None
        self.u_product = 1.0

    def apply(self, weights, grads):
        if self.name == "sgd":
            self.t += 1
            return [w - self.lr * g for w, g in zip(weights, grads)]
        if self.m is None:
            self.m = [np.zeros_like(w) for w in weights]
            self.v = [np.zeros_like(w) for w in weights]
        self.t += 1
        t, b1, b2 = self.t, self.b1, self.b2
        for m, v, g in zip(self.m, self.v, grads):
            m += (g - m) * (1 - b1)
            v += (g * g - v) * (1 - b2)
        if self.name == "adam":
            alpha = self.lr * np.sqrt(1 - b2**t) / (1 - b1**t)
            return [
                w - m * alpha / (np.sqrt(v) + self.eps) for w, m, v in zip(weights, self.m, self.v)
            ]
        # nadam
        u_t = b1 * (1.0 - 0.5 * 0.96**t)
        u_t1 = b1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        self.u_product *= u_t
        u_prod_t, u_prod_t1 = self.u_product, self.u_product * u_t1
        out = []
        for w, m, v, g in zip(weights, self.m, self.v, grads):
            m_hat = u_t1 * m / (1 - u_prod_t1) + (1 - u_t) * g / (1 - u_prod_t)
            v_hat = v / (1 - b2**t)
            out.append(w - m_hat * self.lr / (np.sqrt(v_hat) + self.eps))
        return out


def train(
    weights,
    activations,
    epochs,
    optimizer,
    batch_size=None,
    shuffle=True,
    rng=None,
    X=X,
    Y=Y,
    skip=False,
):
    """Train every net in the batch; return ``(weights, loss_history)``.

    ``batch_size=None`` is full-batch (one step per epoch); ``batch_size=1``
    takes one pattern per step, in a fresh order per net and epoch when
    ``shuffle`` (as ``fit(batch_size=1)`` does). ``loss_history[e]`` is each
    net's mean training loss over epoch ``e``'s steps, as Keras reports it.
    """
    n = len(X)
    n_nets = np.shape(weights[0])[0]
    rng = rng if rng is not None else np.random.default_rng(0)
    history = np.empty((epochs, n_nets), dtype=np.float64)
    if batch_size is None or batch_size >= n:
        for e in range(epochs):
            grads, loss = backprop.gradients(
                weights, activations, X, Y, return_loss=True, skip=skip
            )
            weights = optimizer.apply(weights, grads)
            history[e] = loss
        return weights, history
    if batch_size != 1:
        raise ValueError(f"batch_size must be None (full batch) or 1, got {batch_size}")
    order = np.tile(np.arange(n), (n_nets, 1))
    for e in range(epochs):
        if shuffle:
            order = rng.permuted(order, axis=1)
        total = 0.0
        for step in range(n):
            idx = order[:, step]
            grads, loss = backprop.gradients(
                weights,
                activations,
                X[idx][:, None, :],
                Y[idx][:, None],
                return_loss=True,
                skip=skip,
            )
            weights = optimizer.apply(weights, grads)
            total = total + loss
        history[e] = total / n
    return weights, history


def predict(weights, activations, X=X, skip=False):
    """Output probabilities, shape (n_nets, N)."""
    return backprop.forward(weights, activations, X, skip)[-1][1][..., 0]


def solved(weights, activations, X=X, Y=Y, skip=False):
    """True for each net that classifies all patterns correctly (threshold 0.5)."""
    return np.all((predict(weights, activations, X, skip) > 0.5) == (Y > 0.5), axis=-1)


def unit_states(weights, activations, X=X, skip=False):
    """Per net, counts of ReLU-style hidden unit states on the patterns ``X``.

    ``dead``: output 0 on every pattern (no gradient flows, it cannot recover);
    ``linear``: net input > 0 on every pattern, so on this data the unit is a
    plain linear function and adds no bend; ``splitting``: active on some
    patterns and off on others, the only units that bend the boundary.
    Returns a dict of (n_nets,) int arrays.
    """
    layers = backprop.forward(weights, activations, X, skip)[:-1]
    n_nets = np.shape(weights[0])[0]
    counts = {k: np.zeros(n_nets, dtype=int) for k in ("dead", "linear", "splitting")}
    for net, _ in layers:
        on = (net > 0).sum(axis=-2)  # patterns on which each unit is active
        counts["dead"] += (on == 0).sum(axis=-1)
        counts["linear"] += (on == len(X)).sum(axis=-1)
        counts["splitting"] += ((on > 0) & (on < len(X))).sum(axis=-1)
    return counts


def all_off_patterns(weights, activations, X=X, skip=False):
    """(n_nets, N) bool: True where every unit of some hidden layer has net input <= 0 on that
    pattern.

    For ReLU units such a pattern is *all-off*: each unit of that layer outputs 0
    with slope 0 there, so the pattern's error reaches the output bias (and skip
    weights) but no weight below that layer.
    """
    layers = backprop.forward(weights, activations, X, skip)
    all_off = np.zeros(np.shape(layers[-1][0])[:-1], dtype=bool)
    for net, _ in layers[:-1]:
        all_off |= np.all(net <= 0, axis=-1)
    return all_off


def all_off_errors(weights, activations, X=X, Y=Y, skip=False):
    """Per net, how many misclassified patterns are all-off (``all_off_patterns``).

    Gradient descent gets no signal from such a pattern to move the hidden
    units towards it.
    """
    wrong = (predict(weights, activations, X, skip) > 0.5) != (np.asarray(Y) > 0.5)  # (n_nets, N)
    return (wrong & all_off_patterns(weights, activations, X, skip)).sum(axis=-1)


def all_off_classes(weights, activations, X=X, Y=Y, skip=False):
    """Per net, how many classes (0, 1 or 2) have a pattern among the all-off ones.

    All all-off patterns of a ReLU layer get the same hidden output (all zeros),
    hence the same network output. With 2 the all-off patterns include both
    classes, so at least one of them is misclassified whatever the output bias.
    """
    all_off = all_off_patterns(weights, activations, X, skip)
    Y = np.asarray(Y) > 0.5
    return (all_off & ~Y).any(axis=-1).astype(int) + (all_off & Y).any(axis=-1).astype(int)


def all_off_loss_floor(weights, activations, X=X, Y=Y):
    """Per net (without a skip), the least mean BCE over all patterns that the net can reach
    without changing which patterns are all-off.

    All-off patterns all get one output, sigmoid(output bias). With ``n0`` of
    class 0 and ``n1`` of class 1 among them, the best shared output is
    ``n1 / (n0 + n1)``, costing ``(n0 + n1) * H(n1 / (n0 + n1))`` (H the binary
    entropy in nats); the seen patterns can in principle reach 0. One pattern of
    each class all-off gives ``2 ln 2 / N``.
    """
    all_off = all_off_patterns(weights, activations, X)
    Y = np.asarray(Y) > 0.5
    n0, n1 = (all_off & ~Y).sum(axis=-1), (all_off & Y).sum(axis=-1)
    n = n0 + n1
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, n1 / np.maximum(n, 1), 0.0)
        h = -(np.where(p > 0, p * np.log(p), 0.0) + np.where(p < 1, (1 - p) * np.log1p(-p), 0.0))
    return n * h / len(Y)


def closest_opposite_pair(weights, activations, X=X, Y=Y):
    """How alike the last hidden layer makes two patterns of opposite classes (nets without a skip).

    Returns ``(gap, slope)``, each shaped (n_nets,): ``gap`` is the smallest,
    over pairs of patterns with different targets, of the largest
    ``|h_i - h_j|`` over hidden units (0: the output unit sees the same
    vector for both, so it must give them the same probability); ``slope`` is
    the largest activation slope ``g'(net)`` of any hidden unit on either
    pattern of that closest pair (how much gradient can still reach them).
    """
    net, h = backprop.forward(weights, activations, X)[-2]  # last hidden layer, (n_nets, N, units)
    Y = np.asarray(Y) > 0.5
    pairs = [(i, j) for i in range(len(Y)) for j in range(i + 1, len(Y)) if Y[i] != Y[j]]
    gaps = np.stack([np.abs(h[..., i, :] - h[..., j, :]).max(axis=-1) for i, j in pairs], axis=-1)
    best = gaps.argmin(axis=-1)
    slopes = backprop.DERIVATIVES[activations[-2]](net).max(axis=-1)  # (n_nets, N)
    i, j = np.array(pairs).T
    pair_slope = np.maximum(
        np.take_along_axis(slopes, i[best][:, None], -1),
        np.take_along_axis(slopes, j[best][:, None], -1),
    )[:, 0]
    return gaps.min(axis=-1), pair_slope


def dead_units(weights, activations, X=X, skip=False):
    """Per net, how many hidden ReLU units output exactly 0 on every pattern (dead for this
    data)."""
    if any(a != "relu" for a in activations[:-1]):
        layers = backprop.forward(weights, activations, X, skip)[:-1]
        return (
            sum(np.all(a == 0, axis=-2).sum(axis=-1) for _, a in layers)
            if layers
            else np.zeros(np.shape(weights[0])[0], int)
        )
    return unit_states(weights, activations, X, skip)["dead"]


@dataclass
class Recipe:
    """One way to build and train an XOR net."""

    hidden: tuple = (2,)
    activation: str = "relu"
    kernel: str = "glorot_uniform"
    bias: float = 0.0
    optimizer: str = "adam"
    learning_rate: float = 0.001
    epochs: int = 1000
    batch_size: int | None = None
    skip: bool = False

    def __post_init__(self):
        self.check()

    def check(self):
        """Raise a one-line ``ValueError`` naming the first field a net cannot be built or trained
        with."""
        check_hidden(self.hidden)
        if self.activation not in backprop.ACTIVATIONS:
            raise ValueError(
                f"activation={self.activation!r}: use one of {sorted(backprop.ACTIVATIONS)}"
            )
        if self.kernel not in KERNELS:
            raise ValueError(f"kernel={self.kernel!r}: use one of {', '.join(KERNELS)}")
        checks.real("bias", self.bias)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer={self.optimizer!r}: use one of {', '.join(OPTIMIZERS)}")
        checks.positive("learning_rate", self.learning_rate)
        checks.whole("epochs", self.epochs)
        if self.batch_size is not None and (
            isinstance(self.batch_size, bool) or self.batch_size != 1
        ):
            raise ValueError(f"batch_size={self.batch_size!r}: give None (full batch) or 1")
        if not isinstance(self.skip, (bool, np.bool_)):
            raise checks.ArgumentTypeError(f"skip={self.skip!r}: give True or False")
        return self

    def replace(self, **changes):
        values = {**self.__dict__, **changes}
        return Recipe(**values)

    @property
    def activations(self):
        return [self.activation] * len(self.hidden) + ["sigmoid"]

    def describe(self):
        batch = "full batch" if self.batch_size is None else f"batch {self.batch_size}"
        return (
            f"{'-'.join(map(str, layer_sizes(self.hidden)))}{' +skip' if self.skip else ''} "
            f"{self.activation}, {self.kernel}, bias {self.bias:g}, {self.optimizer} lr "
            f"{self.learning_rate:g}, {self.epochs} epochs, {batch}"
        )


@dataclass
class SweepResult:
    recipe: Recipe
    seeds: int
    solved: np.ndarray  # (seeds,) bool
    dead_before: np.ndarray  # (seeds,) int
    dead_after: np.ndarray  # (seeds,) int
    loss: np.ndarray  # (epochs, seeds)
    weights: list  # trained
    initial: list  # as initialised

    @property
    def params(self) -> int:
        return n_params(self.recipe.hidden, self.recipe.skip)

    @property
    def success_rate(self) -> float:
        return float(self.solved.mean())

    @property
    def successes(self) -> int:
        return int(self.solved.sum())

    @property
    def ci95(self) -> tuple:
        """95% Wilson interval of the success rate."""
        return wilson(self.successes, self.seeds)

    def rate(self, **kwargs) -> str:
        """The success rate with its 95% interval, formatted (``format_rate``)."""
        return format_rate(self.successes, self.seeds, **kwargs)


def run(recipe: Recipe, seeds=100, seed=0) -> SweepResult:
    """Train ``seeds`` nets of one recipe from independent random initialisations.

    Raises a one-line ``ValueError`` for a recipe field out of range (``Recipe.check``), ``seeds``
    below 1 or ``seed`` below 0."""
    if not isinstance(recipe, Recipe):
        raise checks.ArgumentTypeError(f"recipe={recipe!r}: give an xor.Recipe")
    recipe.check()  # again: a Recipe's fields can be changed after it was made
    seeds = checks.whole("seeds", seeds)
    seed = checks.whole("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    acts, skip = recipe.activations, recipe.skip
    weights = init_weights(recipe.hidden, seeds, rng, recipe.kernel, recipe.bias, skip=skip)
    opt = Optimizer(recipe.optimizer, recipe.learning_rate)
    trained, loss = train(weights, acts, recipe.epochs, opt, recipe.batch_size, rng=rng, skip=skip)
    return SweepResult(
        recipe,
        seeds,
        solved(trained, acts, skip=skip),
        dead_units(weights, acts, skip=skip),
        dead_units(trained, acts, skip=skip),
        loss,
        trained,
        weights,
    )


def pick(weights, i):
    """The ``i``-th net of a batch as a plain Keras-style weight list."""
    return [np.asarray(w[i]) for w in weights]
