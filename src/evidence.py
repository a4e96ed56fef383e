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
# # Open Lab 4: the evidence behind the model answer
#
# `lab4.ipynb` answers the lab from one run. This notebook holds what one run cannot show: many
# random starts, several seeds, controls and mechanisms. It writes `evidence.json`, from which the
# model answer quotes its numbers. Sections:
#
# | section | supports | what it measures |
# |---|---|---|
# | 1 | Tutorials 3-4, sections 2-6 | the fast XOR trainer makes Keras's updates |
# | 2 | Tutorials 4-5 | the tutorial's tanh and ReLU recipes over 200 starts |
# | 3 | Problem 1 | the Problem 1 recipe over 1,000 starts |
# | 4 | Problem 2 | width, all-off patterns, an intervention and its control, ablation |
# | 5 | Problem 3 | why one unit cannot work; how often each small size trains |
# | 6 | Problem 4 | ReLU against tanh at every width; how both fail |
# | 7 | Problems 5-7 | 4 seeds of both MNIST nets, paired; a plain baseline; inside the nets |
# | 8 | open questions | wider vs deeper at a fixed budget |
#
# **Words used here.** A *start* is one random draw of a net's initial weights; a *sweep* trains
# many starts of one *recipe* (architecture, initialisation, optimiser, epochs) at once. A ReLU
# unit is *off* on an input when its output is 0 (slope 0 there); a pattern is *all-off* when every
# hidden unit is off on it. A *hidden code* is the vector of hidden activations a pattern produces.
#
# **Statistics.** Rates carry 95% Wilson intervals. Arms trained from the *same* starts are
# compared start by start with the exact McNemar test on the discordant starts (those that one arm
# solves and the other does not); arms from independent draws with Fisher's exact test. Several
# comparisons in one table are Holm-adjusted. Seeds shared by two MNIST arms are paired.

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import itertools
import json
import time

import keras
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import tensorflow as tf
from IPython.display import Markdown, display
from scipy import stats as sps

from helpers import backprop, data, diagnostics, mechanisms, models, parallel, paths, plots, stats
from helpers import training
from helpers import xor
from helpers.plots import show
from helpers.progress import progress

tf.get_logger().setLevel("ERROR")  # each tiny XOR net gets its own graph; retracing notes expected

# %% tags=["parameters"]
SEED = 4850  # papermill: -p SEED 7
OUTPUT_DIR = None  # None: this folder for SEED 4850, runs/seed<SEED>/ otherwise

# %%
OUTPUT_DIR = paths.output_dir(SEED, OUTPUT_DIR)
plots.set_figure_dir(OUTPUT_DIR / "figures")
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()
EVIDENCE = {"seed": SEED, "seconds": {}}  # written to evidence.json at the end
clock = time.perf_counter()
X, Y = xor.X, xor.Y
(x_train_raw, y_train_raw), (x_test_raw, y_test_raw) = data.load_mnist()
x_train, y_train = data.prepare(x_train_raw, y_train_raw)
x_test, y_test = data.prepare(x_test_raw, y_test_raw)
SWEEPS = {}  # (recipe, starts) -> result: a recipe asked for twice trains once


def sweep(recipe, starts=200):
    """Train `starts` random starts of `recipe` (helpers.xor, all at once); cached."""
    key = (repr(recipe), starts)
    if key not in SWEEPS:
        SWEEPS[key] = xor.run(recipe, seeds=starts, seed=SEED)
    return SWEEPS[key]


def paired_row(a, b):
    """Exact McNemar test of two sweeps from the same kernels: (a only, b only, p)."""
    assert all(np.array_equal(u, v) for u, v in zip(a.initial[::2], b.initial[::2])), (
        "kernels differ"
    )
    only_a, only_b = int((a.solved & ~b.solved).sum()), int((b.solved & ~a.solved).sum())
    return only_a, only_b, stats.mcnemar_exact(only_a, only_b)


def count(r):
    return [r.successes, r.seeds]


# %% [markdown]
# ## 1. The fast trainers make Keras's updates
#
# Sections 2-6 train thousands of XOR nets with `helpers.xor`, which repeats Keras's SGD, Adam and
# Nadam updates in NumPy over a batch of nets. A net *learns* (or *solves*) XOR when, after
# training, it puts all 4 patterns on the right side of 0.5. With batch size 1 the sweeps shuffle
# the 4 patterns afresh for each net and epoch, as `fit` does. Checks: on 3 starts each of four
# full-batch recipes (Problem 1's; tanh and SGD 0.1 at 4 units; section 5's net of 1 unit with a
# skip connection) and on 8 starts of each tutorial recipe (batch size 1, here with the pattern
# order fixed so both take the same 4,000 steps), the two trainers must end within $10^{-3}$ in
# every weight and agree on which starts solve XOR. Where most runs fail (Problem 1's recipe at 2
# units), 40 starts compare the verdicts, since a failing run's weights can drift apart from tiny
# rounding differences. The 3,000-epoch runs: 10 starts, verdicts compared.

# %%
P1 = xor.Recipe(
    hidden=(16,),
    activation="relu",
    kernel="he_normal",
    bias=0.1,
    optimizer="adam",
    learning_rate=0.01,
    epochs=300,
    batch_size=None,
)
TUTORIAL_TANH = xor.Recipe(
    hidden=(2,),
    activation="tanh",
    kernel="glorot_uniform",
    bias=0.0,
    optimizer="sgd",
    learning_rate=0.1,
    epochs=1000,
    batch_size=1,
)
TUTORIAL_RELU = TUTORIAL_TANH.replace(
    activation="relu", bias=0.1, optimizer="nadam", learning_rate=0.001
)
p1_sweep = sweep(P1, starts=1000)


def keras_check(recipe, result, starts):
    """Train the first `starts` of a sweep's starts in Keras; return (how many end with the same
    verdict, the largest weight difference from the NumPy trainer's weights)."""
    same, diff = 0, 0.0
    for i in range(starts):
        net = models.xor_net_from(recipe, xor.pick(result.initial, i))
        training.fit_recipe(net, recipe, X, Y)
        keras_solved = bool(np.all((net.predict(X, verbose=0)[:, 0] > 0.5) == (Y > 0.5)))
        same += keras_solved == bool(result.solved[i])
        weights = zip(net.get_weights(), xor.pick(result.weights, i))
        diff = max(diff, *(float(np.abs(k - v).max()) for k, v in weights))
    return same, diff


p1_same, p1_keras_diff = keras_check(P1, p1_sweep, 3)
print(
    f"Problem 1 recipe, 3 starts x 300 Adam steps: same verdict on {p1_same} of 3 starts; "
    f"largest weight difference {p1_keras_diff:.1e}"
)
assert p1_same == 3 and p1_keras_diff < 1e-3, (
    f"helpers.xor vs Keras: {p1_same}/3, {p1_keras_diff:.1e}"
)
other_keras_diff = {}  # the same check for two other full-batch recipes the sweeps use
for label, recipe in {
    "tanh, 4 units": P1.replace(hidden=(4,), activation="tanh"),
    "SGD 0.1, 4 units": P1.replace(hidden=(4,), optimizer="sgd", learning_rate=0.1),
    "1 unit and a skip connection": P1.replace(hidden=(1,), skip=True),
}.items():
    same, diff = keras_check(recipe, sweep(recipe), 3)
    print(f"{label}, 3 starts: same verdict on {same} of 3; largest weight difference {diff:.1e}")
    assert same == 3 and diff < 1e-3, f"{label}: {same}/3, {diff:.1e}"
    other_keras_diff[label] = diff
# section 4's longest runs: Nadam 0.001 for 3,000 epochs at 4 units, 10 starts, verdicts compared
LONG = P1.replace(hidden=(4,), optimizer="nadam", learning_rate=0.001, epochs=3000)
long_same, long_diff = keras_check(LONG, sweep(LONG), 10)
print(
    f"Nadam 0.001, 3,000 epochs, 4 units, 10 starts: same verdict on {long_same} of 10; largest "
    f"weight difference {long_diff:.1e}"
)
assert long_same >= 9, f"{long_same} of 10 verdicts agree"
# where most runs fail: 2 ReLU units under Problem 1's recipe, 40 starts, verdicts compared (a
# failing run's weights may drift apart, so only the verdicts are checked)
FAILING = P1.replace(hidden=(2,))
failing_sweep = sweep(FAILING)
failing_same, _ = keras_check(FAILING, failing_sweep, 40)
failing_solved = int(failing_sweep.solved[:40].sum())
agree_low, agree_high = stats.wilson(failing_same, 40)
print(
    f"Problem 1 recipe at 2 units, 40 starts ({40 - failing_solved} fail in NumPy): same verdict "
    f"on {failing_same} of 40 (95% interval {agree_low:.0%} to {agree_high:.0%})"
)
assert failing_same >= 36, f"{failing_same} of 40 verdicts agree"
tutorial_keras_diff = {}
for recipe in (TUTORIAL_TANH, TUTORIAL_RELU):
    starts = [w[:8] for w in sweep(recipe).initial]
    ours, _ = xor.train(
        starts,
        recipe.activations,
        recipe.epochs,
        xor.Optimizer(recipe.optimizer, recipe.learning_rate),
        batch_size=1,
        shuffle=False,
    )
    theirs = []
    for i in range(8):
        net = models.xor_net_from(recipe, xor.pick(starts, i))
        training.fit_in_graph(net, X, Y, epochs=recipe.epochs, batch_size=1, shuffle=False)
        theirs.append(net.get_weights())
    theirs = [np.stack(w) for w in zip(*theirs)]
    same = xor.solved(ours, recipe.activations) == xor.solved(theirs, recipe.activations)
    diff = max(float(np.abs(u - v).max()) for u, v in zip(ours, theirs))
    tutorial_keras_diff[recipe.activation] = diff
    print(
        f"{recipe.describe()}: same verdict on {same.sum()} of 8 starts; largest weight "
        f"difference {diff:.1e}"
    )
    assert same.all() and diff < 1e-3, f"{recipe.describe()}: {same}, {diff:.1e}"

# %% [markdown]
# `training.fit_in_graph`, used just above as the Keras side, runs `fit`'s updates in one compiled
# graph; with `shuffle=False` it makes exactly the updates of `model.fit(..., shuffle=False)`:

