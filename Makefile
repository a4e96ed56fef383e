# Open Lab 4. Two commands: `make lab` (set up, run both notebooks, export HTML)
# and `make test` (unit tests + the model answer executed under nbval).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# A local MNIST copy: $MNIST_NPZ if set, else the shared copy beside this repo if present.
MNIST_NPZ ?= $(abspath $(wildcard ../shared/data/mnist.npz))
ifneq ($(strip $(MNIST_NPZ)),)
export MNIST_NPZ
endif
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED := 0

.PHONY: setup check-python lock kernel graphviz sync lab lesson evidence html test test-evidence assign grade bench seeds clean colab-check

# Supported: Python 3.11-3.13 (what requirements.txt's pins install on); `make PYTHON=python3.12` picks another.
setup: check-python $(VENV)/.installed kernel graphviz

# One line and a stop when the Python that makes (or made) .venv is outside 3.11-3.13: $(error) prints it as
# make's only line, before any recipe runs.
PYTHON_PROBLEM = $(shell if [ -x $(BIN)/python ]; then $(BIN)/python tools/check_python.py --venv; \
	elif $(PYTHON) -c "" >/dev/null 2>&1; then $(PYTHON) tools/check_python.py; \
	else echo "$(PYTHON) not found (or it does not run); install Python 3.11-3.13 and choose it: make PYTHON=python3.12"; fi)
check-python:
	$(if $(PYTHON_PROBLEM),$(error $(PYTHON_PROBLEM)))

# The first install is large: say what and how much before pip starts, and let pip show its progress.
$(VENV)/.installed: requirements.txt | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@echo "make setup: installing requirements.txt (the exact lock of requirements.in) into .venv:"
	@echo "  about 140 packages: TensorFlow (CPU) and Keras 3, NumPy, SciPy, SymPy, Matplotlib, JupyterLab,"
	@echo "  nbconvert, papermill, pytest, nbval, ruff and their dependencies."
	@echo "  About 450 MB to download on Linux x86-64 (TensorFlow's CPU wheel is 274 MB of it), 2.1 GB in .venv;"
	@echo "  about 1.5 minutes to install once downloaded. Later runs reuse .venv."
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

# Regenerate the lock after editing requirements.in (uv resolves for every platform and Python 3.11-3.13).
# uv goes into a virtual environment of its own (.venv-lock, git-ignored): Debian's and Homebrew's
# Pythons refuse `pip install` into themselves (externally-managed-environment).
LOCK_VENV := .venv-lock
lock:
	@[ -x $(LOCK_VENV)/bin/python ] || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q uv && $(LOCK_VENV)/bin/python -m uv pip compile --universal --python-version 3.11 requirements.in -o requirements.txt

# The notebook's kernel (.venv/share/jupyter/kernels/python3): TensorFlow's C++ log lines go to the terminal,
# not into the notebook; see tools/install_kernel.py.
kernel: $(VENV)/.installed
	@$(BIN)/python tools/install_kernel.py

# graphviz's `dot` draws the plot_model diagram; the notebook skips that one cell without it.
graphviz:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing graphviz (dot) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	else \
		echo "note: graphviz 'dot' not found; install it (apt-get install graphviz, brew install graphviz)"; \
		echo "      to draw the model diagram. Everything else runs without it."; \
	fi

# lab4.ipynb and src/lab4.py are a Jupytext pair, and so are evidence.ipynb and src/evidence.py: in
# each pair, copy the cells of the one that was edited into the other. When both were edited since the last sync, nothing is overwritten: it stops and says how to
# choose, `make sync KEEP=lab4.ipynb` or `make sync KEEP=src/lab4.py` (tools/sync_guard.py).
# It needs only .venv's Jupytext, not the kernel or graphviz (no apt-get before a sync).
sync: check-python $(VENV)/.installed
	@$(BIN)/python tools/sync_guard.py $(if $(filter lab4.ipynb src/lab4.py,$(KEEP)),--keep $(KEEP))
	@$(BIN)/python tools/sync_guard.py --notebook evidence.ipynb --script src/evidence.py \
		--stamp .sync-stamp-evidence.json $(if $(filter evidence.ipynb src/evidence.py,$(KEEP)),--keep $(KEEP))

