"""The notebook's kernel keeps TensorFlow's C++ log lines out of the notebook and still shows
Python's warnings; the committed executed notebook has no TensorFlow, absl or CUDA log output."""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import install_kernel

ROOT = Path(__file__).resolve().parent.parent

# glog/absl line prefixes (I0000 00:00:..., E1125 09:26:...) and the known TensorFlow/CUDA start-up
# texts
TF_LOG = re.compile(
    r"(^|\n)[IWEF]\d{4} \d\d:\d\d:\d\d|absl::|cuInit|cuda_|cudart|oneDNN|This TensorFlow binary"
    r"|NodeDef mentions attribute|Unable to register cu"
)


def log_outputs(nb):
    """(cell index, text) of every stream output that holds TensorFlow/absl/CUDA log text."""
    return [
        (i, "".join(o["text"]))
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o["output_type"] == "stream" and TF_LOG.search("".join(o["text"]))
    ]


def test_committed_notebook_has_no_tensorflow_log_output():
    nb = json.loads((ROOT / "lab4.ipynb").read_text(encoding="utf-8"))
    found = log_outputs(nb)
    assert not found, (
        f"{len(found)} stream outputs with TensorFlow/absl/CUDA log text, first in cell "
        f"{found[0][0]}: {found[0][1][:200]!r}"
    )


def test_installed_kernelspec_is_the_quiet_one():
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(install_kernel.KERNEL_NAME)
    except NoSuchKernel:
        pytest.fail("no python3 kernel: run `make setup` (it runs tools/install_kernel.py)")
    missing = [a for a in install_kernel.EXTRA_ARGUMENTS if a not in spec.argv]
    env = {k: spec.env.get(k) for k in install_kernel.ENV}
    assert not missing and env == install_kernel.ENV, (
        f"kernel {spec.resource_dir} lacks {missing or env}: run `make setup` (it runs "
        "tools/install_kernel.py)"
    )


def test_kernel_hides_tensorflow_logs_but_shows_python_warnings():
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    nb.cells = [
        nbformat.v4.new_code_cell(src)
        for src in [
            # TensorFlow's start-up lines are printed here
            "import numpy as np, keras, tensorflow as tf",
            (
                "m = keras.Sequential([keras.Input((2,)), "
                "keras.layers.Dense(1)])\nm.compile('sgd', 'mse')\n"
                "m.fit(np.zeros((8, 2)), np.zeros(8), validation_split=0.25, verbose=0);"
            ),
            "import warnings\nwarnings.warn('a warning the notebook raises')",
        ]
    ]
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    assert not log_outputs(nb), log_outputs(nb)
    stderr = ["".join(o["text"]) for o in nb.cells[2].outputs if o.get("name") == "stderr"]
    assert any("UserWarning: a warning the notebook raises" in s for s in stderr), nb.cells[
        2
    ].outputs
