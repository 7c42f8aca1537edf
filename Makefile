# The two commands a newcomer needs are `make run` and `make test`; both create .venv and
# install into it first (again only when pyproject.toml changed). `make check` is the edit
# loop: lint, then every test except the `ui` and `slow` ones.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check lint format bench binary binary-qt

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint]"
	@# PyGObject (the GTK window, and what `make binary` bundles) builds from source against
	@# the system's GObject introspection; without its headers the venv keeps the Qt window.
	$(BIN)/python -m pip install --quiet -e ".[gtk]" 2>$(VENV)/gtk-build.log \
	  || echo "make install: no GTK window in .venv: PyGObject did not build (see $(VENV)/gtk-build.log; Debian: apt install gcc pkg-config libgirepository1.0-dev libcairo2-dev gir1.2-webkit2-4.1). The Qt window is used; make binary needs it."
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/desk $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: lint
	$(BIN)/python -m pytest -m "not ui and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check desk tests $(wildcard bench)
	$(BIN)/ruff format --check desk tests $(wildcard bench)
	$(BIN)/mypy desk
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix desk tests $(wildcard bench)
	$(BIN)/ruff format desk tests $(wildcard bench)

bench: $(STAMP)
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py; else echo "no benchmarks yet"; fi

# The single executable dist/desk (PyInstaller, one file; see desk.spec). binary-qt: the
# optional one-folder build with the Qt window, dist/desk-qt/ (large).
binary: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --workpath build/pyinstaller desk.spec

binary-qt: $(STAMP)
	DESK_BUILD=qt $(BIN)/pyinstaller --noconfirm --log-level WARN --workpath build/pyinstaller-qt desk.spec
