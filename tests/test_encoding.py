"""Every text file this project reads or writes names its encoding (UTF-8).

Windows' default encoding (cp1252) cannot decode lab4.ipynb. ruff's unspecified-encoding rule
(PLW1514, ruff.toml) sees `open(...)` and `Path("x").read_text()`, but not `path.read_text()` on a
variable, which is how this project reads most files: this test parses every Python file and checks
both forms.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["benchmarks", "tests", "tools", "export", "helpers"]
FILES = sorted(p for d in FOLDERS for p in (ROOT / d).rglob("*.py")) + [ROOT / "src" / "lab4.py"]


def unspecified(source):
    """Line numbers of open()/.open()/.read_text()/.write_text() calls in text mode without
    encoding=."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
        if name not in ("open", "read_text", "write_text") or any(
            k.arg == "encoding" for k in node.keywords
        ):
            continue
        if name == "open":
            if isinstance(f, ast.Attribute) and not (
                isinstance(f.value, ast.Name) and f.value.id in ("io", "codecs")
            ):
                mode_args = node.args[:1]  # path.open(mode)
            else:
                mode_args = node.args[1:2]  # open(file, mode)
            mode = next(
                (k.value for k in node.keywords if k.arg == "mode"),
                mode_args[0] if mode_args else None,
            )
            if isinstance(mode, ast.Constant) and "b" in str(mode.value):
                continue
        lines.append(node.lineno)
    return lines


def test_the_check_finds_what_it_should():
    src = (
        "from pathlib import Path\np = Path('x')\np.read_text()\n(p / "
        "'y').write_text('a')\nopen('z')\n"
        "p.open('w')\nopen('z', 'rb')\np.open('rb')\np.read_text(encoding='utf-8')\nopen('z', "
        "encoding='utf-8')\n"
    )
    assert unspecified(src) == [3, 4, 5, 6]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_text_read_and_write_names_its_encoding(path):
    found = unspecified(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: add encoding='utf-8' on line(s) {found}"
