"""The dependency lists cover what the notebook imports, and the lock matches its top-level list.

requirements.in: the hand-written top-level list; requirements.txt: its compiled lock (uv pip
compile); requirements-notebook.txt: compatible ranges for an existing Jupyter (Colab, the course
image).
"""

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "src" / "lab4.py", *sorted((ROOT / "helpers").glob("*.py"))]
LOCAL = {"helpers", "benchmarks", "tools", "tests"}
# import name -> distribution name, where they differ
DISTRIBUTION = {
    "IPython": "ipython",
    "yaml": "pyyaml",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "mpl_toolkits": "matplotlib",
    "skimage": "scikit-image",
    "cv2": "opencv-python",
}
# used without being imported: keras.utils.plot_model needs pydot
RUNTIME_ONLY = {"pydot"}


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(path):
    """Normalised distribution names of a requirements file (markers, pins and comments dropped)."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(norm(re.match(r"[A-Za-z0-9_.\-]+", line).group(0)))
    return names


def third_party_imports(path):
    """Top-level module names imported anywhere in a Python file (functions included), minus the
    standard library, relative imports and this project's own packages."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods.add(node.module.split(".")[0])
    return {
        m for m in mods if m not in sys.stdlib_module_names and m not in LOCAL and m != "__future__"
    }


def needed():
    mods = set().union(*(third_party_imports(p) for p in SOURCES))
    return {norm(DISTRIBUTION.get(m, m)) for m in mods} | RUNTIME_ONLY


def test_the_parser_finds_the_notebooks_main_imports():
    # a guard on the guard: if parsing found nothing, the coverage tests below would pass vacuously
    assert {"numpy", "keras", "tensorflow", "sympy", "matplotlib", "ipython"} <= needed()


@pytest.mark.parametrize("listing", ["requirements-notebook.txt", "requirements.in"])
def test_every_imported_module_is_listed(listing):
    names = requirement_names(ROOT / listing)
    if (
        "tensorflow-cpu" in names
    ):  # requirements.in: tensorflow-cpu on Linux x86-64, tensorflow elsewhere
        assert "tensorflow" in names
    missing = sorted(needed() - names)
    assert not missing, f"imported by src/lab4.py or helpers/ but not in {listing}: {missing}"


def test_notebook_list_is_a_subset_of_the_top_level_list():
    assert requirement_names(ROOT / "requirements-notebook.txt") <= requirement_names(
        ROOT / "requirements.in"
    )


def test_notebook_list_has_ranges_not_pins():
    # an existing Jupyter keeps its own versions where they fit: no exact pins
    text = (ROOT / "requirements-notebook.txt").read_text(encoding="utf-8")
    for line in text.splitlines():  # (an environment marker may compare with ==)
        assert "==" not in line.split("#", 1)[0].split(";", 1)[0], line
    assert re.search(r"^keras>=3", text, re.MULTILINE) and re.search(
        r"^tensorflow>=2\.16", text, re.MULTILINE
    )


def test_lock_pins_every_top_level_package_and_says_how_it_was_made():
    lock = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    pinned = {
        norm(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==\S+", lock, re.MULTILINE)
    }
    assert requirement_names(ROOT / "requirements.in") <= pinned
    # every line of the lock is an exact pin (or a comment)
    for line in lock.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert re.match(r"^[A-Za-z0-9_.\-]+==\S+( ; .+)?$", line), line
    assert (
        "uv pip compile --universal --python-version 3.11 requirements.in -o requirements.txt"
        in lock
    )
    # tensorflow-cpu on Linux x86-64 only, tensorflow on every other platform, at the same version
    tf = re.search(r"^tensorflow==(\S+) ; (.+)$", lock, re.MULTILINE)
    cpu = re.search(r"^tensorflow-cpu==(\S+) ; (.+)$", lock, re.MULTILINE)
    assert tf and cpu and tf.group(1) == cpu.group(1)
    assert "sys_platform == 'linux'" in cpu.group(
        2
    ) and "platform_machine == 'x86_64'" in cpu.group(2)


def test_unused_top_level_packages_are_not_listed():
    # tqdm was listed but never imported (papermill still pulls it in, so it stays in the lock)
    assert "tqdm" not in requirement_names(ROOT / "requirements.in")
