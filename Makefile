# Two commands do all the set-up on a fresh machine with Python 3.11 to 3.13 and pip:
#   make book   build the executed HTML book into _build/html
#   make test   run every test: the support package, the tooling, the extension and
#               every notebook (nbval, which executes each notebook once and stores it
#               in the build's cache); then build the book, which finds every notebook
#               cached and executes none; then check the built pages in headless Chromium
#   make pdf    print the built book's all-in-one page to _build/html/all-in-one.pdf
#               with headless Chromium (make book and make test do it after the build;
#               without Chromium it says that the PDF was skipped, and why)
#   make notebooks  regenerate the learner notebooks beside each MyST notebook (the
#               .ipynb Colab and Binder open, and lessons/workbooks/) and the install
#               cells' URL from _config.yml
#   make test-learner  run every learner notebook as a learner would: in a fresh
#               kernel, from an empty folder, with only requirements.txt installed
#               (in .venv-learner)
#   make test-backends  install JAX and PyTorch into .venv (make book and make test
#               install neither), run the tests that need them (make test-backend-checks),
#               then every notebook, hidden checks included, under JAX and then PyTorch
#               (KERAS_BACKEND; KERAS_BACKENDS=jax for one), each with another seed than
#               the lessons' (LESSON_SEED 7 and 8; BACKEND_SEED=n for others)
#   make lock   rewrite constraints.txt, which pins every package the requirements
#               files pull in, on every platform and Python the book supports (uv)
#   make test-seed  run every notebook under TensorFlow with another seed than the
#               lessons' own (LESSON_SEED=7; `make test-seed SEED=3` for another,
#               SEED=random for a new one each run, printed so it can be replayed)
#   make spread  the measured spread behind the hidden checks: the training notebooks
#               under 20 seeds (TensorFlow) and 5 per other backend, tabulated into
#               pages/_spread.md (lesson-spread; hours on 2 cores: run on demand)
#   make test-oldest  every learner notebook in an environment with the oldest releases
#               of TensorFlow, Keras, NumPy and Matplotlib the lessons support
#               (cnn_lesson.check.OLDEST; .venv-oldest)
#   make test-newest  every learner notebook in an environment with the newest releases
#               of the lesson's libraries instead of the pins (.venv-newest; the weekly workflow)
#   make fork REPOSITORY=https://github.com/OWNER/NAME  point every link, command and
#               install cell at your fork (README, "Publish your own copy")
#   make dist   the support package's wheel and sdist in dist/, checked by twine

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
KERAS_BACKENDS ?= jax torch
SEED ?= 7

.PHONY: book test install clean bench notebooks pdf test-learner test-backends test-seed spread \
	test-newest test-oldest fork dist check-repository lock test-backend-checks

# (Re)install when the pins or the package metadata change: the learner environment
# (requirements.txt) plus the build and test tools (requirements-dev.txt), every
# other package pinned by constraints.txt, then the support package again and the
# tooling package (tools/: the extension, the pytest plugin, the lesson-* commands)
# as editable, so that the tests and the build use src/ and tools/ as they are.  JAX and PyTorch
# are not installed here: `make test-backends` adds them.
$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt pyproject.toml tools/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e . -e tools
	touch $@

install: $(INSTALLED)

# -n: nitpicky cross-references; -W: any warning fails; --keep-going: report them all.
BUILD := $(BIN)/jupyter-book build . --builder html -n -W --keep-going

# The PDF of the all-in-one page (pages/all-in-one.md), printed by headless Chromium.
PRINT_PDF := $(BIN)/lesson-pdf

book: $(INSTALLED)
	$(BUILD)
	$(PRINT_PDF)

pdf: $(INSTALLED)
	$(PRINT_PDF)

# axe-core for the browser test's accessibility audit, from npm as package-lock.json
# pins it (without npm, the audit is skipped, except under CI where it fails).
AXE_INSTALL = @if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the browser test's accessibility audit is skipped (install Node.js's npm)"; fi

# The notebooks run once, under the tests: each one that passes goes into the
# build's jupyter-cache (lesson_book.pytest_plugin), so the build executes none of them again.
# tests/browser checks the built book and its PDF, so it runs last.  The
# slowest tests and notebooks are listed at the end (--durations), so that a
# run's time can be read off CI's log.
test: $(INSTALLED)
	$(BIN)/python -m pytest --ignore=tests/browser --durations=20
	$(BUILD)
	$(PRINT_PDF)
	$(AXE_INSTALL)
	$(BIN)/python -m pytest tests/browser

