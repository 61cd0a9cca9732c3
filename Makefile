# Two commands do all the set-up on a fresh machine with Python 3.11+ and pip:
#   make book   build the executed HTML book into _build/html
#   make test   run every test: the support package, the scripts, the extensions and
#               every notebook (nbval, which executes each notebook once and stores it
#               in the build's cache); then build the book, which finds every notebook
#               cached and executes none; then check the built pages in headless Chromium
#   make pdf    print the built book's all-in-one page to _build/html/all-in-one.pdf
#               with headless Chromium (make book and make test do it after the build;
#               without Chromium it says that the PDF was skipped, and why)
#   make notebooks  regenerate the .ipynb paired with each MyST notebook (Colab,
#               Binder) and the install cells' URL from _config.yml

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test install clean bench notebooks pdf

# (Re)install when the pins or the package metadata change.
$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(INSTALLED)

# -n: nitpicky cross-references; -W: any warning fails; --keep-going: report them all.
BUILD := $(BIN)/jupyter-book build . --builder html -n -W --keep-going

# The PDF of the all-in-one page (pages/all-in-one.md), printed by headless Chromium.
PRINT_PDF := $(BIN)/python scripts/print_pdf.py

book: $(INSTALLED)
	$(BUILD)
	$(PRINT_PDF)

pdf: $(INSTALLED)
	$(PRINT_PDF)

# The notebooks run once, under the tests: each one that passes goes into the
# build's jupyter-cache (conftest.py), so the build executes none of them again.
# tests/test_browser.py checks the built book and its PDF, so it runs last.
test: $(INSTALLED)
	$(BIN)/python -m pytest --ignore=tests/test_browser.py
	$(BUILD)
	$(PRINT_PDF)
	$(BIN)/python -m pytest tests/test_browser.py

notebooks: $(INSTALLED)
	$(BIN)/python scripts/sync_notebooks.py

# Timings and memory of every notebook and of the build, and a peer model trained
# alongside: a report, not a test.  Writes _build/bench.json and pages/_bench.md.
bench: $(INSTALLED)
	$(BIN)/python scripts/bench.py --page pages/_bench.md

clean:
	rm -rf _build