# %%
twin_fit, twin_graph = (
    models.xor_net_from(TUTORIAL_TANH, xor.pick(sweep(TUTORIAL_TANH).initial, 0)) for _ in range(2)
)
twin_fit.fit(X, Y, batch_size=1, epochs=20, shuffle=False, verbose=0)
training.fit_in_graph(twin_graph, X, Y, epochs=20, batch_size=1, shuffle=False)
graph_diff = max(
    float(np.abs(u - v).max()) for u, v in zip(twin_fit.get_weights(), twin_graph.get_weights())
)
print(f"fit_in_graph vs model.fit, 80 steps: largest weight difference {graph_diff:.1e}")
assert graph_diff < 1e-6, graph_diff
values = np.linspace(-3, 3, 200, dtype=np.float32)
dtanh_expr = backprop.DERIVATIVE_EXPRS["tanh"]
evalf_way = np.vectorize(lambda v: np.float32(dtanh_expr.evalf(subs={backprop.x: v})))(values)
lambdify_diff = float(np.abs(evalf_way - backprop.DERIVATIVES["tanh"](values)).max())
print(
    f"tanh' at 200 points, the lab's np.vectorize(evalf) vs lambdify: largest difference "
    f"{lambdify_diff:.1e}"
)
assert lambdify_diff < 1e-6
EVIDENCE["trainers"] = {
    "p1_keras_max_abs_diff": p1_keras_diff,
    "other_full_batch_keras_max_abs_diff": other_keras_diff,
    "two_unit_verdicts_agree": [failing_same, 40],
    "nadam_3000_epochs_verdicts_agree": [long_same, 10],
    "nadam_3000_epochs_max_abs_diff": long_diff,
    "tutorial_keras_max_abs_diff": tutorial_keras_diff,
    "fit_in_graph_max_abs_diff": graph_diff,
    "lambdify_vs_evalf": lambdify_diff,
}

# %% [markdown]
# ## 2. The tutorial's recipes over 200 starts (supports Tutorials 4 and 5)
#
# Both recipes draw their kernels from the same generator, so each start has the same kernels in
# both arms (the biases differ: 0 for tanh, 0.1 for ReLU); the optimisers differ too (SGD 0.1
# against Nadam 0.001). This compares the two recipes, not the activations alone (section 6 does
# that).

# %%
tut_tanh, tut_relu = sweep(TUTORIAL_TANH), sweep(TUTORIAL_RELU)
assert np.array_equal(tut_tanh.initial[0], tut_relu.initial[0]), "kernels differ"
tanh_only = int((tut_tanh.solved & ~tut_relu.solved).sum())
relu_only = int((tut_relu.solved & ~tut_tanh.solved).sum())
tut_p = stats.mcnemar_exact(tanh_only, relu_only)
print(f"tanh recipe learned XOR from {tut_tanh.rate(count=True, ci_label=True)} of starts")
print(f"ReLU recipe learned XOR from {tut_relu.rate(count=True, ci_label=True)} of starts")
print(
    f"discordant starts: tanh only {tanh_only}, ReLU only {relu_only}; exact McNemar "
    f"p = {tut_p:.1e}"
)
EVIDENCE["tutorial"] = {
    "tanh": count(tut_tanh),
    "relu": count(tut_relu),
    "tanh_rate": tut_tanh.success_rate,
    "relu_rate": tut_relu.success_rate,
    "discordant": {"tanh_only": tanh_only, "relu_only": relu_only},
    "mcnemar_p": tut_p,
}

# %% [markdown]
# ## 3. The Problem 1 recipe over 1,000 starts (supports Problem 1)
#
# 2-16-1, ReLU, He-normal weights, biases 0.1, Adam 0.01, 300 full-batch epochs.

# %%
print(f"{P1.describe()}: learned XOR from {p1_sweep.rate(count=True, ci_label=True)} of starts")
EVIDENCE["p1"] = {
    "solved": p1_sweep.successes,
    "starts": p1_sweep.seeds,
    "ci95": list(p1_sweep.ci95),
}

# %% [markdown]
# ## 4. Why width fixes the tutorial (supports Problem 2)
#
# **The calculation.** A ReLU unit with weights $w$ and bias $b$ is off on pattern $x$ when
# $w \cdot x + b \le 0$. The four patterns come in antipodal pairs, $\pm(1,1)$ and $\pm(1,-1)$:
# with $b > 0$ no unit is off on both members of a pair, so "some pattern is all-off" is the union
# of four events of which two pairs are disjoint. With $q_1$ = P(a unit is off on a given pattern)
# and $q_{2}$ = P(it is off on $(1,1)$ and on $(1,-1)$), for $w$ independent units
# $P(\text{some pattern all-off}) = 4q_1^w - 4q_2^w$, where $q_1$ and $q_2$ are integrals over
# Keras's He-normal (truncated) weight distribution (`mechanisms.all_off_probability_exact`).
# Treating the patterns as independent with $q_1 = 1/2$ gives the textbook
# $1 - (1 - 2^{-w})^4$ instead.

# %%
width_rows = {}
for w in (2, 4, 8, 16):
    r = sweep(P1.replace(hidden=(w,)))
    width_rows[w] = {
        "all_off": int(xor.all_off_patterns(r.initial, r.recipe.activations).any(axis=-1).sum()),
        "all_off_exact": r.seeds * mechanisms.all_off_probability_exact(w, "he_normal", 0.1),
        "all_off_independent": r.seeds * mechanisms.all_off_probability(w),
        "solved": r.successes,
    }
rows = [
    "| hidden units | starts with an all-off pattern | calculated (exact) | textbook "
    "$1-(1-2^{-w})^4$ | learned XOR |",
    "|---|---|---|---|---|",
]
rows += [
    f"| {w} | {v['all_off']} | {v['all_off_exact']:.1f} | {v['all_off_independent']:.1f} | "
    f"{v['solved']} of 200 |"
    for w, v in width_rows.items()
]
display(Markdown("200 starts per width, the Problem 1 recipe otherwise\n\n" + "\n".join(rows)))
for w, v in width_rows.items():  # a binomial count: within 3 standard deviations (+1)
    sd = (v["all_off_exact"] * (1 - v["all_off_exact"] / 200)) ** 0.5
    assert abs(v["all_off"] - v["all_off_exact"]) <= 3 * sd + 1, (w, v)

# %% [markdown]
# **Width in the tutorial's own recipe**: Nadam 0.001, batch size 1, 1000 epochs, 200 starts.

# %%
tut16 = sweep(TUTORIAL_RELU.replace(hidden=(16,)))
print(
    f"tutorial ReLU recipe: {tut_relu.rate(count=True)} with 2 units, {tut16.rate(count=True)} "
    "with 16"
)

# %% [markdown]
# **An intervention and two controls.** In each two-unit start that has an all-off pattern, raise
# the bias of the unit closest to firing on it until its net input is 0.1 (*lifted*). Control 1
# (*sham*): give the same raise to the *other* unit, which mostly leaves the pattern all-off.
# Control 2 (*near lift*): raise the *same* unit, but only until its net input is -0.1, so the
# pattern stays all-off after a raise 0.2 smaller; only ending the all-off pattern separates it
# from the lift. All arms and the starts as drawn share their starts: exact McNemar tests.

# %%
P2_W2 = P1.replace(hidden=(2,))
w2 = sweep(P2_W2)
lifted, changed = mechanisms.lift_all_off(w2.initial, X)
sham = mechanisms.sham_lift(w2.initial, lifted)
near, near_changed = mechanisms.near_lift(w2.initial, X)
assert np.array_equal(near_changed, changed)
arms = {"as drawn": w2.solved}
for name, start in (("lifted", lifted), ("sham", sham), ("near lift", near)):
    trained, _ = xor.train(
        start, P2_W2.activations, P2_W2.epochs, xor.Optimizer(P2_W2.optimizer, P2_W2.learning_rate)
    )
    arms[name] = xor.solved(trained, P2_W2.activations)
sham_kept, near_kept = (
    int(xor.all_off_patterns(w, P2_W2.activations).any(axis=-1)[changed].sum())
    for w in (sham, near)
)
print(
    f"starts with an all-off pattern: {int(changed.sum())} of 200 (the sham leaves {sham_kept} "
    f"of them all-off, the near lift {near_kept}); of these, learned XOR: "
    + ", ".join(f"{int(v[changed].sum())} {k}" for k, v in arms.items())
)
intervention = {
    "starts_changed": int(changed.sum()),
    "sham_still_all_off": sham_kept,
    "near_lift_still_all_off": near_kept,
    **{f"solved_{k.replace(' ', '_')}": int(v[changed].sum()) for k, v in arms.items()},
}
for other in ("as drawn", "sham", "near lift"):
    won = int((arms["lifted"] & ~arms[other])[changed].sum())
    lost = int((arms[other] & ~arms["lifted"])[changed].sum())
    p = stats.mcnemar_exact(won, lost)
    intervention[f"vs_{other.replace(' ', '_')}"] = {"lifted_only": won, "other_only": lost, "p": p}
    print(f"lifted vs {other}: lifted only {won}, {other} only {lost}; exact McNemar p = {p:.1e}")
for control in ("sham", "near lift"):  # does a control help by itself?
    won = int((arms[control] & ~arms["as drawn"])[changed].sum())
    lost = int((arms["as drawn"] & ~arms[control])[changed].sum())
    p = stats.mcnemar_exact(won, lost)
    intervention[f"{control.replace(' ', '_')}_vs_as_drawn"] = {
        "control_only": won,
        "as_drawn_only": lost,
        "p": p,
    }
    print(
        f"{control} vs as drawn: {control} only {won}, as drawn only {lost}; "
        f"exact McNemar p = {p:.1e}"
    )

# %% [markdown]
# Lifting beats both controls, and both controls beat the starts as drawn. The sham (the same raise
# on the other unit) helped, 54 against 26 as drawn (28 starts against 0, $p$ = 7.5e-9), but lifting
# did better (44 starts against 17, $p$ = 7.3e-4). The near lift (the same unit raised to a net
# input of $-0.1$ instead of $+0.1$, so all 131 starts keep their all-off pattern) helped less than
# the sham, 43 (19 starts against 2 as drawn, $p$ = 2.2e-4), and lifting beat it in 39 starts
# against 1 ($p$ = 7.5e-11). The lift differs from the near lift in two ways: it ends the all-off
# pattern, and it gives that unit 0.2 more bias on every pattern. Raising a bias helps by itself
# (the sham, the near lift), so the two are not separated; that a 0.2 larger raise would add 38
# starts where the sham's whole raise added 28 makes ending the pattern the likelier cause, but this
# is not a test. Lifted starts do not all learn XOR: 81 of 131.
#
# **One change at a time.** The Problem 1 recipe at 4 units (below 100%, so differences show), one
# change per row, 200 starts each. Rows that keep the kernel initialiser share row 1's starts
# (design: paired, exact McNemar); the Glorot row draws other kernels (independent, Fisher).
# Holm-adjusted over the 6 changes.

