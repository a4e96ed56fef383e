"""Where the notebook reads and writes, decided from the repository, not from the working directory.

``output_dir`` keeps the committed deliverables (``results.json``, ``figures/``) safe from runs that
are not meant to replace them; ``project_file`` finds the repository's own files wherever the
notebook is started.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import checks

#: The repository root (the folder holding ``helpers/``).
ROOT = Path(__file__).resolve().parent.parent
#: The notebook's default seed: only a run with this seed writes the committed deliverables.
DEFAULT_SEED = 4850
#: Environment variable naming an output folder (``make test``, ``make grade`` and ``make lab`` set
#: it).
ENV_VAR = "LAB4_OUTPUT_DIR"
#: Runs under other seeds write into ``RUNS / f"seed{SEED}"`` (git-ignored).
RUNS = ROOT / "runs"


def output_dir(seed, output_dir=None, default_seed=DEFAULT_SEED, environ=None) -> Path:
    """The folder a run with ``seed`` writes ``results.json`` and ``figures/`` into, as an absolute
    Path.

    The first that applies:

    1. ``output_dir``, when given (papermill's ``-p OUTPUT_DIR ...``); a relative path is taken from
       the current working directory, as a path typed on a command line is;
    2. the environment variable ``LAB4_OUTPUT_DIR``, when set (``make test``, ``make grade`` and
       ``make lab`` point it at a temporary folder); relative paths as in 1;
    3. the repository root, for the default seed (``default_seed``): the committed deliverables;
    4. ``runs/seed<SEED>/`` under the repository root (git-ignored) for any other seed, so such a
       run never replaces the committed ``results.json`` or ``figures/``.

    The folder is not created here. Raises ``ValueError`` (one line) for a seed that is not a whole
    number >= 0, and for an ``output_dir`` or ``LAB4_OUTPUT_DIR`` that is set but empty.
    ``environ`` defaults to ``os.environ``.
    """
    seed = checks.whole("SEED", seed, minimum=0)
    environ = os.environ if environ is None else environ
    if output_dir is not None:
        if not str(output_dir).strip():
            raise ValueError(
                "OUTPUT_DIR is empty: name a folder, or leave it None "
                f"(the repository root for SEED {default_seed}, else runs/seed<SEED>/)"
            )
        return Path(output_dir).expanduser().absolute()
    env = environ.get(ENV_VAR)
    if env is not None:
        if not env.strip():
            raise ValueError(
                f"{ENV_VAR} is set but empty: unset it ({ENV_VAR} unset: the repository root "
                f"for SEED {default_seed}, else runs/seed<SEED>/) or name a folder"
            )
        return Path(env).expanduser().absolute()
    if seed == default_seed:
        return ROOT
    return RUNS / f"seed{seed}"


def project_file(relative, must_exist=True) -> Path:
    """The absolute path of ``relative`` (e.g. ``"benchmarks/tune_dropout.json"``) inside the
    repository, whatever the working directory.

    Raises ``ValueError`` for an absolute path or one that leads outside the repository, and
    ``FileNotFoundError`` (one line) when ``must_exist`` and nothing is there.
    """
    rel = Path(relative)
    if rel.is_absolute() or not str(relative).strip():
        raise ValueError(
            f"project_file({str(relative)!r}): give a path relative to the repository root {ROOT}"
        )
    path = Path(os.path.normpath(ROOT / rel))  # ".." folded in; symlinks inside the repository kept
    if path != ROOT and ROOT not in path.parents:
        raise ValueError(f"project_file({str(relative)!r}) leads outside the repository {ROOT}")
    if must_exist and not path.exists():
        raise FileNotFoundError(
            f"{path} not found: it belongs to the repository; restore it with "
            f"`git checkout -- {rel.as_posix()}`"
        )
    return path
