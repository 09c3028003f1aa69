# Juggler: a Jupyter kernel for Go.
#
#   make lab        build, install the kernel for this user, make .venv/
#                   (the pinned Jupyter stack) and open JupyterLab on notebooks/
#   make build      bin/juggler
#   make install    build, then install the kernelspec for this user
#   make venv       .venv/: the Jupyter stack of requirements.txt, from PyPI
#   make test       every check: vet, gofmt, go test -race, kernel protocol
#                   tests, the jupyter_kernel_test conformance suite and the
#                   notebook runs, on .venv/'s jupyter_client
#   make test-corpus  yaegi's own test programs, upstream against the fork
#                   (go test runs them too; this prints the summary)
#   make bench      juggler against ipykernel, printed as a table
#   make deps       what the Python tests need (make venv)
#   make notebooks  re-execute notebooks/*.ipynb in the kernel, saving outputs
#   make test-browser  JupyterLab 4 and Notebook 7 in headless Chromium
#                   (Playwright on Debian's /usr/bin/chromium)
#
# The Python side runs in .venv/, made with BASE_PYTHON and filled from
# requirements.txt (exact versions). PYTHON=... runs the tests with another
# interpreter that already has those packages.

GO ?= go
BIN := bin/juggler
VENV ?= $(CURDIR)/.venv
# Debian's python3 when there is one (python3-venv comes from apt), else
# the first on PATH.
BASE_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
PYTHON ?= $(VENV)/bin/python
# Playwright drives Debian's Chromium; pip must never fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# Python test runs end after this many seconds (SIGABRT: faulthandler then
# prints every thread's stack, so a hang shows where it is).
KERNEL_TEST_TIMEOUT ?= 900
# Optional subset for test-kernel, e.g. TESTS=test_protocol.InterruptTests
TESTS ?=

PY_IMPORTS := jupyter_client, jupyter_kernel_test, nbclient, ipykernel, zmq

.PHONY: build install lab venv requirements test test-go test-corpus test-kernel bench deps

build:
	$(GO) build -o $(BIN) .

install: build
	$(BIN) install --user

# JupyterLab from .venv/ on the notebooks, with the kernel installed for
# this user. LAB_ARGS adds options (e.g. --no-browser --ip=0.0.0.0).
LAB_ARGS ?=
lab: install venv
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) notebooks/

# .venv/ from requirements.txt; redone when that file changes. Debian's
# python3 needs python3-venv for `-m venv`: installed with apt when root.
venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@if ! $(BASE_PYTHON) -m venv "$(VENV)" 2>/dev/null; then \
		rm -rf "$(VENV)"; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "apt-get install -y python3-venv"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update && apt-get install -y python3-venv || exit 1; \
			$(BASE_PYTHON) -m venv "$(VENV)" || exit 1; \
		else \
			echo "$(BASE_PYTHON) -m venv failed: install python3-venv (Debian) or set BASE_PYTHON"; \
			exit 1; \
		fi; \
	fi
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

# requirements.txt again from requirements.in: a fresh environment, frozen.
requirements:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BASE_PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check -q -r requirements.in && \
	{ sed -n '/^#/p' requirements.txt; "$$tmp/venv/bin/python" -m pip freeze; } > "$$tmp/req" && \
	mv "$$tmp/req" requirements.txt

test: deps build test-go test-kernel

test-go:
	$(GO) vet ./...
	@files=$$(gofmt -l .); if [ -n "$$files" ]; then \
		echo "gofmt -w needed on:"; echo "$$files"; exit 1; fi
	$(GO) test -race ./...

test-corpus:
	$(GO) test -count=1 -v -run TestUpstreamCorpus ./internal/yaegi/corpus

# The kernel under test is bin/juggler, installed into a temporary prefix;
# tests/kernelenv.py points JUPYTER_PATH there and every other Jupyter
# directory at temporary ones.
test-kernel: build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN) install --prefix "$$tmp" >/dev/null && \
	cd tests && JUGGLER_TEST_PREFIX="$$tmp" JUPYTER_PATH="$$tmp/share/jupyter" \
	timeout -s ABRT -k 10 $(KERNEL_TEST_TIMEOUT) \
	$(PYTHON) -X faulthandler -m unittest $(if $(TESTS),-v $(TESTS),discover -v -s .)

bench: deps build
	cd tests && $(PYTHON) bench.py

# The venv, unless PYTHON names another interpreter (which must then have
# the packages already).
deps:
	@if [ "$(PYTHON)" = "$(VENV)/bin/python" ]; then $(MAKE) --no-print-directory venv; fi
	@$(PYTHON) -c 'import $(PY_IMPORTS)' || { \
		echo "$(PYTHON) lacks the test packages: pip install -r requirements.txt"; exit 1; }

# The teaching notebooks: execute each in place in a fresh kernel (bin/juggler
# in a temporary prefix), so their committed outputs are real ones. A
# notebook with an error output is not saved. NOTEBOOKS=02 picks some.
NOTEBOOKS ?=
.PHONY: notebooks test-browser

notebooks: deps build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN) install --prefix "$$tmp" >/dev/null && \
	cd tests && JUGGLER_TEST_PREFIX="$$tmp" JUPYTER_PATH="$$tmp/share/jupyter" \
	$(PYTHON) notebooks.py run $(NOTEBOOKS)

# JupyterLab 4 and Notebook 7 in a real browser: Playwright (from .venv/)
# drives Debian's Chromium, headless (tests/browser_test.py; screenshots in
# tests/out/). Chromium comes from apt when missing; PyPI has none we may use.
CHROMIUM ?= /usr/bin/chromium
test-browser: deps build
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "apt-get install -y chromium"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update && apt-get install -y chromium; \
	else \
		echo "The browser tests need Chromium. As root, run:"; \
		echo "apt-get update && apt-get install -y chromium"; \
		exit 1; \
	fi
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN) install --prefix "$$tmp" >/dev/null && \
	cd tests && JUGGLER_BROWSER_TEST=1 JUGGLER_TEST_PREFIX="$$tmp" \
	JUPYTER_PATH="$$tmp/share/jupyter" CHROMIUM="$(CHROMIUM)" \
	timeout -s ABRT -k 10 $(KERNEL_TEST_TIMEOUT) \
	$(PYTHON) -X faulthandler -m unittest -v $(if $(TESTS),$(TESTS),browser_test)
