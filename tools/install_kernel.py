"""Install this project's Jupyter kernel as ``python3`` in the virtual environment it runs from.

    .venv/bin/python tools/install_kernel.py        (``make setup`` runs it)

Jupyter Lab, nbconvert, nbval and papermill started from ``.venv`` all find kernels in
``.venv/share/jupyter/kernels`` (after the user's own ``~/.local/share/jupyter/kernels``), so every
way of running ``lab4.ipynb`` starts the same kernel. It differs from ipykernel's default in two
ways:

* ``env``: ``TF_CPP_MIN_LOG_LEVEL=3`` is set before the kernel imports TensorFlow, so TensorFlow's
  C++ logging drops its INFO, WARNING and ERROR lines (``2`` still lets E-level lines such as
  ``failed call to cuInit`` through).
* ``--IPKernelApp.capture_fd_output=False``: text that C/C++ libraries write straight to file
  descriptor 2 (TensorFlow, absl and CUDA log lines, some printed while the shared libraries load,
  before any environment variable is read) goes to the terminal that runs Jupyter, not into the
  notebook as a stderr output. Python's own ``print``, ``warnings.warn`` and tracebacks are still
  captured and shown in the notebook.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "python3"
ENV = {"TF_CPP_MIN_LOG_LEVEL": "3"}
EXTRA_ARGUMENTS = ["--IPKernelApp.capture_fd_output=False"]


def kernel_dict():
    from ipykernel.kernelspec import get_kernel_dict

    spec = get_kernel_dict(extra_arguments=EXTRA_ARGUMENTS)
    # "python" (not this interpreter's absolute path): jupyter_client starts the kernel with the
    # Python that runs Jupyter, as ipykernel's own kernel.json does.
    spec["argv"][0] = "python"
    spec["env"] = dict(ENV)
    return spec


def install(prefix=sys.prefix):
    """Write the kernelspec into ``<prefix>/share/jupyter/kernels/python3``; return its folder."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        source = write_kernel_spec(str(Path(tmp) / KERNEL_NAME), overrides=kernel_dict())
        return Path(KernelSpecManager().install_kernel_spec(source, KERNEL_NAME, prefix=prefix))


if __name__ == "__main__":
    folder = install()
    print(
        f"kernel {KERNEL_NAME!r} installed in {folder}: "
        f"{json.loads((folder / 'kernel.json').read_text(encoding='utf-8'))['argv']}"
    )