# The notebooks, as `make test` selects them (the MyST notebooks in lessons/ and
# pages/, lesson_book.pytest_plugin), run once per backend; each run prints its wall time.  Runs
# like these never go into the build's cache, nor take notebooks from it
# (lesson_book.run.variants).  Every backend runs; any failing fails.
NOTEBOOK_TESTS := $(BIN)/python -m pytest lessons pages

# Each backend's run uses another seed than the lessons' too, so that one run
# checks both: BACKEND_SEED for the first backend, one more for each next one
# (JAX 7, PyTorch 8 by default).
BACKEND_SEED ?= 7

# JAX and PyTorch, on top of .venv (requirements-backends.txt).
BACKENDS_INSTALLED := $(VENV)/.installed-backends

$(BACKENDS_INSTALLED): $(INSTALLED) requirements-backends.txt
	$(BIN)/python -m pip install --quiet -r requirements-backends.txt
	touch $@

# The tests that need JAX or PyTorch installed (marked `backends`, left out of
# `make test`): the setup check under each, on a computer without TensorFlow;
# and the lock's test again, now that JAX and PyTorch are installed too.
test-backend-checks: $(BACKENDS_INSTALLED)
	$(BIN)/python -m pytest tests -m backends
	$(BIN)/python -m pytest tests/tooling/test_constraints.py

test-backends: test-backend-checks
	status=0; seed=$(BACKEND_SEED); for backend in $(KERAS_BACKENDS); do \
	    start=$$(date +%s); \
	    KERAS_BACKEND=$$backend LESSON_SEED=$$seed $(NOTEBOOK_TESTS) || status=1; \
	    echo "KERAS_BACKEND=$$backend LESSON_SEED=$$seed: every notebook in $$(( $$(date +%s) - start )) s"; \
	    seed=$$((seed + 1)); \
	done; exit $$status

# SEED=random draws a new seed each run (the weekly workflow does), and prints
# it first and again on failure, so that a failing run can be replayed.
test-seed: $(INSTALLED)
	@seed=$(SEED); \
	if [ "$$seed" = random ]; then seed=$$(od -An -N2 -tu2 /dev/urandom | tr -d ' '); fi; \
	echo "LESSON_SEED=$$seed"; \
	LESSON_SEED=$$seed $(NOTEBOOK_TESTS) || { \
	    echo "failed with LESSON_SEED=$$seed; replay it with: make test-seed SEED=$$seed"; exit 1; }

# The measured spread behind the hidden checks (lesson-spread): each training
# notebook under TensorFlow with SPREAD_SEEDS, under JAX and PyTorch with
# SPREAD_BACKEND_SEEDS; records in pages/_spread/, committed (a run resumes where it stopped),
# the table in pages/_spread.md.  Hours on 2 cores: run on demand, never in CI.
SPREAD_SEEDS ?= 0-19
SPREAD_BACKEND_SEEDS ?= 0-4
SPREAD := $(BIN)/lesson-spread

spread: $(BACKENDS_INSTALLED)
	$(SPREAD) run --seeds $(SPREAD_SEEDS) || true
	for backend in $(KERAS_BACKENDS); do \
	    KERAS_BACKEND=$$backend $(SPREAD) run --seeds $(SPREAD_BACKEND_SEEDS) || true; \
	done
	$(SPREAD) report --page pages/_spread.md

notebooks: $(INSTALLED)
	$(BIN)/lesson-sync

# Timings and memory of every notebook and of the build, and a peer model trained
# alongside: a report, not a test.  Writes _build/bench.json and pages/_bench.md.
bench: $(INSTALLED)
	$(BIN)/lesson-bench --page pages/_bench.md

# The learner environment alone, as the setup page and Binder install it.
LEARNER_VENV := .venv-learner
LEARNER_INSTALLED := $(LEARNER_VENV)/.installed

