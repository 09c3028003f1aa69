# Juggler: a Jupyter kernel for Go.
#
#   make build      bin/juggler
#   make install    build, then install the kernelspec for this user
#   make test       every check: vet, gofmt, go test -race, kernel protocol
#                   tests and the jupyter_kernel_test conformance suite
#   make test-corpus  yaegi's own test programs, upstream against the fork
#                   (go test runs them too; this prints the summary)
#   make bench      juggler against ipykernel, printed as a table
#   make deps       the Python packages the tests need (Debian's)
#   make notebooks  re-execute notebooks/*.ipynb in the kernel, saving outputs
#   make test-browser  a notebook in headless Chromium (classic notebook server)
#
# The Python side uses Debian's packages, which live in /usr/bin/python3 (a
# python3 earlier on PATH, e.g. pyenv's, does not see them).

GO ?= go
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
BIN := bin/juggler

# Python test runs end after this many seconds (SIGABRT: faulthandler then
# prints every thread's stack, so a hang shows where it is).
KERNEL_TEST_TIMEOUT ?= 900
# Optional subset for test-kernel, e.g. TESTS=test_protocol.InterruptTests
TESTS ?=

PY_IMPORTS := jupyter_client, jupyter_kernel_test, nbclient, ipykernel, zmq
APT_PACKAGES := python3-jupyter-client python3-jupyter-kernel-test python3-nbclient python3-ipykernel
APT_COMMAND := apt-get update && apt-get install -y $(APT_PACKAGES)

.PHONY: build install test test-go test-corpus test-kernel bench deps

build:
	$(GO) build -o $(BIN) .

install: build
	$(BIN) install --user

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

deps:
	@if $(PYTHON) -c 'import $(PY_IMPORTS)' 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "$(APT_COMMAND)"; \
		export DEBIAN_FRONTEND=noninteractive; $(APT_COMMAND) && \
		$(PYTHON) -c 'import $(PY_IMPORTS)'; \
	else \
		echo "The tests need Debian's Jupyter packages. As root, run:"; \
		echo "$(APT_COMMAND)"; \
		exit 1; \
	fi

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

# A notebook run in a real browser: the classic notebook server and headless
# Chromium (tests/browser_test.py; screenshot in tests/out/).
BROWSER_APT_PACKAGES := jupyter-notebook chromium chromium-driver python3-selenium
BROWSER_APT_COMMAND := apt-get update && apt-get install -y $(BROWSER_APT_PACKAGES)
BROWSER_READY := $(PYTHON) -c 'import notebook, selenium' 2>/dev/null && \
	test -x /usr/bin/chromium && test -x /usr/bin/chromedriver

test-browser: deps build
	@if $(BROWSER_READY); then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "$(BROWSER_APT_COMMAND)"; \
		export DEBIAN_FRONTEND=noninteractive; $(BROWSER_APT_COMMAND) && \
		$(BROWSER_READY); \
	else \
		echo "The browser test needs Debian's packages. As root, run:"; \
		echo "$(BROWSER_APT_COMMAND)"; \
		exit 1; \
	fi
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN) install --prefix "$$tmp" >/dev/null && \
	cd tests && JUGGLER_BROWSER_TEST=1 JUGGLER_TEST_PREFIX="$$tmp" \
	JUPYTER_PATH="$$tmp/share/jupyter" \
	timeout -s ABRT -k 10 $(KERNEL_TEST_TIMEOUT) \
	$(PYTHON) -X faulthandler -m unittest -v browser_test
