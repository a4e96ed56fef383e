"""Many small MNIST nets trained side by side: one worker process per core, one TensorFlow thread
each.

A net of about 100,000 weights is too small to keep two threads busy, so two single-threaded
processes train two nets in about the time one two-threaded process trains one. Each job is
``(recipe, seed)``: ``keras.utils.set_random_seed(seed)``, then ``training.train_mlp(recipe, ...)``
on the MNIST training set, so its result depends on the job alone, not on which worker ran it or in
what order. ``processes=1`` runs the jobs here, one after another, with no worker processes.

The workers load MNIST themselves (``data.load_mnist()``, the same file or download as the
notebook's) and import nothing from the notebook. They are started with ``spawn``, as on Windows
and macOS, so they behave the same on every platform.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

_TRAIN = None  # the worker's MNIST training arrays, loaded on its first job


def _one_thread():
    """Worker start-up, before TensorFlow makes its thread pools: one thread, quiet C++ logs."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["OMP_NUM_THREADS"] = "1"
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def _train():
    global _TRAIN
    if _TRAIN is None:
        from . import data

        (x, y), _ = data.load_mnist()
        _TRAIN = data.prepare(x, y)
    return _TRAIN


def train_job(job):
    """Train one ``(recipe, seed)`` job; return its final validation accuracy, its training loss on
    the rows ``fit`` trained on (inference mode), and its parameter count."""
    import keras

    from . import training

    recipe, seed = job
    x_train, y_train = _train()
    keras.utils.set_random_seed(seed)
    net, history, _ = training.train_mlp(recipe, x_train, y_train)
    n_fit = training.fit_rows(len(x_train), recipe["validation_split"])
    return {
        "val_accuracy": history.history["val_accuracy"][-1],
        "train_loss": net.evaluate(x_train[:n_fit], y_train[:n_fit], batch_size=4000, verbose=0)[0],
        "params": net.count_params(),
    }


def default_processes():
    """One worker per core, at most 4 (each holds MNIST and TensorFlow: about 1 GB)."""
    return max(1, min(4, os.cpu_count() or 1))


def train_jobs(jobs, processes=None):
    """``train_job`` for each of ``jobs``, in ``processes`` worker processes (default: one per core,
    at most 4); yields the results in the order of ``jobs``, each as soon as it and those before it
    are done."""
    from . import checks, training

    jobs = list(jobs)
    for recipe, seed in jobs:
        training.check_recipe(recipe)
        checks.whole("seed", seed, minimum=0)
    processes = default_processes() if processes is None else checks.whole("processes", processes)
    if processes == 1:
        yield from map(train_job, jobs)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_one_thread) as pool:
        futures = [pool.submit(train_job, job) for job in jobs]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()
