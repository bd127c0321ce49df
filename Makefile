# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Video hashing (vPDQ) builds against Debian's FFmpeg development libraries: installed where they
# are, left out (video tests skip; CI fails instead) where they are not.
VIDEO_EXTRA := $(shell pkg-config --exists libavcodec libavformat libswscale 2>/dev/null && echo video)

comma := ,

.PHONY: run test lint typecheck check messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.$(if $(VIDEO_EXTRA),[$(VIDEO_EXTRA)])'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev$(if $(VIDEO_EXTRA),$(comma)$(VIDEO_EXTRA))]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	mkdir -p var
	$(BIN)/hotline migrate --no-input
	$(BIN)/hotline collectstatic --no-input --verbosity 0
	$(BIN)/hotline serve --bind $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy .

messages: $(VENV)/.installed-dev
	cd hotline && ../$(BIN)/hotline makemessages --all --no-obsolete && ../$(BIN)/hotline compilemessages

clean:
	rm -rf $(VENV) var/static
