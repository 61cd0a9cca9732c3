# Two commands do all the set-up on a fresh machine with Python 3.11+ and pip:
#   make book   build the executed HTML book into _build/html
#   make test   run every test: the support package, the scripts, the extensions and
#               every notebook (nbval, which executes each notebook once and stores it
#               in the build's cache); then build the book, which finds every notebook
#               cached and executes none; then check the built pages in headless Chromium
#   make notebooks  regenerate the .ipynb paired with each MyST notebook (Colab,
#               Binder) and the install cells' URL from _config.yml
#   make test-backends  install JAX and PyTorch (requirements-backends.txt), then run
#               every notebook, hidden checks included, under each of them (KERAS_BACKEND;
#               KERAS_BACKENDS=jax for one)
#   make test-seed  run every notebook under TensorFlow with another seed than the
#               lessons' own (LESSON_SEED=7; `make test-seed SEED=3` for another)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BACKENDS_INSTALLED := $(VENV)/.installed-backends
KERAS_BACKENDS ?= jax torch
SEED ?= 7

.PHONY: book test install clean bench notebooks test-backends test-seed

# (Re)install when the pins or the package metadata change.
$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(INSTALLED)

# -n: nitpicky cross-references; -W: any warning fails; --keep-going: report them all.
BUILD := $(BIN)/jupyter-book build . --builder html -n -W --keep-going

book: $(INSTALLED)
	$(BUILD)

# The notebooks run once, under the tests: each one that passes goes into the
# build's jupyter-cache (conftest.py), so the build executes none of them again.
# tests/test_browser.py checks the built book, so it runs last.
test: $(INSTALLED)
	$(BIN)/python -m pytest --ignore=tests/test_browser.py
	$(BUILD)
	$(BIN)/python -m pytest tests/test_browser.py

# The two other Keras backends, on top of the book's pins; again when either changes.
$(BACKENDS_INSTALLED): requirements-backends.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet -r requirements-backends.txt
	touch $@

# The notebooks, as `make test` selects them (the MyST notebooks in lessons/ and
# pages/, conftest.py), run once per backend; each run prints its wall time.  Runs
# like these never go into the build's cache (scripts/notebook_variants.py), nor
# take notebooks from it (REUSE_NOTEBOOK_CACHE=0).  Every backend runs; any failing fails.
NOTEBOOK_TESTS := REUSE_NOTEBOOK_CACHE=0 $(BIN)/python -m pytest lessons pages

test-backends: $(BACKENDS_INSTALLED)
	status=0; for backend in $(KERAS_BACKENDS); do \
	    start=$$(date +%s); \
	    KERAS_BACKEND=$$backend $(NOTEBOOK_TESTS) || status=1; \
	    echo "KERAS_BACKEND=$$backend: every notebook in $$(( $$(date +%s) - start )) s"; \
	done; exit $$status

test-seed: $(INSTALLED)
	LESSON_SEED=$(SEED) $(NOTEBOOK_TESTS)

notebooks: $(INSTALLED)
	$(BIN)/python scripts/sync_notebooks.py

# Timings and memory of every notebook and of the build, and a peer model trained
# alongside: a report, not a test.  Writes _build/bench.json and pages/_bench.md.
bench: $(INSTALLED)
	$(BIN)/python scripts/bench.py --page pages/_bench.md

clean:
	rm -rf _build
