# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXPORT ?= content/example
OUT    ?= build/site

.PHONY: demo test lint types pytest chromium redis-server nginx bench bench-large mutation mutation-js clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/site-builder keys init --if-missing
	$(BIN)/site-builder build $(EXPORT) --out $(OUT)
	$(BIN)/site-builder serve --out $(OUT) --dev-idp $(EXPORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium (browser tests need it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The key-service tests start a real redis-server of their own (loopback, no persistence).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing Debian's redis-server (the shared-store tests need it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

# The deploy test runs docs/deploy.md's nginx configuration in front of `serve` (loopback).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "installing Debian's nginx (the deploy-docs test runs it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; }

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed chromium redis-server nginx
	$(BIN)/pytest

test: lint types pytest

bench: $(VENV)/.installed chromium redis-server
	$(BIN)/python benchmarks/build.py --children 1000
	$(BIN)/python benchmarks/client.py --children 1000
	$(BIN)/python benchmarks/keyservice.py --unlocks 2000 --clients 20
	$(BIN)/python benchmarks/notify.py --readers 30000
	$(BIN)/python benchmarks/replies.py --replies 10000 --clients 20 --children 1000
	$(BIN)/python benchmarks/archive.py

bench-large: $(VENV)/.installed chromium
	$(BIN)/python benchmarks/build.py --children 10000
	$(BIN)/python benchmarks/client.py --children 10000

# Mutation testing of the security core (docs/testing.md): not part of `make test`; ~5,200
# mutants, hours on 2 shared cores (`mutmut run 'site_builder.fp1.blob*'` runs a part). Prints a
# table per file, the score over the complete files and every surviving mutant.
$(VENV)/.mutation: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@

# Most key-service mutants wait on test servers, not the CPU: more children than cores pay off.
MUTATION_CHILDREN ?= 2
mutation: $(VENV)/.mutation
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python tools/mutation_report.py

# The same for the app's fp1.js, data.js, store.js and sw.js, through the browser tests.
mutation-js: $(VENV)/.installed chromium
	$(BIN)/python tools/mutate_js.py

clean:
	rm -rf build mutants .pytest_cache .mypy_cache .ruff_cache