# %%
P2_W4 = P1.replace(hidden=(4,))
changes = {
    "Problem 1 recipe at 4 units": {},
    "He-normal -> Glorot-uniform": {"kernel": "glorot_uniform"},
    "bias 0.1 -> 0": {"bias": 0.0},
    "Adam 0.01 -> Nadam 0.001": {"optimizer": "nadam", "learning_rate": 0.001},
    "Adam 0.01 -> SGD 0.1": {"optimizer": "sgd", "learning_rate": 0.1},
    "300 epochs -> 50": {"epochs": 50},
    "full batch -> batch 1 (1000 epochs)": {"batch_size": 1, "epochs": 1000},
}
ablation = {
    label: sweep(P2_W4.replace(**change))
    for label, change in progress(changes.items(), desc="one change at a time")
}
base = ablation["Problem 1 recipe at 4 units"]
tests = {}
for label, r in list(ablation.items())[1:]:
    if np.array_equal(r.initial[0], base.initial[0]):
        only_r, only_base, p = paired_row(r, base)
        tests[label] = {"design": "paired", "changed_only": only_r, "base_only": only_base, "p": p}
    else:
        p = stats.fisher_exact(r.successes, r.seeds, base.successes, base.seeds)
        tests[label] = {"design": "independent", "p": p}
for label, p in zip(tests, stats.holm([t["p"] for t in tests.values()])):
    tests[label]["holm_p"] = p
rows = [
    "| change | learned XOR | vs row 1 | design: discordant starts | Holm $p$ |",
    "|---|---|---|---|---|",
]
for label, r in ablation.items():
    t = tests.get(label)
    disc = (
        f"paired: {t['changed_only']} vs {t['base_only']}"
        if t and t["design"] == "paired"
        else "independent (Fisher)"
        if t
        else ""
    )
    rows.append(
        f"| {label} | {r.rate(count=True)} | "
        + (
            f"{100 * (r.success_rate - base.success_rate):+.1f} points | {disc} | "
            f"{t['holm_p']:.2g} |"
            if t
            else "| | |"
        )
    )
display(Markdown("\n".join(rows)))
nadam_long = sweep(P2_W4.replace(optimizer="nadam", learning_rate=0.001, epochs=3000))
print(
    f"Nadam 0.001 for 3,000 epochs: {nadam_long.rate(count=True)} (row 1: {base.rate(count=True)})"
)

# %% [markdown]
# Nadam at 0.001 and stopping at 50 epochs are budget effects: given 3,000 epochs (10 times as
# many), Nadam at 0.001 learns XOR from about as many starts as row 1 (printed). Nadam also adds
# Nesterov momentum, so its row changes two things.
#
# **When do all-off patterns appear?** Runs at 2 and 4 units, sorted by their all-off patterns at
# the start and after 10 of the 300 epochs: none, of one class only, or of both classes. Each cell
# is the share of those runs that learn XOR (a prediction from the run's state, not an
# intervention).

# %%
rows = [
    "| units | state measured | no all-off pattern | all-off, one class | all-off, both classes |",
    "|---|---|---|---|---|",
]
when_all_off = {}
for w in (2, 4):
    full, early = sweep(P1.replace(hidden=(w,))), sweep(P1.replace(hidden=(w,), epochs=10))
    for when, weights in (("start", full.initial), ("epoch 10", early.weights)):
        classes = xor.all_off_classes(weights, full.recipe.activations)
        cells = [
            [int(full.solved[classes == k].sum()), int((classes == k).sum())] for k in (0, 1, 2)
        ]
        when_all_off[f"width {w}, {when}"] = cells
        rows.append(
            f"| {w} | {when} | "
            + " | ".join(stats.format_rate(s, n, count=True) if n else "no runs" for s, n in cells)
            + " |"
        )
display(Markdown("\n".join(rows)))
EVIDENCE["p2"] = {
    "width": {str(w): v for w, v in width_rows.items()},
    "tutorial_2": tut_relu.successes,
    "tutorial_16": tut16.successes,
    "intervention": intervention,
    "ablation": {k: {"solved": count(r), **tests.get(k, {})} for k, r in ablation.items()},
    "nadam_3000_epochs": count(nadam_long),
    "when_all_off": when_all_off,
}

# %% [markdown]
# ## 5. The smallest ReLU net (supports Problem 3)
#
# One hidden unit cannot solve XOR (the argument is in the model answer). A check: a million random
# 2-1-1 ReLU nets, weights drawn with standard deviation 3. Then hand-set nets, and how often the
# Problem 1 recipe trains each small size from 200 starts. A skip connection (inputs also feeding
# the output) lets one unit solve XOR: with $s = x_1 + x_2$, the logit
# $k(s + 1) - 2k\,\mathrm{relu}(s) = k(1 - |s|)$ folds a ramp into a tent.

# %%
rng = np.random.default_rng(SEED)
random_nets = [
    rng.normal(0, 3, (10**6, 2, 1)),
    rng.normal(0, 3, (10**6, 1)),
    rng.normal(0, 3, (10**6, 1, 1)),
    rng.normal(0, 3, (10**6, 1)),
]
one_unit_solutions = int(xor.solved(random_nets, ["relu", "sigmoid"]).sum())
two_unit = [
    np.array([[[1.0, -1.0], [1.0, -1.0]]]),
    np.zeros((1, 2)),
    np.array([[[-4.0], [-4.0]]]),
    np.array([[2.0]]),
]
print(f"random 2-1-1 nets that solve XOR: {one_unit_solutions} of 1,000,000")
print(
    "hand-set 2-2-1 (h1 = relu(x1 + x2), h2 = relu(-x1 - x2), logit 2 - 4(h1 + h2)), P(class 1):",
    np.round(xor.predict(two_unit, ["relu", "sigmoid"])[0], 3),
)
assert one_unit_solutions == 0 and xor.solved(two_unit, ["relu", "sigmoid"])[0]
size_sweeps = {
    h: sweep(P1.replace(hidden=h))
    for h in progress([(1,), (1, 1), (2,), (3,), (4,), (2, 2)], desc="sizes")
}
skip_sweep = sweep(P1.replace(hidden=(1,), skip=True))
rows = ["| hidden units per layer | parameters | learned XOR (95% CI) |", "|---|---|---|"]
rows += [
    f"| {'-'.join(map(str, h))} | {xor.n_params(h)} | {r.rate(count=True)} |"
    for h, r in size_sweeps.items()
]
rows.append(
    f"| 1 + skip connection | {xor.n_params((1,), skip=True)} | {skip_sweep.rate(count=True)} |"
)
display(Markdown("\n".join(rows)))
EVIDENCE["p3"] = {
    "one_unit_random_solutions": one_unit_solutions,
    "one_unit_random_nets": 10**6,
    "sizes": {"2-" + "-".join(map(str, h)) + "-1": r.successes for h, r in size_sweeps.items()},
    "starts": 200,
    "skip": count(skip_sweep),
    "skip_params": xor.n_params((1,), skip=True),
}

# %% [markdown]
# ## 6. ReLU against tanh at every width (supports Problem 4)
#
# The Problem 1 recipe at widths 1-8 with ReLU and with tanh. Both arms use He-normal weights and
# the same generator, so they start from **the same weights** (the design is paired: exact McNemar
# on discordant starts, Holm-adjusted over the 8 widths). A third column gives tanh with its usual
# Glorot-uniform weights (other draws), as a control for the He-normal choice.

# %%
WIDTHS = range(1, 9)
width_runs = {
    arm: {w: sweep(P1.replace(hidden=(w,), activation=act, kernel=init)) for w in WIDTHS}
    for arm, (act, init) in progress(
        {
            "relu": ("relu", "he_normal"),
            "tanh": ("tanh", "he_normal"),
            "tanh_glorot": ("tanh", "glorot_uniform"),
        }.items(),
        desc="width sweep",
    )
}
width_tests = {w: paired_row(width_runs["relu"][w], width_runs["tanh"][w]) for w in WIDTHS}
width_holm = dict(zip(WIDTHS, stats.holm([t[2] for t in width_tests.values()])))
rows = [
    "| units | ReLU | tanh | tanh (Glorot) | ReLU only / tanh only | Holm $p$ |",
    "|---|---|---|---|---|---|",
]
rows += [
    f"| {w} | {width_runs['relu'][w].rate()} | {width_runs['tanh'][w].rate()} | "
    f"{width_runs['tanh_glorot'][w].rate()} | {width_tests[w][0]} / {width_tests[w][1]} | "
    f"{width_holm[w]:.2g} |"
    for w in WIDTHS
]
display(Markdown("200 starts per cell\n\n" + "\n".join(rows)))
first_99 = {
    arm: min([w for w in WIDTHS if runs[w].success_rate >= 0.99], default=None)
    for arm, runs in width_runs.items()
}
print("smallest width learning XOR from at least 99% of starts:", first_99)

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.8))
for arm, runs in width_runs.items():
    act = arm.split("_")[0]
    rates = np.array([runs[w].success_rate for w in WIDTHS])
    ci = np.array([runs[w].ci95 for w in WIDTHS])
    style = dict(
        plots.ACTIVATION_STYLE[act],
        **({"ls": ":", "marker": "^", "mfc": "none"} if arm == "tanh_glorot" else {}),
    )
    ax.errorbar(
        np.array(WIDTHS) + {"relu": -0.08, "tanh": 0, "tanh_glorot": 0.08}[arm],
        rates,
        yerr=[rates - ci[:, 0], ci[:, 1] - rates],
        capsize=3,
        label={"relu": "ReLU, He", "tanh": "tanh, He", "tanh_glorot": "tanh, Glorot"}[arm],
        **style,
    )