$(LEARNER_INSTALLED): requirements.txt pyproject.toml
	rm -rf $(LEARNER_VENV)
	$(PYTHON) -m venv $(LEARNER_VENV)
	$(LEARNER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LEARNER_VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

# Every learner notebook (complete and workbook, every episode, and the setup page),
# each in a fresh kernel of .venv-learner from an empty temporary folder. The support
# package is reinstalled first (not editable), so the notebooks run today's src/.
# LEARNER_NOTEBOOKS="workbooks/ pages/setup" runs only the notebooks whose path holds one
# of the words (.ci/run: the workbooks and the setup page; the complete notebooks'
# code is the MyST notebooks' code, which `make test` runs).
LEARNER_NOTEBOOKS ?=

test-learner: $(INSTALLED) $(LEARNER_INSTALLED)
	$(LEARNER_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	$(BIN)/lesson-learner-notebooks --venv $(LEARNER_VENV) $(LEARNER_NOTEBOOKS)

# The learner notebooks under the newest releases of every package requirements.txt
# pins (its names without their versions), made afresh each time: the weekly
# workflow runs it, so that a release of TensorFlow, Keras, NumPy or Matplotlib
# that breaks a lesson is seen before a workshop, not in one.
NEWEST_VENV := .venv-newest

test-newest: $(INSTALLED)
	rm -rf $(NEWEST_VENV)
	$(PYTHON) -m venv $(NEWEST_VENV)
	$(NEWEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	sed -E -e 's/[[:space:]]*#.*//' -e 's/[=<>!~;].*//' requirements.txt | grep -v -e '^[[:space:]]*$$' -e '^-' \
	    > $(NEWEST_VENV)/requirements-newest.txt
	$(NEWEST_VENV)/bin/python -m pip install --quiet --upgrade -r $(NEWEST_VENV)/requirements-newest.txt
	$(NEWEST_VENV)/bin/python -m pip freeze --exclude-editable | grep -iE '^(tensorflow|keras|numpy|matplotlib)=='
	$(BIN)/lesson-learner-notebooks --venv $(NEWEST_VENV) $(LEARNER_NOTEBOOKS)

# The learner notebooks under the oldest releases of TensorFlow, Keras, NumPy and
# Matplotlib the lessons support, as Colab and university hubs may still have
# them: written once, as cnn_lesson.check.OLDEST (the setup check warns below
# them), printed by `python -m cnn_lesson.check --oldest`.  JupyterLab and the
# kernel keep requirements.txt's pins; what the four pull in is left to pip
# (constraints.txt pins what the newest releases need).  Made afresh each time.
OLDEST_VENV := .venv-oldest

test-oldest: $(INSTALLED)
	rm -rf $(OLDEST_VENV)
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m cnn_lesson.check --oldest > $(OLDEST_VENV)/requirements-oldest.txt
	grep -E '^(jupyterlab|ipykernel)==' requirements.txt >> $(OLDEST_VENV)/requirements-oldest.txt
	$(OLDEST_VENV)/bin/python -m pip install --quiet -r $(OLDEST_VENV)/requirements-oldest.txt .
	$(OLDEST_VENV)/bin/python -m pip freeze | grep -iE '^(tensorflow|keras|numpy|matplotlib)=='
	$(OLDEST_VENV)/bin/python -m cnn_lesson.check
	$(BIN)/lesson-learner-notebooks --venv $(OLDEST_VENV) $(LEARNER_NOTEBOOKS)

# A fork: write its address into _config.yml (the one place it is kept), then
# rewrite the install cells, the learner notebooks and CITATION.cff from it.
fork: $(INSTALLED)
	@test -n "$(REPOSITORY)" || { echo "usage: make fork REPOSITORY=https://github.com/OWNER/NAME"; exit 2; }
	$(BIN)/lesson-repository fork $(REPOSITORY)
	$(BIN)/lesson-sync

# The support package's distributions (the release workflow builds the same).
dist: $(INSTALLED)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# Publishing checks that _config.yml names the repository it publishes from
# (GitHub's OWNER/NAME); a fork that has not run `make fork` is stopped here.
check-repository: $(INSTALLED)
	@test -n "$(EXPECT_REPOSITORY)" || { echo "usage: make check-repository EXPECT_REPOSITORY=OWNER/NAME"; exit 2; }
	$(BIN)/lesson-repository expect $(EXPECT_REPOSITORY)

# constraints.txt: every package the requirements files pull in, resolved afresh
# (newest releases that fit the direct pins) for every platform and for Python
# 3.11 and newer; the requirements files read it with -c, so it is emptied first
# lest the old pins hold the new resolution back.  Commit what changed.
lock: $(INSTALLED)
	: > constraints.txt
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --no-emit-package cnn-lesson \
	    --custom-compile-command "make lock" \
	    requirements-dev.txt requirements-backends.txt -o constraints.txt

clean:
	rm -rf _build dist
