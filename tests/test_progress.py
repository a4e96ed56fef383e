"""helpers.progress: live in a kernel, a single plain final line in saved outputs, no widgets."""

import io
from pathlib import Path

import nbformat

from helpers.progress import clock, progress, status

ROOT = Path(__file__).resolve().parent.parent


def test_status_lines():
    assert status("ablation", 12, 12, 3.2, done=True) == "ablation: 12/12 [00:03]"
    assert status("sizes", 3, 6, 2.0) == "sizes: ██████████·········· 3/6 [00:02<00:02]"
    assert status("", 4, None, 61, done=True) == "4 [01:01]"
    assert clock(3725) == "1:02:05"


def test_outside_a_kernel_only_the_final_line_is_printed(capsys):
    assert list(progress(range(3), desc="demo")) == [0, 1, 2]
    assert capsys.readouterr().out == "demo: 3/3 [00:00]\n"


def test_a_loop_left_early_says_so(capsys):
    for i in progress(range(5), desc="demo"):
        if i == 1:
            break
    assert capsys.readouterr().out == "demo: 1/5 [00:00] (stopped)\n"  # item 1 was not finished


def test_terminal_line_is_redrawn(monkeypatch):
    tty = io.StringIO()
    tty.isatty = lambda: True
    monkeypatch.setattr("sys.stdout", tty)
    list(progress(range(2), desc="demo", mininterval=0))
    assert tty.getvalue().startswith("\rdemo: ") and tty.getvalue().endswith(
        "\rdemo: 2/2 [00:00]\n"
    )


def test_in_a_kernel_one_plain_text_output_holds_the_final_state():
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import time\nfrom helpers.progress import progress\n"
            "for i in progress(range(4), desc='demo', mininterval=0):\n    time.sleep(0.05)"
        )
    ]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and outputs[0].output_type == "display_data", outputs
    assert outputs[0].data == {"text/plain": "demo: 4/4 [00:00]"}