ax.set(
    xlabel="hidden units",
    ylabel="starts that learn XOR (of 200)",
    ylim=(-0.03, 1.03),
    title="XOR, Problem 1 recipe: success rate against width (bars: 95% CI)",
)
ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
ax.grid(alpha=0.3)
ax.legend(loc="lower right", fontsize=8)
show(
    fig,
    "share of 200 starts that learn XOR against width 1 to 8 for ReLU and tanh from the "
    "same He-normal starts and tanh with Glorot weights, with 95% interval bars",
    save="e6_width_sweep",
)

# %% [markdown]
# From the same starts, ReLU learned XOR less often than tanh at every width from 2 to 5, and the
# difference survives Holm's adjustment at each of those widths (table). ReLU first reaches 99% of
# starts at 7 units, tanh at 5. tanh with Glorot weights (other draws) gives counts close to tanh
# with He weights at every width (not tested), so tanh's lead does not look like its
# initialiser's. ReLU with Glorot weights was tried only at 4 units (section 4: 169 of 200,
# against tanh's 195 and 197), where it stays behind; at other widths the claim that the gap is
# the activation's is untested.
#
# **How both fail.** For the failed runs at widths 2-4: how many end with two opposite-class
# patterns on (nearly) the same hidden code (largest difference below 0.05), how many started that
# way, and how many failed width-2 runs learn XOR when trained 10 times longer.

# %%
THRESHOLDS = (0.001, 0.01, 0.05, 0.1, 0.2)
failures = {}
for act in ("relu", "tanh"):
    rs = [width_runs[act][w] for w in (2, 3, 4)]
    gap_end = np.concatenate(
        [xor.closest_opposite_pair(r.weights, r.recipe.activations)[0][~r.solved] for r in rs]
    )
    gap_start = np.concatenate(
        [xor.closest_opposite_pair(r.initial, r.recipe.activations)[0][~r.solved] for r in rs]
    )
    r2 = width_runs[act][2]
    longer, _ = xor.train(
        [np.asarray(v)[~r2.solved] for v in r2.initial],
        r2.recipe.activations,
        10 * r2.recipe.epochs,
        xor.Optimizer(r2.recipe.optimizer, r2.recipe.learning_rate),
    )
    gap_solved = np.concatenate(
        [xor.closest_opposite_pair(r.weights, r.recipe.activations)[0][r.solved] for r in rs]
    )
    failures[act] = {
        "failed": len(gap_end),
        "solved": len(gap_solved),
        "solved_by_threshold": {str(t): int((gap_solved < t).sum()) for t in THRESHOLDS},
        "shared_code_end": int((gap_end < 0.05).sum()),
        "shared_code_start": int((gap_start < 0.05).sum()),
        "by_threshold": {
            str(t): [int((gap_end < t).sum()), int((gap_start < t).sum())] for t in THRESHOLDS
        },
        "rescued_by_10x": [
            int(xor.solved(longer, r2.recipe.activations).sum()),
            int((~r2.solved).sum()),
        ],
    }
display(
    Markdown(
        "| activation | failed runs, widths 2-4 | shared code at the end | at the start | "
        "width-2 failures solved with 10x the epochs |\n|---|---|---|---|---|\n"
        + "\n".join(
            f"| {a} | {f['failed']} | {f['shared_code_end']} | {f['shared_code_start']} | "
            f"{f['rescued_by_10x'][0]} of {f['rescued_by_10x'][1]} |"
            for a, f in failures.items()
        )
    )
)
display(
    Markdown(
        "The threshold matters because ReLU codes are unbounded and tanh codes lie in $[-1, 1]$. "
        "Runs (widths 2-4) whose closest opposite-class pair differs by less than the "
        "threshold; the solved runs are the control:\n\n"
        "| runs | " + " | ".join(f"below {t:g}" for t in THRESHOLDS) + " |\n"
        "|---|"
        + "---|" * len(THRESHOLDS)
        + "\n"
        + "\n".join(
            f"| {a}, {f['failed']} failed: end / start | "
            + " | ".join(" / ".join(map(str, f["by_threshold"][str(t)])) for t in THRESHOLDS)
            + " |"
            for a, f in failures.items()
        )
        + "\n"
        + "\n".join(
            f"| {a}, {f['solved']} solved: end | "
            + " | ".join(str(f["solved_by_threshold"][str(t)]) for t in THRESHOLDS)
            + " |"
            for a, f in failures.items()
        )
    )
)
EVIDENCE["p4"] = {
    "width": {
        str(w): {
            "relu": width_runs["relu"][w].successes,
            "tanh": width_runs["tanh"][w].successes,
            "tanh_glorot": width_runs["tanh_glorot"][w].successes,
            "relu_only": width_tests[w][0],
            "tanh_only": width_tests[w][1],
            "p": width_tests[w][2],
            "holm_p": width_holm[w],
        }
        for w in WIDTHS
    },
    "starts": 200,
    "first_99": first_99,
    "failures": failures,
}
EVIDENCE["seconds"]["xor"] = time.perf_counter() - clock

# %% [markdown]
# Nearly all failures of both activations end the same way, on a hidden code shared by patterns of
# opposite class, and almost none recovers with 10 times the training (1 of 144 ReLU runs). For
# ReLU the shared codes at the end are exact (266 of 268 below every threshold from 0.001 to 0.2);
# tanh codes are bounded and never exactly equal, so their count depends on the threshold (15 of
# 129 below 0.01, 119 below 0.05, all 129 below 0.2). The control: no solved run, of 332 ReLU and
# 471 tanh, has an opposite-class pair within 0.2, so a shared or nearly shared code marks
# failure. What differs is how often. Part of the difference is where runs start: 64 failed ReLU
# runs started with opposite-class patterns on exactly the same code (76 below 0.05), against no
# tanh run below 0.05 (5 below 0.2). That accounts for at most 76 of the 139 more failures of ReLU
# (268 against 129); the rest reached a shared code during training, which ReLU also does more
# often.
#
# ## 7. MNIST: the Problem 5 and 6 nets over 4 seeds (supports Problems 5-7)
#
# The recipe of Problems 5 and 6 (784-512-512-10, dropout 0.1, standardised inputs, random shifts
# of up to 2 pixels, Adam 0.001 with cosine decay, 10 epochs of batch 256, `validation_split=0.2`)
# under 4 seeds for each activation. Both activations get the same seeds, so the same
# initial-weight generator state and data order: paired comparisons. The test set is read once per
# net, after training. A probe records the hidden layers on 2,048 validation images through epoch 1
# and after every epoch.

# %%
clock = time.perf_counter()
MNIST_SEEDS = [SEED + i for i in range(4)]
MNIST_EPOCHS = training.mnist_recipe("relu")["epochs"]  # 10, as in Problems 5 and 6
n_fit = training.fit_rows(len(x_train), 0.2)
probe_x, probe_y = x_train[-2048:], y_train[-2048:]


def mnist_run(act, seed, **changes):
    """Train the Problem 5/6 recipe (with `changes`) under `seed`; keep what the tables need."""
    keras.utils.set_random_seed(seed)
    recipe = {**training.mnist_recipe(act), **changes}
    probe = diagnostics.LayerProbe(probe_x, probe_y, within_first_epoch=True)
    net, history, _ = training.train_mlp(recipe, x_train, y_train, callbacks=[probe])
    return {
        "net": net,
        "history": history.history,
        "probe": probe,
        "test_pred": net.predict(x_test, batch_size=4000, verbose=0).argmax(1),
    }


mnist = {
    act: [mnist_run(act, s) for s in progress(MNIST_SEEDS, desc=f"{act} seeds")]
    for act in ("tanh", "relu")
}
for act, arm in mnist.items():
    assert all((r["test_pred"] == y_test_raw).mean() > 0.98 for r in arm), act

# %% [markdown]
# **The curves as observed.** Validation accuracy and loss per epoch, mean of 4 seeds with the
# min-max band.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for act, arm in mnist.items():
    style = plots.ACTIVATION_STYLE[act]
    for ax, key in zip(axes, ("val_accuracy", "val_loss")):
        plots.seed_band(
            ax,
            [r["history"][key] for r in arm],
            label=f"{act}: mean, min-max of 4",
            color=style["color"],
            ls=style["ls"],
        )
axes[0].set(ylabel="validation accuracy", title="validation accuracy", ylim=(0.95, 0.992))
axes[0].yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
axes[1].set(ylabel="validation loss", title="validation loss (log scale)")
plots.log_axis(axes[1], "y", subs=range(1, 10))
axes[1].set_ylim(0.03, 0.2)
for ax in axes:
    ax.set_xlabel("epoch")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_xticks(range(1, MNIST_EPOCHS + 1))
show(
    fig,
    "validation accuracy and loss per epoch for tanh (purple) and ReLU (green), mean of 4 "
    "seeds with the min-max band",
    save="e7_curves",
)

# %% [markdown]
# **The statistics.** Each row compares ReLU with tanh seed by seed (ReLU minus tanh, in points or
# loss units): the mean difference with its 95% t-interval, the paired t-test $p$ (which assumes
# normal differences), the exact sign test $p$ (no such assumption; with 4 seeds it cannot go
# below 0.125), and both $p$ Holm-adjusted over the 6 rows (sign test). For validation loss, a
# negative difference means ReLU's loss is lower. The rows were chosen after the curves had been
# seen (epoch 3 is where the gap looked largest under an earlier, 20-epoch recipe), so all but the
# first are exploratory.

# %%
fit_rows_x, fit_rows_y = x_train[:12000], y_train[:12000]
measures = {
    "test accuracy (points)": lambda r: 100 * (r["test_pred"] == y_test_raw).mean(),
    "validation accuracy after epoch 1 (points)": lambda r: 100 * r["history"]["val_accuracy"][0],
    "validation accuracy after epoch 3 (points)": lambda r: 100 * r["history"]["val_accuracy"][2],
    "final validation accuracy (points)": lambda r: 100 * r["history"]["val_accuracy"][-1],
    "final validation loss": lambda r: r["history"]["val_loss"][-1],
    "validation loss - training loss (dropout off)": lambda r: (
        r["history"]["val_loss"][-1]
        - r["net"].evaluate(fit_rows_x, fit_rows_y, verbose=0, batch_size=4000)[0]
    ),
}
per_seed = {
    act: {m: [f(r) for r in arm] for m, f in measures.items()} for act, arm in mnist.items()
}
paired = {}
for m in measures:
    d = np.subtract(per_seed["relu"][m], per_seed["tanh"][m])
    t = sps.ttest_rel(per_seed["relu"][m], per_seed["tanh"][m])
    nonzero = d[d != 0]
    paired[m] = {
        "mean": float(d.mean()),
        "min": float(d.min()),
        "max": float(d.max()),
        "ci95": list(t.confidence_interval(0.95)),
        "t_p": float(t.pvalue),
        "wins": int((d > 0).sum()),
        "n": len(d),
        "sign_p": float(sps.binomtest(int((nonzero > 0).sum()), len(nonzero)).pvalue),
    }
