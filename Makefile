# Two entry points for a fresh clone: `make run` and `make test`. Both create .venv and install
# what they need first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install bench mutation

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python -m kubelite

lint: install
	$(BIN)/ruff check kubelite tests bench examples
	$(BIN)/ruff format --check kubelite tests bench examples
	$(BIN)/mypy --strict kubelite

# The Docker-backed tests need dockerd and a static busybox: installed here when root with apt-get
# (a no-op once present; otherwise they skip, or fail under KUBELITE_REQUIRE_DOCKER=1). The tests
# start and stop their own private daemon.
test: lint
	scripts/docker-test-env
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m bench $(NAME)

# Mutation testing (not part of `make test`): every module of pure logic in turn, or one module
# against chosen tests: `make mutation MODULE=kubelite/api/labels.py TESTS=tests/api`.
mutation: install
	$(BIN)/python scripts/mutation.py $(MODULE) $(if $(TESTS),--tests $(TESTS))
