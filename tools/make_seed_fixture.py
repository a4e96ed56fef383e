"""Build tests/fixtures/seed_tutorial.ipynb: the seed lab's tutorial code cells, and nothing else.

    python tools/make_seed_fixture.py [/work/shared/seed/open-lab-4.txt]
    [tests/fixtures/seed_tutorial.ipynb]

The seed (a text dump of the course's Open Lab 4 notebook) shows each code cell as a fenced block
that starts with its prompt, `In [n]: `. This takes those blocks up to the "Assignment" heading, in
order, as unexecuted code cells under one Markdown title. It is a notebook a student might hand in
before doing the assignment: `make grade NB=tests/fixtures/seed_tutorial.ipynb` must report every
Problem row as failing.

Only the dump's own damage is repaired, never the seed's code: continuation lines lose the prompt's
width of indentation, one cell's printed output shares its fence (In [34]), two cells were split by
a page break (In [22] and In [28]), and one loop body lost its indentation (In [20]). Keras 2 calls
the seed makes (`SGD(lr=0.1)`, `input_dim=`) are kept as they are.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SEED = Path("/work/shared/seed/open-lab-4.txt")
OUT = ROOT / "tests" / "fixtures" / "seed_tutorial.ipynb"
PROMPT = re.compile(r"^In \[(\d+)\]: ?")
# first lines of fenced blocks that continue the previous cell (split by a page break in the dump)
CONTINUATIONS = ("plt.plot(X[[1,2],0],X[[1,2],1], 'bo', markersize=10)", "# Compile as above")


def fenced_blocks(text):
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if line.strip() == "Assignment" and not inside:
            break
        if line.strip().startswith("```"):
            if inside:
                blocks.append(current)
            inside, current = not inside, []
        elif inside:
            current.append(line)
    return blocks


def parses(code):
    try:
        ast.parse("\n".join(ln for ln in code.splitlines() if not ln.lstrip().startswith("%")))
        return True
    except SyntaxError:
        return False


def reindent_loop_bodies(code):
    """Indent by 4 the line after a `for ...:` / `if ...:` line that is not indented beneath it."""
    lines, out = code.splitlines(), []
    for i, line in enumerate(lines):
        prev = out[-1] if out else ""
        if (
            i
            and prev.rstrip().endswith(":")
            and line.strip()
            and len(line) - len(line.lstrip()) <= len(prev) - len(prev.lstrip())
        ):
            line = " " * (len(prev) - len(prev.lstrip()) + 4) + line.lstrip()
        out.append(line)
    return "\n".join(out)


def tutorial_cells(text):
    cells = []
    for block in fenced_blocks(text):
        if not block:
            continue
        m = PROMPT.match(block[0])
        if m:
            width = m.end()
            rest = block[1:]
            if rest and all(ln.startswith(" " * width) or not ln.strip() for ln in rest):
                rest = [ln[width:] for ln in rest]
            lines = [block[0][m.end() :], *rest]
            # In [34]'s printed output shares its fence, after two blank lines: keep the code only
            cut = next(
                (
                    i
                    for i in range(len(lines) - 1)
                    if not lines[i].strip() and not lines[i + 1].strip()
                ),
                len(lines),
            )
            cells.append(lines if parses("\n".join(lines)) else lines[:cut])
        elif cells and block[0].strip() in CONTINUATIONS:
            cells[-1].extend(block)
    sources = []
    for lines in cells:
        code = "\n".join(lines).strip("\n")
        code = "\n".join(ln.rstrip() for ln in code.splitlines())
        if not parses(code):
            code = reindent_loop_bodies(code)
        if not parses(code):
            raise SystemExit(f"seed cell does not parse after repair:\n{code}")
        sources.append(code)
    return sources


def build(seed=SEED, out=OUT):
    sources = tutorial_cells(Path(seed).read_text(encoding="utf-8"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Open Lab 4 (the seed's tutorial cells only)\n\n"
            "Built by `tools/make_seed_fixture.py` from the seed lab's tutorial code, up to the "
            "Assignment. "
            "It answers none of the problems."
        )
    ]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"seed-{i:02d}"  # stable ids, so rebuilding changes nothing
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return nb


if __name__ == "__main__":
    args = sys.argv[1:]
    nb = build(*(args[:2] if args else ()))
    print(f"{len(nb.cells) - 1} tutorial code cells written to {args[1] if len(args) > 1 else OUT}")
