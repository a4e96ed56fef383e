# Open Lab 4. Two commands: `make lab` (set up, run the notebook, export HTML)
# and `make test` (unit tests + the notebook executed under nbval).
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

.PHONY: setup kernel graphviz sync lab html test grade bench seeds clean

setup: $(VENV)/.installed kernel graphviz

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

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

# lab4.ipynb and src/lab4.py are a Jupytext pair: copy the cells of the one that was edited into the
# other. When both were edited since the last sync, nothing is overwritten: it stops and says how to
# choose, `make sync KEEP=lab4.ipynb` or `make sync KEEP=src/lab4.py` (tools/sync_guard.py).
sync: setup
	@$(BIN)/python tools/sync_guard.py $(if $(KEEP),--keep $(KEEP))

# Execute the notebook into a temporary folder, export lab4.html there, and only if both succeed move
# lab4.ipynb, results.json, figures/ and lab4.html into place; the folder is removed either way
# (tools/lab_run.py). An interrupted or failed run leaves the committed deliverables as they were.
lab: sync
	@$(BIN)/python tools/lab_run.py \
		--step "$(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800 --output-dir {tmp} lab4.ipynb" \
		--step "$(BIN)/jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html --output-dir {tmp} {tmp}/lab4.ipynb"

# One self-contained file that reads offline (inlined MathJax 3, figures with alt text): see export/.
html:
	$(BIN)/jupyter nbconvert --config export/jupyter_nbconvert_config.py --to html lab4.ipynb

# Unit tests for helpers/, then the notebook run top to bottom by nbval. The run writes its
# results.json and figures into a temporary folder, so the committed ones are left as they are.
# tests/test_html_browser.py loads lab4.html in headless Chromium, offline; it is skipped without Chromium.
test: setup
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || \
		echo "browser test skipped: Chromium not found (install it: apt-get install chromium, or your system's chromium package)"
	@out=$$(mktemp -d); echo "notebook outputs of this test run: $$out"; \
	LAB4_OUTPUT_DIR=$$out $(BIN)/python -m pytest tests lab4.ipynb --nbval-lax --nbval-cell-timeout=1800 -p no:cacheprovider

grade: setup
	@out=$$(mktemp -d); LAB4_OUTPUT_DIR=$$out $(BIN)/python -m pytest lab4.ipynb --nbval-lax --nbval-cell-timeout=1800 -p no:cacheprovider -q \
	&& LAB4_OUTPUT_DIR=$$out $(BIN)/python -m benchmarks.grade

bench: setup
	$(BIN)/python -m benchmarks.run

# The whole notebook under 3 other seeds (papermill), each run into bench_out/seeds/: every assert must hold.
seeds: setup
	$(BIN)/python -m benchmarks.run seeds

clean:
	rm -rf $(VENV) .pytest_cache
