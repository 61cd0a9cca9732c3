# Two commands do all the set-up on a fresh machine with Python 3.11+ and pip:
#   make book   build the executed HTML book into _build/html
#   make test   run every test: the support package and every notebook (nbval)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test install clean

# (Re)install when the pins or the package metadata change.
$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(INSTALLED)

# -n: nitpicky cross-references; -W: any warning fails; --keep-going: report them all.
book: $(INSTALLED)
	$(BIN)/jupyter-book build . --builder html -n -W --keep-going

test: $(INSTALLED)
	$(BIN)/python -m pytest

clean:
	rm -rf _build