# `make lab` runs both notebooks, the evidence first (the model answer quotes evidence.json). Each is
# executed in a temporary folder and exported to HTML there; only if both steps succeed does it
# replace the notebook, its results file, figures/ and its HTML (tools/lab_run.py). An interrupted or
# failed run leaves the committed deliverables as they were. If a notebook or its script is saved
# while it runs, nothing is replaced: the outputs go to runs/lab-*/ (--protect). `exec`: the shell
# gives way to lab_run, so stopping make (kill, Ctrl-C) stops the run.
lab: evidence lesson

# The model answer alone (a few minutes): lab4.ipynb, results.json, lab4.html.
lesson: setup sync
	@exec $(BIN)/python tools/lab_run.py --protect lab4.ipynb --protect src/lab4.py \
		--step "$(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800 --output-dir {tmp} lab4.ipynb" \
		--step "$(BIN)/jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html --output-dir {tmp} {tmp}/lab4.ipynb" \
		--deliver lab4.ipynb --deliver results.json --deliver figures --deliver lab4.html

# The research behind it (about 7 minutes): evidence.ipynb, evidence.json, evidence.html.
evidence: setup sync
	@exec $(BIN)/python tools/lab_run.py --protect evidence.ipynb --protect src/evidence.py \
		--step "$(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=3600 --output-dir {tmp} evidence.ipynb" \
		--step "$(BIN)/jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html --output-dir {tmp} {tmp}/evidence.ipynb" \
		--deliver evidence.ipynb --deliver evidence.json --deliver figures --deliver evidence.html

# Self-contained files that read offline (inlined MathJax 3, figures with alt text): see export/.
html:
	$(BIN)/jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html lab4.ipynb evidence.ipynb

# Unit tests for helpers/ and tools, then the model answer run top to bottom by nbval (its
# results.json and figures go to a temporary folder, so the committed ones are left as they are).
# tests/test_html_browser.py loads both HTML files in headless Chromium, offline; it is skipped
# without Chromium.
test: setup
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || \
		echo "browser test skipped: Chromium not found (install it: apt-get install chromium, or your system's chromium package)"
	@out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; echo "notebook outputs of this test run go to $$out (removed at the end)"; \
	LAB4_OUTPUT_DIR=$$out $(BIN)/python -m pytest tests lab4.ipynb --nbval-lax --nbval-cell-timeout=1800 -p no:cacheprovider

# The evidence notebook executed by nbval (about 7 minutes; CI runs it after `make test`).
test-evidence: setup
	@out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; \
	LAB4_OUTPUT_DIR=$$out $(BIN)/python -m pytest evidence.ipynb --nbval-lax --nbval-cell-timeout=3600 -p no:cacheprovider

# The instructor's kit (instructor/, README "For instructors"): `make assign` generates, from lab4.ipynb, the
# student notebook (instructor/dist/student/) and the autograder (instructor/dist/autograder/: hidden tests
# and rubric). `make grade NB=...` grades one submission or every notebook in a folder (and writes
# FOLDER/grades.csv): each runs in a fresh kernel, then the hidden tests evaluate its models.
assign: setup
	@$(BIN)/python -m instructor.assign

NB ?= lab4.ipynb
GRADE_FLAGS ?=
grade: assign
	@$(BIN)/python -m instructor.grade "$(NB)" $(GRADE_FLAGS)

bench: setup
	$(BIN)/python -m benchmarks.run

# The model answer under seeds 1, 2, 3, 7 and 11 (papermill), each run into bench_out/seeds/: every assert must hold.
seeds: setup
	$(BIN)/python -m benchmarks.run seeds

# Issue 26: the first cells of lab4.ipynb in a fresh virtual environment holding Colab's own pins
# (IPython 7.34.0, its TensorFlow), after its first cell installed what was missing (tools/colab_check.py).
# Downloads about 600 MB the first time (TensorFlow); builds in /tmp, removed afterwards.
colab-check: check-python $(VENV)/.installed
	$(BIN)/python tools/colab_check.py --python $(PYTHON)

clean:
	rm -rf $(VENV) .pytest_cache