for m, hp, ht in zip(
    paired,
    stats.holm([v["sign_p"] for v in paired.values()]),
    stats.holm([v["t_p"] for v in paired.values()]),
):
    paired[m].update(holm_p=hp, holm_t_p=ht)
rows = [
    "| ReLU - tanh, 4 seeds | mean (95% t-interval) | range | seeds > 0 | t-test $p$ "
    "(Holm) | sign test $p$ (Holm) |",
    "|---|---|---|---|---|---|",
]


def signed(x, measure):
    """Points to 3 decimals, losses to 4 (so a small loss difference does not print as -0.000)."""
    return f"{x:+.4f}" if "loss" in measure else f"{x:+.3f}"


rows += [
    f"| {m} | {signed(v['mean'], m)} ({signed(v['ci95'][0], m)} to {signed(v['ci95'][1], m)}) | "
    f"{signed(v['min'], m)} to {signed(v['max'], m)} | {v['wins']} of {v['n']} | {v['t_p']:.2g} "
    f"({v['holm_t_p']:.2g}) | {v['sign_p']:.3g} ({v['holm_p']:.2g}) |"
    for m, v in paired.items()
]
display(Markdown("\n".join(rows)))

# %% [markdown]
# The interval is conditional on the one test set: it counts seed-to-seed variation, not the
# sampling of 10,000 test digits. The test-set side, seed by seed: each net's test accuracy and the
# exact McNemar test on the digits that one net gets right and the other wrong.

# %%
test_mcnemar = []
for seed, rt, rr in zip(MNIST_SEEDS, mnist["tanh"], mnist["relu"]):
    tanh_right, relu_right = rt["test_pred"] == y_test_raw, rr["test_pred"] == y_test_raw
    only_relu, only_tanh = (
        int((relu_right & ~tanh_right).sum()),
        int((tanh_right & ~relu_right).sum()),
    )
    test_mcnemar.append(
        {
            "seed": seed,
            "tanh_accuracy": float(tanh_right.mean()),
            "relu_accuracy": float(relu_right.mean()),
            "relu_only": only_relu,
            "tanh_only": only_tanh,
            "p": stats.mcnemar_exact(only_relu, only_tanh),
        }
    )
display(
    Markdown(
        "| seed | tanh test accuracy | ReLU test accuracy | test digits only ReLU gets right | "
        "only tanh | exact McNemar $p$ |\n"
        "|---|---|---|---|---|---|\n"
        + "\n".join(
            f"| {t['seed']} | {t['tanh_accuracy']:.2%} | {t['relu_accuracy']:.2%} | "
            f"{t['relu_only']} | {t['tanh_only']} | {t['p']:.2g} |"
            for t in test_mcnemar
        )
    )
)

# %% [markdown]
# **Both sources at once.** The standard error of the 4-seed mean difference from the seeds (the
# spread of the 4 differences) and from the test set (the 10,000 per-digit differences, ReLU right
# minus tanh right averaged over the 4 seeds, with the nets held fixed), added as variances, with a
# $t$ quantile on the Welch-Satterthwaite degrees of freedom of that sum (3 from the seeds, 9,999
# from the digits; 116 here). The seeds' spread is measured on the one test set, so it already
# carries the seed-by-digit part of the test-set noise, which the sum then counts twice: the
# interval errs wide. 4 seeds estimate that spread poorly.

# %%
digit_diff = np.mean(
    [
        (rr["test_pred"] == y_test_raw).astype(float) - (rt["test_pred"] == y_test_raw)
        for rt, rr in zip(mnist["tanh"], mnist["relu"])
    ],
    axis=0,
)
seed_diff = np.subtract(
    per_seed["relu"]["test accuracy (points)"], per_seed["tanh"]["test accuracy (points)"]
)
se_seed = seed_diff.std(ddof=1) / np.sqrt(len(seed_diff))
se_test = 100 * digit_diff.std(ddof=1) / np.sqrt(len(digit_diff))
se_both = float(np.hypot(se_seed, se_test))
# Welch-Satterthwaite: the degrees of freedom of a sum of two variance estimates, one from 4 seeds
# (3 df) and one from 10,000 digits (9,999 df)
df_both = se_both**4 / (se_seed**4 / (len(seed_diff) - 1) + se_test**4 / (len(digit_diff) - 1))
t_crit = sps.t.ppf(0.975, df_both)
both = {
    "mean": float(seed_diff.mean()),
    "se_seed": float(se_seed),
    "se_test": float(se_test),
    "df": float(df_both),
    "ci95": [
        float(seed_diff.mean() - t_crit * se_both),
        float(seed_diff.mean() + t_crit * se_both),
    ],
    "p": float(2 * sps.t.sf(abs(seed_diff.mean()) / se_both, df_both)),
}
print(
    f"ReLU - tanh test accuracy: {both['mean']:+.3f} points; standard error from the seeds "
    f"{se_seed:.3f}, from the test set {se_test:.3f}, both {se_both:.3f} "
    f"({df_both:.0f} degrees of freedom); 95% interval {both['ci95'][0]:+.3f} to "
    f"{both['ci95'][1]:+.3f}, p = {both['p']:.2g}"
)

# %% [markdown]
# **The statistics, plainly.** Test accuracy is the measure the lab asks about; the other rows are
# secondary. ReLU was ahead of tanh in test accuracy under all 4 seeds, by 0.10 to 0.22 points
# (mean 0.16, about 16 of 10,000 digits). Four seeds alone cannot establish a difference without an
# assumption: the exact sign test's smallest possible $p$ with $n = 4$ is 0.125 (6 seeds that all
# agree would give 0.031). The paired t-test gives $p$ = 0.0085 and the interval +0.08 to +0.24
# points, by assuming that 4 differences are normally distributed and for this one test set only;
# adjusted with Holm's method over the 6 rows its $p$ is 0.051. Counting the test set's sampling as
# well (above), the interval is +0.03 to +0.29 points ($p$ = 0.015, 116 degrees of freedom): the
# test set's standard error, 0.059 points, is larger than the seeds', 0.026. Seed by seed the two
# nets disagree on 98 to 108 test digits, and only one seed's split (61 against 39, $p$ = 0.035) is
# significant alone. So at this one setting ReLU's test accuracy is higher by a small amount:
# positive at the 5% level when test accuracy, the lab's measure, is taken alone with both sources
# counted, but not if it is counted as one of the 6 rows (Holm-adjusted, about 0.09). Two cautions
# keep it from a general claim: the recipe was developed while test accuracy was in view, and both
# activations share one learning rate and schedule, tuned for neither. The direction is consistent
# (ReLU ahead in every accuracy row under every seed, with lower validation loss); the gap between
# validation and training loss differs by only -0.0006 (interval -0.0035 to +0.0022, last row)
# against ReLU's validation-loss advantage of -0.0058, so most of that advantage is a lower training
# loss: ReLU fits better rather than generalising better.
#
# **The standard account, and what this probe can check.** A tanh unit's slope $1 - a^2$ is below 1
# everywhere but at $a = 0$ and near 0 once $|a|$ nears 1 (*saturated*: here $|a| > 0.99$, slope
# below 0.02). An active ReLU unit has slope exactly 1 and an inactive one slope 0, so ReLU passes
# back the error of the images that use a unit at full strength, and its codes are sparse
# (Glorot, Bordes and Bengio 2011). The calculation for the start: a layer-1 net input on image
# $x$ is close to normal with variance $\lVert x \rVert^2 \mathrm{Var}(w)$, about 1.2 on average
# here, so a tanh unit is saturated when $|z| > \tanh^{-1}(0.99) \approx 2.65$: about 2% of (image,
# unit) pairs, averaging the normal's tail over each image's own $\lVert x \rVert^2$
# (`mechanisms.saturated_share`; one variance of 1.2 for all would give 1.6%); a ReLU unit is off
# when $z < 0$: half. The probe measures
# these shares and the size of the backward signal (RMS of $\partial E/\partial \mathrm{net}$ per
# unit) through training.

