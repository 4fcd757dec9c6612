# Stem Cells for Spinal Stenosis: the two commands that matter.
#   make lab    open the course in JupyterLab (start page)
#   make test   run the whole test suite
# Both create .venv on first use (needs Python 3.11+ with venv).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
PYTEST_WORKERS ?= 2
ROOT_FLAG := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)

.PHONY: lab lab-ko test test-quick lint venv hub site lock bench bench-grading release clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock jupyter-settings/overrides.json $(wildcard spinecourse/widgets/labextension/*.json spinecourse/widgets/labextension/static/*.js)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "Python's venv module is missing: on Debian/Ubuntu run 'sudo apt-get install python3-venv'"; exit 1; }
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	# exactly the pinned set (requirements.lock, made by `make lock`), installed by the lock's own uv
	# (parallel downloads: ~35 s instead of pip's 2-3 min; system CA store for TLS), then the course itself
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep '^uv==' requirements.lock)"
	UV_NATIVE_TLS=1 $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -r requirements.lock
	# (uv, not pip, for the course and the checks below: each pip start costs 1-2 s of imports)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	# rfc3987-syntax is optional for jsonschema but builds grammars on import and adds ~3 s to
	# every Jupyter command (kernel starts, nbval, nbgrader); nothing here needs it.
	$(BIN)/uv pip uninstall --quiet --python $(BIN)/python rfc3987-syntax || true
	$(BIN)/uv pip check --quiet --python $(BIN)/python
	# (the install above also put the slider-name lab extension and the learner settings into
	# $(VENV)/share/jupyter: pyproject.toml's shared-data, the one install route for every place)
	touch $(STAMP)

# `make lab LANG=ko` opens the Korean edition (same as `make lab-ko`). A LANG from the environment
# (C.UTF-8, en_US.UTF-8, ko_KR.UTF-8…) never switches: only the exact value "ko" given to make does.
lab: venv
ifeq ($(LANG),ko)
	$(MAKE) --no-print-directory lab-ko
else
	# Token authentication stays on: open the URL with ?token=... that Jupyter prints.
	$(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) --ServerApp.root_dir=. course/00_start_here.ipynb
endif

# The Korean edition (issue 21; locales/ko/README.md): lessons built in Korean from the catalogues into
# build/ko/course (git-ignored), JupyterLab's menus in Korean (language pack), self-checks and figures in
# Korean (SPINECOURSE_LANG=ko; a Hangul font from tools/install_fonts.sh, which needs root or sudo).
lab-ko: venv
	tools/install_fonts.sh || echo "lab-ko: no Hangul font installed: Korean figure labels may show as boxes"
	$(BIN)/python -m spinecourse.authoring.translation build --lang ko
	LANG=C.UTF-8 SPINECOURSE_LANG=ko JUPYTERLAB_SETTINGS_DIR=build/ko/lab-settings $(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) \
	  --ServerApp.root_dir=. build/ko/course/00_start_here.ipynb

test: venv
	# The browser tests need Debian's chromium (installed with apt-get if missing; needs root or sudo).
	tools/install_browser.sh
	# Autograding runs learners' kernels in bubblewrap (installed with apt-get if missing).
	tools/install_sandbox.sh
	tools/install_axe.sh
	# tests/hub need the hub's proxy (npm configurable-http-proxy) and a Python the hub's users can run.
	tools/install_hub.sh
	tools/install_lint.sh
	# A Hangul font for the Korean edition's figures and pages (Debian fonts-nanum).
	tools/install_fonts.sh
	$(MAKE) --no-print-directory lint
	# Two workers (the machine's cores); what shares a server, a site build or a kernel stays on one
	# worker (tests/conftest.py gives each test its tier and xdist group). Override: make test PYTEST_WORKERS=1
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15

# The unit and notebook tiers only: no root, no browser, no hub; about 2 minutes.
test-quick: venv
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "unit or notebook"

# ruff (lint + format, configured in pyproject.toml) and shellcheck (tools/install_lint.sh installs it;
# without root, e.g. for test-quick, shellcheck runs only where it is already installed, and says so).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if command -v shellcheck >/dev/null; then shellcheck -x tools/*.sh postBuild .ci/run && echo "shellcheck: clean"; \
	 else echo "shellcheck not installed: shell scripts NOT checked (make test installs it: tools/install_lint.sh)"; fi

# The department hub on this machine (root; deploy/README.md): accounts from deploy/hub/roster.yml,
# JupyterHub + configurable-http-proxy on http://127.0.0.1:$(HUB_PORT), each user's JupyterLab as that user.
HUB_PORT ?= 8000
hub: venv
	tools/install_hub.sh
	$(BIN)/python deploy/hub/hubsetup.py
	@echo "Department hub: open http://127.0.0.1:$(HUB_PORT)/hub/login and log in with a name and password"
	@echo "from $(CURDIR)/.hub/secrets/passwords.txt (root only). Ctrl-C stops the hub and every server."
	cd .hub && SPINECOURSE_HUB_PORT=$(HUB_PORT) ../$(BIN)/jupyterhub -f ../deploy/hub/jupyterhub_config.py

# Regenerate the student copies (assignments/release/: format checks only) and the practice
# copies (assignments/practice/: right/wrong checks, answers visible) after changing a quiz's source;
# first the Korean quizzes (<quiz>_ko) of locales/ko/manifest.yml from the English and their catalogues.
release: venv
	$(BIN)/python -m spinecourse.authoring.translation quizzes --lang ko
	cd assignments && ../$(BIN)/python -m spinecourse.grading release all --course .
	cd assignments && ../$(BIN)/python -m spinecourse.grading.practice all --course .
	rm -f assignments/gradebook.db

# The static course site in site/_build/html (offline; every lesson executed; see README).
site: venv
	$(BIN)/python site/build.py

# Re-resolve requirements.lock from pyproject.toml (UPGRADE=1: newest allowed versions), then
# `make venv` and the whole `make test` must pass before the new lock is committed.
lock:
	[ -x $(BIN)/python ] && $(BIN)/python -c 'import uv' 2>/dev/null || $(MAKE) venv
	UPGRADE=$(UPGRADE) $(BIN)/python tools/lock.py

bench-grading: venv
	$(BIN)/python bench/autograde.py --write

bench: venv
	$(BIN)/python bench/widget_latency.py

clean:
	rm -rf $(VENV) .pytest_cache
