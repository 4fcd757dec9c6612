# Stem Cells for Spinal Stenosis: the two commands that matter.
#   make lab    open the course in JupyterLab (start page)
#   make test   run the whole test suite
# Both create .venv on first use (needs Python 3.11+ with venv).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
ROOT_FLAG := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)

.PHONY: lab test venv bench bench-grading release clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "Python's venv module is missing: on Debian/Ubuntu run 'sudo apt-get install python3-venv'"; exit 1; }
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[browser]'
	# rfc3987-syntax is optional for jsonschema but builds grammars on import and adds ~3 s to
	# every Jupyter command (kernel starts, nbval, nbgrader); nothing here needs it.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax || true
	$(BIN)/python -m pip check
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter-settings/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

lab: venv
	# Token authentication stays on: open the URL with ?token=... that Jupyter prints.
	$(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) --ServerApp.root_dir=. course/00_start_here.ipynb

test: venv
	# The browser tests need Debian's chromium (installed with apt-get if missing; needs root or sudo).
	tools/install_browser.sh
	$(BIN)/python -m pytest

# Regenerate the student copies (assignments/release/) after changing a quiz's source.
release: venv
	cd assignments && ../$(BIN)/python -m spinecourse.grading release all --course .
	rm -f assignments/gradebook.db

bench-grading: venv
	$(BIN)/python bench/autograde.py --write

bench: venv
	$(BIN)/python bench/widget_latency.py

clean:
	rm -rf $(VENV) .pytest_cache
