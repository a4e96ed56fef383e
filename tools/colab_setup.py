"""The second half of lab4.ipynb's first cell (tagged colab-setup in src/lab4.py), once the
repository is there.

``run(namespace)`` with the notebook's ``globals()``:

* refuses papermill values that landed above the first cell (papermill does that only when no cell
  is tagged ``parameters``, and the notebook's own ``SEED = 4850`` would then overwrite them);
* in Colab, installs what ``requirements-notebook.txt`` asks for and the runtime lacks, counting
  Colab's ``tensorflow`` for ``tensorflow-cpu`` and keeping Colab's IPython (7.34 will do);
* everywhere, checks for Keras 3 and TensorFlow 2.16 or later and says in one line what to install;
* sets ``IN_COLAB`` and ``LAB4_SETUP_DONE`` in the namespace and prints the versions.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path


def installed(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def missing_requirements(path="requirements-notebook.txt"):
    """The requirements of ``path`` (for this platform) that no installed version satisfies."""
    try:
        from packaging.requirements import Requirement
    except ImportError:
        from pip._vendor.packaging.requirements import Requirement

    missing = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        req = Requirement(line) if line else None
        if req is None or (req.marker and not req.marker.evaluate()):
            continue
        tf_names = ["tensorflow", "tensorflow-cpu"]  # one package: Colab's tensorflow counts
        names = tf_names if req.name in tf_names else [req.name]
        if not any(
            installed(n) and req.specifier.contains(installed(n), prereleases=True) for n in names
        ):
            missing.append(req)
    return missing


def run(namespace):
    if "SEED" in namespace and "LAB4_SETUP_DONE" not in namespace:
        raise RuntimeError(
            "papermill found no cell tagged `parameters`, so -p values would be "
            "overwritten: restore the tag (git checkout -- lab4.ipynb)"
        )
    in_colab = "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ
    if in_colab:
        missing = missing_requirements()
        if missing:
            print("installing what this runtime lacks:", ", ".join(map(str, missing)))
            wanted = [f"{r.name}{r.specifier}" for r in missing]
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", *wanted], check=True)
            if {r.name for r in missing} & {"tensorflow", "tensorflow-cpu", "keras", "numpy"}:
                print("TensorFlow, Keras or NumPy changed: Runtime > Restart session, then run all")
    tf_dist = installed("tensorflow") or installed("tensorflow-cpu") or "0"
    keras_dist = installed("keras") or "0"
    tf_major_minor = tuple(int(p) for p in tf_dist.split(".")[:2])
    if int(keras_dist.split(".")[0]) < 3 or tf_major_minor < (2, 16):
        raise RuntimeError(
            f"found Keras {keras_dist} and TensorFlow {tf_dist} (0: not installed); "
            "this notebook needs Keras 3 and TensorFlow 2.16 or later: pip install -r "
            "requirements-notebook.txt (or make setup)"
        )
    print(
        f"Python {sys.version.split()[0]}, TensorFlow {tf_dist}, Keras {keras_dist}, IPython "
        f"{installed('ipython')}" + (", in Colab" if in_colab else "")
    )
    namespace.update(IN_COLAB=in_colab, LAB4_SETUP_DONE=True)
