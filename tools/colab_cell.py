# %% tags=["colab-check"]
# Setup, before anything that can fail to import. In Colab: fetch this repository (a notebook
# opened from GitHub gets a runtime without it) and install only what Colab lacks, keeping Colab's
# own IPython. Everywhere: check the versions in one line. (tools/colab_cell.py; make colab-check)
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

REPO_URL = "https://github.com/YOUR-ORG/open-lab-4.git"  # this repository's clone URL (your copy)
IN_COLAB = "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ
if "SEED" in globals() and "LAB4_SETUP_DONE" not in globals():  # papermill's -p values landed
    # above this first cell: it does so only when no cell is tagged `parameters`
    raise RuntimeError(
        "papermill found no cell tagged `parameters`, so -p values would be "
        "overwritten: restore the tag (git checkout -- lab4.ipynb)"
    )
if IN_COLAB and not Path("helpers").is_dir():
    if not Path("lab4", "helpers").is_dir():
        url = os.environ.get("LAB4_REPO_URL", REPO_URL)
        if "YOUR-ORG" in url:
            raise RuntimeError(
                "set REPO_URL in this cell to the clone URL of your copy of this "
                "repository, then run the cell again"
            )
        subprocess.run(["git", "clone", "--depth", "1", "--quiet", url, "lab4"], check=True)
    os.chdir("lab4")
if not Path("helpers").is_dir():
    raise RuntimeError(
        f"helpers/ not found in {Path.cwd()}: run the notebook from the repository "
        "folder (papermill: add --cwd <repository folder>)"
    )


def installed(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


if IN_COLAB:  # install what is missing or too old; IPython 7.34 (Colab's) satisfies the list
    try:
        from packaging.requirements import Requirement
    except ImportError:
        from pip._vendor.packaging.requirements import Requirement

    missing = []
    for line in Path("requirements-notebook.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        req = Requirement(line) if line else None
        if req is None or (req.marker and not req.marker.evaluate()):
            continue
        # tensorflow and tensorflow-cpu are one package: Colab's tensorflow counts
        tf_names = ["tensorflow", "tensorflow-cpu"]
        names = tf_names if req.name in tf_names else [req.name]
        if not any(
            installed(n) and req.specifier.contains(installed(n), prereleases=True) for n in names
        ):
            missing.append(req)
    if missing:
        print("installing what this runtime lacks:", ", ".join(map(str, missing)))
        wanted = [f"{r.name}{r.specifier}" for r in missing]
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *wanted], check=True)
        if {r.name for r in missing} & {"tensorflow", "tensorflow-cpu", "keras", "numpy"}:
            print("TensorFlow, Keras or NumPy changed: Runtime > Restart session, then run all")
tf_dist = installed("tensorflow") or installed("tensorflow-cpu") or "0"
keras_dist = installed("keras") or "0"
if int(keras_dist.split(".")[0]) < 3 or tuple(int(p) for p in tf_dist.split(".")[:2]) < (2, 16):
    raise RuntimeError(
        f"found Keras {keras_dist} and TensorFlow {tf_dist} (0: not installed); "
        "this notebook needs Keras 3 and TensorFlow 2.16 or later: pip install -r "
        "requirements-notebook.txt (or make setup)"
    )
print(
    f"Python {sys.version.split()[0]}, TensorFlow {tf_dist}, Keras {keras_dist}, IPython "
    f"{installed('ipython')}" + (", in Colab" if IN_COLAB else "")
)
LAB4_SETUP_DONE = True
