# Task runner: `make run` starts the demo, `make test` installs what the tests need and runs them all.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Browser libraries the app serves itself (QR reader) and the tests inject (axe-core).
NODE_INSTALLED := node_modules/.installed

.PHONY: install run test test-fast test-browser bench backup check fmt lock messages postgres browser clean retention docs

$(INSTALLED): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $(INSTALLED)

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_INSTALLED)

install: $(INSTALLED) $(NODE_INSTALLED)

run: install
	$(PY) main.py

# Removes residents' personal data that is past BIEBVOUCHER_RETENTION_DAYS; the server also does this daily.
retention: install
	$(PY) -m services.retention

postgres:
	scripts/start-postgres

browser:
	scripts/install-browser

# Browser tests run in their own pytest process: pytest-playwright keeps an event loop
# running, which breaks NiceGUI's `user` fixture in any test that runs after it.
# Both runs use two pytest-xdist workers; each worker has its own PostgreSQL database and app server.
test: install postgres browser
	$(PY) -m pytest -m "not browser" -n 2
	$(PY) -m pytest -m browser -n 2

test-fast: install postgres
	$(PY) -m pytest -m "not browser" -n 2

test-browser: install browser
	$(PY) -m pytest -m browser -n 2

bench: install postgres browser
	$(PY) -m bench

# Renews the user manual's screenshots in docs/handleiding/img from the demo (about half a minute).
docs: install browser
	$(PY) scripts/make_screenshots.py

# Writes a backup of the configured database into BIEBVOUCHER_DATA_DIR/backups (see docs/deploy.md).
backup: install
	$(PY) -m services.backup

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# requirements.lock holds what the app needs (the Docker image installs it);
# requirements-dev.lock adds the test and lint tools.
LOCK_OPTIONS := --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: install
	$(VENV)/bin/pip-compile $(LOCK_OPTIONS) --output-file requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_OPTIONS) --extra dev --output-file requirements-dev.lock pyproject.toml

messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
		--omit-header --no-wrap -o locale/messages.pot .
	$(VENV)/bin/pybabel update -D messages -i locale/messages.pot -d locale --no-wrap \
		--ignore-obsolete --no-fuzzy-matching
	# The extraction time would change both catalogues on every run and collide in merges.
	sed -i '/^"POT-Creation-Date: /d' locale/*/LC_MESSAGES/messages.po

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
