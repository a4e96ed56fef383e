"""``make colab-check``: the notebook's first cells in a runtime like Colab's.

1. A fresh virtual environment (under /tmp, removed at the end unless ``--keep``) gets Colab's own
   pins: ``ipython==7.34.0``, ``ipykernel==6.17.1`` and Colab's TensorFlow (``--tensorflow``,
   default 2.19.0), as a Colab runtime has them before the notebook runs.
2. ``pip install --dry-run -r requirements-notebook.txt`` there: it must not replace IPython.
3. The notebook's setup cells run in that environment's kernel (nbclient), from an empty folder
   with ``COLAB_RELEASE_TAG`` set (as in Colab) and ``LAB4_REPO_URL`` pointing at this repository,
   so the first cell clones it (its committed ``HEAD``) and installs what is missing. The cells are
   those tagged ``colab-check`` in ``lab4.ipynb`` (the Colab cell, the imports and version check,
   the parameters).
4. IPython must still be 7.34.0 afterwards.

Prints what it did, one line per step, and each cell's output; exits 1 on the first failure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLAB_IPYTHON = "7.34.0"
COLAB_IPYKERNEL = "6.17.1"
COLAB_TENSORFLOW = "2.19.0"
TAG = "colab-check"


def setup_cells(notebook: Path):
    """The cells to run: those tagged ``colab-check``."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    tagged = [c for c in nb.cells if TAG in c.metadata.get("tags", [])]
    if not tagged:
        raise SystemExit(f"colab-check: no cell of {notebook} is tagged {TAG!r}; tag its setup")
    return tagged


def bin_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def step(text):
    print(f"colab-check: {text}", flush=True)


def version_in(python: Path, dist: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def run_cells(cells, python: Path, workdir: Path, env: dict) -> list:
    """Execute ``cells`` in a kernel running ``python``, from ``workdir``; returns the executed
    cells. Raises nbclient's CellExecutionError on the first failing cell."""
    import nbformat
    from nbclient import NotebookClient

    specs = Path(tempfile.mkdtemp(prefix="colab-check-kernels-"))
    kernel = specs / "kernels" / "colab-check"
    kernel.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "Colab-like", "language": "python", "env": env}
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = str(specs) + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    nb = nbformat.v4.new_notebook(cells=[nbformat.from_dict(dict(c)) for c in cells])
    for cell in nb.cells:
        cell.outputs, cell.execution_count = [], None
    try:
        client = NotebookClient(
            nb,
            kernel_name="colab-check",
            timeout=1800,
            resources={"metadata": {"path": str(workdir)}},
        )
        client.execute()
    finally:
        shutil.rmtree(specs, ignore_errors=True)
    return nb.cells


def outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out and "text/plain" in out["data"]:
            parts.append(out["data"]["text/plain"] + "\n")
    return "".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="python3", help="the Python the runtime is made from")
    parser.add_argument("--tensorflow", default=COLAB_TENSORFLOW, help="Colab's TensorFlow")
    parser.add_argument("--notebook", type=Path, default=ROOT / "lab4.ipynb")
    parser.add_argument("--keep", action="store_true", help="keep the environment and folder")
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="lab4-colab-check-"))
    venv, content = base / "venv", base / "content"
    content.mkdir()
    try:
        pins = [f"ipython=={COLAB_IPYTHON}", f"ipykernel=={COLAB_IPYKERNEL}"]
        pins.append(f"tensorflow=={args.tensorflow}")
        step(f"a fresh virtual environment in {venv} with Colab's pins: {' '.join(pins)}")
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        python = bin_python(venv)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, *pins], check=True)

        report = base / "report.json"
        reqs = str(ROOT / "requirements-notebook.txt")
        subprocess.run([*pip, "--dry-run", "--report", str(report), "-r", reqs], check=True)
        would = {
            item["metadata"]["name"].lower(): item["metadata"]["version"]
            for item in json.loads(report.read_text(encoding="utf-8"))["install"]
        }
        listing = ", ".join(f"{k} {v}" for k, v in sorted(would.items())) or "nothing"
        step(f"pip install -r requirements-notebook.txt would install: {listing}")
        if "tensorflow-cpu" in {k.replace("_", "-") for k in would}:
            step(
                "  (tensorflow-cpu beside Colab's tensorflow: so in Colab the first cell installs "
                "the list, counting Colab's tensorflow, and the README says not to pip it by hand)"
            )
        if "ipython" in would:
            step(f"FAILED: it would replace Colab's IPython {COLAB_IPYTHON} by {would['ipython']}")
            return 1

        cells = setup_cells(args.notebook)
        step(f"running {len(cells)} setup cell(s) from {content} (an empty folder, like /content)")
        env = {"COLAB_RELEASE_TAG": "colab-check", "LAB4_REPO_URL": ROOT.as_uri()}
        env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        if os.environ.get("MNIST_NPZ"):
            env["MNIST_NPZ"] = os.environ["MNIST_NPZ"]
        from nbclient.exceptions import CellExecutionError

        try:
            done = run_cells(cells, python, content, env)
        except CellExecutionError as err:
            step(f"FAILED in a setup cell: {str(err).strip().splitlines()[-1]}")
            return 1
        for i, cell in enumerate(done, 1):
            text = outputs_text(cell).rstrip()
            step(f"cell {i} output:" + ("\n    " + text.replace("\n", "\n    ") if text else ""))
        ipython = version_in(python, "ipython")
        tf = version_in(python, "tensorflow")
        if ipython != COLAB_IPYTHON or tf != args.tensorflow:
            step(f"FAILED: IPython is now {ipython}, TensorFlow {tf}: Colab's pins were replaced")
            return 1
        step(f"passed: the setup cells ran; IPython {ipython} and TensorFlow {tf} kept")
        return 0
    finally:
        if args.keep:
            step(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