# %%
steps_per_epoch = -(-n_fit // 256)
probe_epochs = np.concatenate(
    [
        np.array(mnist["tanh"][0]["probe"].first_epoch_series("slope", 0)[0]) / steps_per_epoch,
        np.arange(2, MNIST_EPOCHS + 1),
    ]
)


def probe_curve(r, key, layer):
    """One net's probe series for `key`: through epoch 1 in detail, then after each epoch."""
    first = r["probe"].first_epoch_series(key, layer)[1]
    return np.concatenate([first, r["probe"].series(key, layer)[2:]])


fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for ax, (act, key, title) in zip(
    axes,
    [
        ("tanh", "saturated", "tanh: share saturated"),
        ("relu", "zero", "ReLU: share off"),
        (None, "delta_rms", "backward signal, tanh / ReLU (RMS delta per unit)"),
    ],
):
    for layer, ls in ((0, "-"), (1, ":")):
        if act:
            curves = [probe_curve(r, key, layer) for r in mnist[act]]
            color = plots.ACTIVATION_STYLE[act]["color"]
        else:
            curves = [
                probe_curve(rt, key, layer) / probe_curve(rr, key, layer)
                for rt, rr in zip(mnist["tanh"], mnist["relu"])
            ]
            color = ("0.25", "tab:orange")[layer]  # the two layers' bands must differ
        ax.plot(
            probe_epochs,
            np.mean(curves, 0),
            ls=ls,
            marker=".",
            color=color,
            label=f"layer {layer + 1}, mean of 4 seeds",
        )
        ax.fill_between(probe_epochs, np.min(curves, 0), np.max(curves, 0), alpha=0.15, color=color)
    if act is None:
        ax.axhline(1, color="k", lw=0.8)
    ax.set(
        xscale="symlog",
        xlim=(-0.05, MNIST_EPOCHS * 1.1),
        xlabel="epochs (symlog: epoch 1 in detail)",
        title=title,
        ylabel="tanh / ReLU (above 1: tanh larger)" if act is None else "(image, unit) pairs",
    )
    if act:
        ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xticks([0, 0.5, 1, 2, 5, 10], ["0", "0.5", "1", "2", "5", "10"])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
fig.suptitle(
    "Inside the Problem 5 and 6 nets on 2,048 validation images: mean of 4 seeds, band min-max"
)
fig.tight_layout()
show(
    fig,
    "share of saturated tanh units, share of off ReLU units, and the ratio of tanh's to ReLU's RMS "
    "backward signal per unit, for hidden layers 1 and 2, through epoch 1 in detail and then per "
    "epoch, mean of 4 seeds with min-max bands",
    save="e7_inside",
)

# %%
pixel_mean, pixel_std = float(x_train[:n_fit].mean()), float(x_train[:n_fit].std())
sat_predicted = mechanisms.saturated_share((probe_x - pixel_mean) / pixel_std, 512)
sat = {
    e: np.array([r["probe"].stats[e][0]["saturated"] for r in mnist["tanh"]]) for e in (0, 1, -1)
}
off = {e: np.array([r["probe"].stats[e][0]["zero"] for r in mnist["relu"]]) for e in (0, 1, -1)}
delta_ratio = np.array(
    [
        np.array(rt["probe"].first_epoch_series("delta_rms", 0)[1])
        / np.array(rr["probe"].first_epoch_series("delta_rms", 0)[1])
        for rt, rr in zip(mnist["tanh"], mnist["relu"])
    ]
)
print(
    f"tanh layer 1 saturated: {sat[0].mean():.1%} at the start (calculated {sat_predicted:.1%}), "
    f"{sat[1].mean():.1%} after epoch 1, {sat[-1].mean():.1%} at the end"
)
print(
    f"ReLU layer 1 off: {off[0].mean():.1%} at the start (calculated 50%), {off[1].mean():.1%} "
    f"after epoch 1, {off[-1].mean():.1%} at the end"
)
slope_rms = {
    act: mechanisms.mean_field_slope_rms((probe_x - pixel_mean) / pixel_std, (512, 512), act)
    for act in ("tanh", "relu")
}
slope_ratio = [s_t / s_r for s_t, s_r in zip(slope_rms["tanh"], slope_rms["relu"])]
# a layer-l delta carries the slopes of layers l..2: layer 1 both, layer 2 its own
predicted_start = [slope_ratio[0] * slope_ratio[1], slope_ratio[1]]
measured_start = [
    np.mean(
        [
            rt["probe"].stats[0][layer]["delta_rms"] / rr["probe"].stats[0][layer]["delta_rms"]
            for rt, rr in zip(mnist["tanh"], mnist["relu"])
        ]
    )
    for layer in (0, 1)
]
print(
    "RMS slope at the start, calculated: tanh "
    + ", ".join(f"{v:.2f}" for v in slope_rms["tanh"])
    + f" (layers 1, 2), ReLU {slope_rms['relu'][0]:.2f}"
)
print(
    "RMS delta at the start, tanh / ReLU: calculated "
    + ", ".join(f"{v:.2f}" for v in predicted_start)
    + ", measured (mean of 4 seeds) "
    + ", ".join(f"{v:.2f}" for v in measured_start)
    + " (layers 1, 2)"
)
print(
    f"layer-1 RMS delta, tanh / ReLU, per seed through epoch 1: {delta_ratio.min():.2f} to "
    f"{delta_ratio.max():.2f}"
)
mean_ratio_epoch1 = {}  # the 4-seed mean tanh / ReLU ratio at each probe point of epoch 1
for layer in (0, 1):
    ratio = np.mean(
        [
            np.array(rt["probe"].first_epoch_series("delta_rms", layer)[1])
            / np.array(rr["probe"].first_epoch_series("delta_rms", layer)[1])
            for rt, rr in zip(mnist["tanh"], mnist["relu"])
        ],
        axis=0,
    )
    at = np.array(mnist["tanh"][0]["probe"].first_epoch_series("delta_rms", layer)[0])
    above = np.flatnonzero(ratio >= 1)  # probe points where tanh's signal is still the larger
    # the last graph call of epoch 1 reports batch 192 of 188: cap at the end of epoch 1
    stays_below = min(1.0, at[above[-1] + 1] / steps_per_epoch) if above[-1] + 1 < len(at) else None
    mean_ratio_epoch1[layer + 1] = {
        "points_below_1": int((ratio[1:] < 1).sum()),
        "points": len(ratio) - 1,
        "below_1_from_epoch": stays_below,
    }
    print(
        f"layer {layer + 1}, mean of 4 seeds, tanh / ReLU through epoch 1: below 1 at "
        f"{(ratio[1:] < 1).sum()} of {len(ratio) - 1} probe points after the start"
        + (f", and from epoch {stays_below:.2f} on" if stays_below is not None else "")
    )
end_ratio = [
    [
        rt["probe"].stats[-1][layer]["delta_rms"] / rr["probe"].stats[-1][layer]["delta_rms"]
        for rt, rr in zip(mnist["tanh"], mnist["relu"])
    ]
    for layer in (0, 1)
]
print(
    f"RMS delta after epoch {MNIST_EPOCHS}, tanh / ReLU, per seed: "
    + "; ".join(
        f"layer {k + 1} " + ", ".join(f"{v:.2f}" for v in ratios)
        for k, ratios in enumerate(end_ratio)
    )
)

# %% [markdown]
# **What the probe supports.** The calculation holds at the start (1.9% of layer-1 tanh pairs
# saturated, as calculated; half the ReLU pairs off). During training saturation grows to 15.4%
# after epoch 1 and 29.7% at the end, and ReLU units go off on 64% and then 71% of pairs: the ReLU
# code gets sparser. The backward signal (RMS delta) is a gradient, which no optimiser rescales.
# Worked layer by layer, the slope account does not favour ReLU at the start. Layer 1's net inputs
# have variance about 1.2, where tanh's RMS slope is 0.66 against ReLU's 0.71; layer 2's are
# smaller, where tanh's is 0.79. A layer-1 delta carries both layers' slopes, so tanh's backward
# signal is calculated at 1.05 times ReLU's in layer 1 and 1.12 times in layer 2, and measured
# at 1.05 and 1.12 (mean of 4 seeds). Within epoch 1 the ratio falls: in layer 1 it runs from 0.77
# to 1.09 across seeds and batches, and its 4-seed mean is below 1 at every probe point from
# epoch 0.17 on (in layer 2 at 2 of 6 points, after about two thirds of epoch 1 and at its end),
# while tanh saturation is still below 16%; after epoch 10 it is below 1 in both layers in every
# seed (printed above). So the gradient-size difference that favours ReLU appears during training,
# not at the start, and this probe does not show that saturation causes it. Under Adam, which sets
# each weight's step size itself, a difference in gradient size need not change the steps; it
# neither confirms nor excludes an effect of the slopes on which units and images carry the signal
# (an RMS over units averages that away), and the early gap is itself not established (the epoch-1
# row of the table: $p$ = 0.05, 0.15 after Holm's adjustment).
#
# **Two controls.** *Without Adam* (4 seeds): plain SGD at 0.05 for 2 epochs, with the same probe
# after each epoch. *He weights for ReLU* (2 seeds), the initialisation made for it (Glorot above).

# %%
controls, sgd_probes = {}, {}
for seed in progress(MNIST_SEEDS, desc="controls"):
    for act in ("tanh", "relu"):
        keras.utils.set_random_seed(seed)
        net = training.build_mlp(training.mnist_recipe(act, epochs=2), x_train)
        net.compile(
            loss="categorical_crossentropy",
            optimizer=keras.optimizers.SGD(0.05),
            metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
            steps_per_execution=32,
        )
        sgd_probe = diagnostics.LayerProbe(probe_x, probe_y)
        h = net.fit(
            x_train,
            y_train,
            batch_size=256,
            epochs=2,
            validation_split=0.2,
            validation_batch_size=4000,
            callbacks=[sgd_probe],
            verbose=0,
        )
        controls.setdefault(f"{act}, plain SGD", []).append(100 * h.history["val_accuracy"][0])
        sgd_probes.setdefault(act, []).append(sgd_probe)
    if seed not in MNIST_SEEDS[:2]:
        continue  # He weights: the whole recipe, 2 seeds
    he = mnist_run("relu", seed, kernel_initializer="he_normal")
    controls.setdefault("relu, He: final validation", []).append(
        100 * he["history"]["val_accuracy"][-1]
    )
sgd_lead = np.subtract(controls["relu, plain SGD"], controls["tanh, plain SGD"])
adam_lead = np.subtract(
    per_seed["relu"]["validation accuracy after epoch 1 (points)"],
    per_seed["tanh"]["validation accuracy after epoch 1 (points)"],
)
# the same probe on the SGD nets: layer-1 backward signal, tanh / ReLU, after epochs 1 and 2
sgd_ratio = np.array(
    [
        [pt.stats[e][0]["delta_rms"] / pr.stats[e][0]["delta_rms"] for e in (0, 1, 2)]
        for pt, pr in zip(sgd_probes["tanh"], sgd_probes["relu"])
    ]
)
sgd_saturated = [pt.stats[1][0]["saturated"] for pt in sgd_probes["tanh"]]
print(
    "plain SGD, layer-1 RMS delta, tanh / ReLU, per seed: at the start "
    + ", ".join(f"{v:.2f}" for v in sgd_ratio[:, 0])
    + "; after epoch 1 "
    + ", ".join(f"{v:.2f}" for v in sgd_ratio[:, 1])
    + "; after epoch 2 "
    + ", ".join(f"{v:.2f}" for v in sgd_ratio[:, 2])
    + f"; tanh layer-1 pairs saturated after epoch 1: {np.mean(sgd_saturated):.1%}"
)
he_minus_glorot = np.subtract(
    controls["relu, He: final validation"],
    per_seed["relu"]["final validation accuracy (points)"][:2],
)
print(
    f"ReLU's lead in validation accuracy after epoch 1 (points), seeds {MNIST_SEEDS}: "
    f"plain SGD {', '.join(f'{v:+.2f}' for v in sgd_lead)} (tanh at "
    f"{', '.join(f'{v:.1f}' for v in controls['tanh, plain SGD'])}%), Adam "
    f"{', '.join(f'{v:+.2f}' for v in adam_lead)}"
)
he_words = ", ".join(f"{v:+.2f}" for v in he_minus_glorot)
print(f"ReLU final validation accuracy, He - Glorot: {he_words} points")

# %% [markdown]
# Without Adam, ReLU's lead after epoch 1 is larger in every seed (+2.15, +1.73, +2.40 and +0.75
# points against +0.06, +0.79, +0.92 and +0.66 with Adam; means 1.76 and 0.61; exact sign test on
# the 4 paired differences, p = 0.125), from a lower tanh baseline (about 89.6% against 95%). With
# one learning rate and 2 epochs this is an observation. The probe on these nets does not find the
# slope account's mechanism: after epoch 1 tanh's layer-1 backward signal is 0.92 to 1.05 times
# ReLU's, about equal, with 2.8% of tanh pairs saturated. So under plain SGD ReLU's early lead
# does not come from a larger backward signal ($\partial E/\partial \mathrm{net}$); the weight
# gradients, which also scale with each layer's inputs (ReLU's are sparse and unbounded), were not
# measured, and the lead's cause was not found. He weights did not help ReLU here: its final
# validation accuracy was 0.13 and 0.10 points lower than with Glorot weights.
#
# **What the extras buy: a plain baseline.** The same 784-512-512-10 net and dropout, trained
# without the three additions (raw pixels in [0, 1], no shifts, Adam at a constant 0.001), 10 epochs
# of batch 256, seeds 1-2 of the four above. Compared on validation data with the recipe's runs of
# the same seeds.

# %%
baseline = {}
for act in ("tanh", "relu"):
    for seed in progress(MNIST_SEEDS[:2], desc=f"{act} baseline"):
        keras.utils.set_random_seed(seed)
        net = models.mnist_mlp(
            (512, 512),
            act,
            dropout=0.1,
            optimizer=keras.optimizers.Adam(1e-3),
            steps_per_execution=32,
        )
        h = net.fit(
            x_train,
            y_train,
            batch_size=256,
            epochs=MNIST_EPOCHS,
            validation_split=0.2,
            validation_batch_size=4000,
            verbose=0,
        )
        baseline.setdefault(act, []).append(100 * h.history["val_accuracy"][-1])
rows = [
    "| activation | plain: final validation accuracy | recipe (same seeds) | recipe - plain |",
    "|---|---|---|---|",
]
baseline_gain = {}
for act in ("tanh", "relu"):
    recipe_val = per_seed[act]["final validation accuracy (points)"][:2]
    baseline_gain[act] = list(np.subtract(recipe_val, baseline[act]))
    rows.append(
        f"| {act} | {', '.join(f'{v:.2f}%' for v in baseline[act])} | "
        f"{', '.join(f'{v:.2f}%' for v in recipe_val)} | "
        f"{', '.join(f'{v:+.2f}' for v in baseline_gain[act])} points |"
    )
display(Markdown("\n".join(rows)))

# %% [markdown]
# Without standardisation, shifts and the cosine schedule the same nets reach 97.58% and 97.56%
# (tanh) and 96.97% and 97.92% (ReLU) on validation: all four runs below the lab's 98%; with
# them, 98.18-98.53%. The three extras together buy 0.6 to 1.6 points at this one setting (a
# constant rate, 10 epochs); a tuned plain baseline (longer training, other rates) was not tried,
# so they are not shown to be needed to clear 98%. Which of them buys how much was not separated.
# The dropout rate (0.1 against 0.2) was chosen on validation loss (`benchmarks/tune_dropout.py`,
# seeds 11 and 12, at 20 epochs); the recipe itself was first developed while test accuracy was
# also being printed every epoch, which this notebook cannot undo: the test numbers above may
# therefore be optimistic as estimates for new digits.
#
# **Where the errors are.** The test-set confusion matrices of seed 4850's two nets, and the first
# 20 test digits its ReLU net gets wrong.

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 5.4))
for ax, act in zip(axes, ("tanh", "relu")):
    plots.confusion_matrix(
        y_test_raw, mnist[act][0]["test_pred"], ax, title=f"{act} MLP, seed {SEED}: test set"
    )
