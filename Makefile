# brochure — the README's two commands are `make brochures` and `make test`.
# Both do all set-up themselves: system packages (apt-get, when missing), a
# virtual environment in .venv with pinned dependencies, then their work.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: brochures test setup system lint typecheck benchmark benchmark-web \
        extract update-po init-po i18n-check stats clean serve

brochures: setup
	$(BIN)/brochure build

test: setup
	$(BIN)/ruff check brochure tests benchmarks
	$(BIN)/mypy brochure
	$(BIN)/python -m pytest

setup: system $(STAMP)

# The staff web app on http://127.0.0.1:8000/ (Ctrl-C stops it): builds what
# changed first, so the library lists every brochure.
serve: setup
	$(BIN)/brochure build
	$(BIN)/brochure serve

system:
	@scripts/setup-system.sh

# Re-installed only when the project's dependencies change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check brochure tests
	$(BIN)/mypy brochure

benchmark: setup
	$(BIN)/python benchmarks/run.py

# The web app under load (20 handouts at once) and the translator preview's timings.
benchmark-web: setup
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/preview.py

# Translation catalogs; these mirror pybabel (extract, update, a check for CI).
extract: setup
	$(BIN)/brochure i18n extract

update-po: extract
	$(BIN)/brochure i18n update

init-po: setup
	@test -n "$(LANG_CODE)" || (echo "usage: make init-po LANG_CODE=sw" >&2; exit 2)
	$(BIN)/brochure i18n init $(LANG_CODE)

i18n-check: setup
	$(BIN)/brochure i18n check

stats: setup
	$(BIN)/brochure i18n stats

clean:
	rm -rf dist
