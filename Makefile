# Two commands for a fresh machine with Python 3.11+:
#   make demo   set up, load the sample articles and serve http://127.0.0.1:8000
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the service needs to run, and on top of it what the tests need (browser, API fuzzer...).
STAMP := $(VENV)/.installed-service
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install install-test worker bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

demo: export DJANGO_DEBUG ?= 1
demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_articles samples/
	$(BIN)/python manage.py create_demo_user
	@echo "Serving on http://127.0.0.1:8000/ (stop with Ctrl-C)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-test
	$(BIN)/python -m pytest

worker: install
	$(BIN)/celery -A factcheck worker --loglevel=INFO

bench: install
	$(BIN)/python manage.py bench_extraction

# Scores on the sample articles, the second development set and PolNeAR dev (needs ../shared); not part of `make test`.
eval: install
	$(BIN)/python manage.py evaluate_extraction

clean:
	rm -rf $(VENV) db.sqlite3 var/ .pytest_cache