fig.tight_layout()
show(
    fig,
    f"confusion matrices of the tanh and ReLU MLPs (seed {SEED}) on the 10,000 test digits",
    save="e7_confusion_matrix",
)
pred = mnist["relu"][0]["test_pred"]
wrong = np.flatnonzero(pred != y_test_raw)
plots.digits(
    x_test[wrong[:20]],
    [f"true {y_test_raw[i]}, pred {pred[i]}" for i in wrong[:20]],
    cmap="gray_r",
)
plt.gcf().suptitle(f"The first 20 test digits the ReLU MLP (seed {SEED}) gets wrong", y=1.02)
show(
    plt.gcf(),
    f"the first 20 test digits the ReLU MLP (seed {SEED}) gets wrong, with true and predicted "
    "labels",
    save="e7_misclassified",
)
EVIDENCE["mnist"] = {
    "seeds": MNIST_SEEDS,
    "recipe": training.mnist_recipe("relu"),
    "test_accuracy": {a: [v / 100 for v in per_seed[a]["test accuracy (points)"]] for a in mnist},
    "val_accuracy": {a: [r["history"]["val_accuracy"] for r in arm] for a, arm in mnist.items()},
    "paired": paired,
    "test_mcnemar": test_mcnemar,
    "test_accuracy_both_sources": both,
    "probe": {
        "tanh_saturated": {
            "start": sat[0].mean(),
            "epoch1": sat[1].mean(),
            "end": sat[-1].mean(),
            "start_calculated": sat_predicted,
        },
        "relu_off": {"start": off[0].mean(), "epoch1": off[1].mean(), "end": off[-1].mean()},
        "delta_ratio_epoch1": [delta_ratio.min(), delta_ratio.max()],
        "delta_ratio_epoch1_mean": mean_ratio_epoch1,
        "slope_rms_start_calculated": slope_rms,
        "delta_ratio_start": {"calculated": predicted_start, "measured": measured_start},
        "delta_ratio_end": end_ratio,
    },
    "controls": {
        "sgd_epoch1_lead": list(sgd_lead),
        "adam_epoch1_lead": list(adam_lead),
        "sgd_tanh_epoch1": controls["tanh, plain SGD"],
        "sgd_delta_ratio_layer1": {"start": list(sgd_ratio[:, 0]), "epoch1": list(sgd_ratio[:, 1])},
        "sgd_delta_ratio_layer1_epoch2": list(sgd_ratio[:, 2]),
        "sgd_tanh_saturated_epoch1": sgd_saturated,
        "he_minus_glorot_final_val": list(he_minus_glorot),
    },
    "baseline": {"final_val_accuracy": baseline, "recipe_minus_plain": baseline_gain},
}
EVIDENCE["seconds"]["mnist"] = time.perf_counter() - clock

# %% [markdown]
# ## 8. Wider or deeper? (supports the open questions)
#
# **The calculation first.** At initialisation each layer multiplies the variance of the backward
# signal by $n \cdot \mathrm{Var}(w) \cdot E[g'(z)^2]$ (Glorot and Bengio 2010; He et al. 2015).
# For 256-unit ReLU layers with Glorot weights, $\mathrm{Var}(w) = 2/512$ and half the units are
# off: $256 \cdot \tfrac{1}{256} \cdot \tfrac12 = \tfrac12$, or 0.71 per layer in RMS; He weights
# make it 1. tanh's slope term depends on the size of $z$, which the calculation carries forward
# from the images (mean-field; Poole et al. 2016). Measured on 8 hidden layers of 256 at
# initialisation, 2 seeds.

# %%
clock = time.perf_counter()
gain = {}
for label, (act, init) in {
    "tanh, Glorot": ("tanh", "glorot_uniform"),
    "ReLU, Glorot": ("relu", "glorot_uniform"),
    "ReLU, He": ("relu", "he_normal"),
}.items():
    measured = []
    for seed in MNIST_SEEDS[:2]:
        keras.utils.set_random_seed(seed)
        deep_net = models.mnist_mlp(
            (256,) * 8,
            act,
            dropout=0.0,
            kernel_initializer=init,
            standardize=(pixel_mean, pixel_std),
        )
        deltas = [s["delta_rms"] for s in diagnostics.layer_stats(deep_net, probe_x, probe_y)]
        measured.append(mechanisms.gain_per_layer(deltas))
    predicted = mechanisms.mean_field_rms_gain(
        (probe_x - pixel_mean) / pixel_std, (256,) * 8, act, init
    )
    gain[label] = {"predicted": predicted, "measured": measured}
    print(
        f"{label:13s} backward factor per layer: calculated {predicted:.2f}, measured "
        f"{', '.join(f'{m:.2f}' for m in measured)}"
    )

# %% [markdown]
# **The budget study.** Nets of about 100,000 weights (output layer included) with 1, 2, 4 or 8
# hidden layers, no dropout or shifts, Adam 0.001 with batch 256 and a cosine decay to 0 over 10
# epochs. Stopping rule: every net runs the whole schedule (no early stopping), and each is scored
# after epoch 10, so no epoch is chosen on the validation data that scores it. Beside validation
# accuracy the table gives the final training loss (cross-entropy on the training rows, measured
# after training), which tells an optimisation limit from overfitting. At a fixed budget the
# 784-input first layer holds almost all the weights, so "deeper" with equal widths mostly means a
# narrower first layer (125 units at depth 1, 75 at depth 8). The arm "ReLU, first layer 100"
# removes that confound: its first layer has 100 units at every depth and only the layers above it
# change (depth 1 then has 79,510 weights, the rest about 100,000). The arm "ReLU, He" gives the
# ReLU nets He weights, the initialisation made for deep ReLU stacks (He et al. 2015): with Glorot
# weights the calculation above shrinks the backward signal by 0.71 per layer. 3 seeds per cell.

# %%
FIRST = 100
DEPTHS = (1, 2, 4, 8)


def budget_widths(arm, depth, budget=100_000):
    if arm == "ReLU, first layer 100":
        if depth == 1:
            return (FIRST,)
        rest = budget - (784 + 1) * FIRST
        up = max(
            k
            for k in range(1, 400)
            if (FIRST + 1) * k + (depth - 2) * (k + 1) * k + (k + 1) * 10 <= rest
        )
        return (FIRST,) + (up,) * (depth - 1)
    return (models.width_for_budget(depth, budget),) * depth


WVD_ARMS = {  # arm: (activation, kernel initialiser)
    "tanh, equal widths": ("tanh", "glorot_uniform"),
    "ReLU, equal widths": ("relu", "glorot_uniform"),
    "ReLU, He, equal widths": ("relu", "he_normal"),
    "ReLU, first layer 100": ("relu", "glorot_uniform"),
}
WVD_SEEDS = MNIST_SEEDS[:3]
WVD_EPOCHS = 10
WVD_JOBS = [(a, d, s) for a in WVD_ARMS for d in DEPTHS for s in WVD_SEEDS]


def wvd_recipe(arm, depth):
    act, init = WVD_ARMS[arm]
    recipe = training.mnist_recipe(
        act, budget_widths(arm, depth), epochs=WVD_EPOCHS, shift=0, dropout=0.0, batch_size=256
    )
    return {**recipe, "kernel_initializer": init}


# 48 small nets, two at a time on a 2-core machine (helpers/parallel.py: one process per core)
runs = parallel.train_jobs([(wvd_recipe(a, d), s) for a, d, s in WVD_JOBS])
wvd = {}
for (arm, depth, seed), run in progress(
    zip(WVD_JOBS, runs, strict=True), "wider vs deeper", len(WVD_JOBS)
):
    wvd.setdefault((arm, depth), []).append(run)
assert all(len(v) == len(WVD_SEEDS) for v in wvd.values()), "a depth-study run is missing"
rows = [
    "| arm | " + " | ".join(f"{d} layer{'s' * (d > 1)}" for d in DEPTHS) + " |",
    "|---" * (len(DEPTHS) + 1) + "|",
]
for arm in WVD_ARMS:
    rows.append(
        f"| {arm} | "
        + " | ".join(
            f"{'-'.join(map(str, budget_widths(arm, d)))}: "
            f"{np.mean([r['val_accuracy'] for r in wvd[arm, d]]):.2%} "
            f"(loss {np.mean([r['train_loss'] for r in wvd[arm, d]]):.4f})"
            for d in DEPTHS
        )
        + " |"
    )
display(
    Markdown(
        f"hidden widths: validation accuracy after epoch {WVD_EPOCHS} (training loss), mean of 3 "
        "seeds\n\n" + "\n".join(rows)
    )
)

# %% [markdown]
# Depth 1 against depth 8 within each arm, seed by seed (the same 3 seeds):

# %%
depth_tests = {}
for arm in WVD_ARMS:
    shallow = [r["val_accuracy"] for r in wvd[arm, 1]]
    deep = [r["val_accuracy"] for r in wvd[arm, 8]]
    d = 100 * np.subtract(shallow, deep)
    loss_d = np.subtract(
        [r["train_loss"] for r in wvd[arm, 8]], [r["train_loss"] for r in wvd[arm, 1]]
    )
    depth_tests[arm] = {
        "mean": float(d.mean()),
        "per_seed": list(d),
        "t_p": float(sps.ttest_rel(shallow, deep).pvalue),
        "train_loss_8_minus_1": list(loss_d),
    }
    print(
        f"{arm}: 1 layer - 8 layers = {', '.join(f'{v:+.2f}' for v in d)} points "
        f"(paired t-test p = {depth_tests[arm]['t_p']:.2g}, 3 seeds); training loss, 8 layers - 1: "
        f"{', '.join(f'{v:+.4f}' for v in loss_d)}"
    )
for arm, hp in zip(depth_tests, stats.holm([v["t_p"] for v in depth_tests.values()])):
    depth_tests[arm]["holm_t_p"] = hp
print(
    "paired t-test p, Holm-adjusted over the 4 arms: "
    + ", ".join(f"{arm} {v['holm_t_p']:.2g}" for arm, v in depth_tests.items())
)
# every pair of depths in every arm (24 paired t-tests), Holm-adjusted over all 24: does any
# depth beat another once the comparisons are not chosen in advance?
all_pairs = []
for arm in WVD_ARMS:
    for a, b in itertools.combinations(DEPTHS, 2):
        shallow = [r["val_accuracy"] for r in wvd[arm, a]]
        deep = [r["val_accuracy"] for r in wvd[arm, b]]
        all_pairs.append(
            {
                "arm": arm,
                "depths": [a, b],
                "deeper_minus_shallower": float(100 * np.mean(np.subtract(deep, shallow))),
                "t_p": float(sps.ttest_rel(deep, shallow).pvalue),
            }
        )
for pair, hp in zip(all_pairs, stats.holm([v["t_p"] for v in all_pairs])):
    pair["holm_t_p"] = hp
lowest = min(all_pairs, key=lambda v: v["holm_t_p"])
print(
    f"all {len(all_pairs)} pairs of depths: {sum(v['holm_t_p'] < 0.05 for v in all_pairs)} below "
    f"5% after Holm; smallest adjusted p {lowest['holm_t_p']:.2f} ({lowest['arm']}, "
    f"{lowest['depths'][1]} layers - {lowest['depths'][0]}: "
    f"{lowest['deeper_minus_shallower']:+.2f} points)"
)

# %%
fig, ax = plt.subplots(figsize=(8.6, 3.8))
for k, (arm, (act, init)) in enumerate(WVD_ARMS.items()):
    v = np.array([[r["val_accuracy"] for r in wvd[arm, d]] for d in DEPTHS]) * 100
    style = dict(plots.ACTIVATION_STYLE[act])
    if "first" in arm:
        style.update(ls=":", marker="^")
    elif init == "he_normal":
        style.update(ls="-.", marker="s", mfc="white")
    ax.errorbar(
        np.multiply(DEPTHS, 1.04 ** (k - 1.5)),  # arms offset a little, so the bars do not overlap
        v.mean(1),
        yerr=[v.mean(1) - v.min(1), v.max(1) - v.mean(1)],
        capsize=3,
        label=arm,
        **style,
    )
ax.set(
    xscale="log",
    xticks=DEPTHS,
    xticklabels=[str(d) for d in DEPTHS],
    xlabel="hidden layers (nets of about 100,000 weights; 79,510 with 1 layer of 100)",
    ylabel=f"validation accuracy (%), epoch {WVD_EPOCHS}",
    title="wider vs deeper (mean, range of 3 seeds)",
)
ax.xaxis.set_minor_formatter(plt.NullFormatter())
ax.grid(alpha=0.3)
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
show(
    fig,
    f"validation accuracy after {WVD_EPOCHS} epochs against depth at a fixed budget, for tanh and "
    "ReLU with equal widths, ReLU with He weights, and ReLU with its first layer fixed at 100 "
    "units, mean and range of 3 seeds",
    save="e8_wider_vs_deeper",
)
EVIDENCE["wider_deeper"] = {
    "seeds": len(WVD_SEEDS),
    "budget": 100_000,
    "gain_per_layer": gain,
    "widths": {arm: {str(d): list(budget_widths(arm, d)) for d in DEPTHS} for arm in WVD_ARMS},
    "mean_val_accuracy": {
        arm: {str(d): float(np.mean([r["val_accuracy"] for r in wvd[arm, d]])) for d in DEPTHS}
        for arm in WVD_ARMS
    },
    "runs": {f"{arm}, depth {d}": wvd[arm, d] for arm in WVD_ARMS for d in DEPTHS},
    "depth_1_minus_8": depth_tests,
    "all_pairs": all_pairs,
}
EVIDENCE["seconds"]["wider_deeper"] = time.perf_counter() - clock

# %% [markdown]
# **What the table shows.** Depth changed validation accuracy by half a point at most: within each
# arm the four depths span at most 0.50 points, and the highest mean is at 2 or 4 layers in every
# arm (by 0.02 to 0.11 points over the next-best depth, not tested). 8 layers against 1 went both
# ways: better for tanh (by 0.35 points) and for ReLU with its first layer at 100 units (by 0.04),
# worse for ReLU with equal widths (by 0.07) and with He weights (by 0.25). None of these 4
# differences is below 5% after Holm's adjustment over the 4 arms (smallest adjusted $p$ 0.29).
# Over all 24 pairs of depths (6 per arm, not chosen in advance), one paired t-test is: with a
# 100-unit first layer, 8 layers scored 0.34 points below 2 (adjusted $p$ = 0.01). With 3 seeds
# that rests on the normality assumption alone, since 3 paired seeds cannot give $p$ below 0.25
# without it (a sign-flip test has 8 equally likely outcomes), and a tiny $p$ there only says that
# three differences happened to be alike; it is a lead, not a finding. No best depth is
# established. The worst cell is the single tanh layer of 125 units.
#
# **Fit and optimisation.** In every arm and seed the 8-layer nets fit the training rows better than
# the 1-layer nets (final training loss lower by 0.013 to 0.047). From 4 to 8 layers, though, the
# mean training loss rose in every arm (table), as layers narrowed from 92 to 75 units (79 to 50
# above a 100-unit first layer); whether that is lost capacity or harder optimisation was not
# separated. The backward signal shrinks as calculated, 0.70 and 0.72 per layer with Glorot weights
# for ReLU; He weights keep its size (1.02 and 1.03), yet the He arm's means were below the Glorot
# arm's at every depth (not tested). Adam divides each weight's step by the size of its own recent
# gradients, so a uniformly smaller backward signal need not mean smaller steps; but He weights also
# change the forward activations and each step's size relative to the weights, so the standard
# account makes no clean prediction here, and a plain-SGD arm would be needed to separate the two.
# Across arms, the 8-layer nets' lower training loss came with higher validation accuracy in two
# (tanh; ReLU with a 100-unit first layer) and lower in two (ReLU with equal widths, Glorot or He);
# those validation differences are small and not significant, so whether depth changes how well the
# fit generalises is not shown here (no dropout or shifts). Why depth buys little on digits (the
# standard account, not tested here): one wide layer already separates them well, about 97% here,
# and at a fixed budget each extra layer costs first-layer width.
#
# The scores are after the last epoch, with no epoch chosen on validation data. Limits: 3 seeds,
# one budget of about 100,000 weights, one 10-epoch schedule for every net, and no regularisation.

# %% tags=["remove_input"]
(OUTPUT_DIR / "evidence.json").write_text(
    json.dumps(EVIDENCE, indent=1, default=float), encoding="utf-8"
)
print({k: round(v) for k, v in EVIDENCE["seconds"].items()}, "seconds")
