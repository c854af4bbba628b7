# registerlyft — build, run the sample job, test, benchmark.
#
#   make run     install what is missing, build, ingest the sample corpus,
#                print the quality report and a search for "personnummer"
#   make test    install what is missing, vet and run every test
#   make bench   benchmarks (figures go to BENCHMARKS.md)
#   make fuzz    a short fuzzing session of every parser

SHELL := /bin/bash
GO ?= go
BIN := bin/registerlyft
OUT ?= out
CORPUS := testdata/seeds testdata/corpus testdata/samples
FUZZTIME ?= 30s

# Debian packages the build and the tests need: Tesseract with Swedish data and
# headers (OCR), hunspell's Swedish dictionary (text repair), poppler (PDF
# tools for fixtures and the reference benchmarks), LibreOffice without a
# GUI (legacy .xls/.ods/.doc are converted with it), Chromium (the search
# page's browser test). The bench target adds PostgreSQL (the reference
# full-text search).
APT_PKGS := tesseract-ocr tesseract-ocr-swe libtesseract-dev libleptonica-dev hunspell-sv poppler-utils \
	libreoffice-calc-nogui libreoffice-writer-nogui chromium ca-certificates
BENCH_PKGS := postgresql
# Screenshots of the browser test land here.
ARTIFACTS ?= $(OUT)/test-artifacts
# Sizes of the index benchmark (records); add 1000000 for the 1M row.
BENCH_SIZES ?= 10000,100000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test vet bench fuzz clean

all: build

# deps installs only what is missing, so it is quick and safe to repeat.
deps:
	@missing=""; for p in $(APT_PKGS) $(EXTRA_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go 1.26 or newer is needed: https://go.dev/dl/ (Debian's golang-go is too old)"; exit 1; }

build: deps
	$(GO) build -o $(BIN) ./cmd/registerlyft

run: build
	./$(BIN) ingest $(CORPUS) --out $(OUT)
	./$(BIN) report --index $(OUT)
	./$(BIN) search personnummer --index $(OUT)

vet:
	$(GO) vet ./...

test: deps vet
	REGISTERLYFT_ARTIFACTS=$(CURDIR)/$(ARTIFACTS) $(GO) test -count=1 -timeout 20m ./...

# bench runs every Go benchmark (each beside its reference tool where there
# is one), then the index benchmark against PostgreSQL at BENCH_SIZES. The
# OCR benchmarks need a few CPU-minutes; OCR_MEM_PAGES=2000 for the full
# worker-memory run. Figures and their commands go to BENCHMARKS.md.
bench:
	$(MAKE) deps EXTRA_PKGS="$(BENCH_PKGS)"
	$(GO) test -run '^$$' -bench . -benchmem -timeout 0 ./...
	REGISTERLYFT_BENCH=$(BENCH_SIZES) $(GO) test -count=1 -run '^TestBench$$' -v -timeout 0 ./index/

# fuzz runs every fuzz target for FUZZTIME and stops at the first finding
# (its input is written under the package's testdata/fuzz). Minimizing a
# new input is cut at 10 s. A run whose time ends while the workers are
# busy can fail with "context deadline exceeded" and no failing input: the
# Go fuzz coordinator's deadline race (go.dev/issue/75804), not a finding;
# it is reported and the next target runs.
FUZZLOG = bin/fuzz.log
fuzz: deps
	@mkdir -p bin; set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f"; \
			if $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s $$pkg > $(FUZZLOG) 2>&1; then \
				tail -n 1 $(FUZZLOG); \
			elif grep -q 'context deadline exceeded' $(FUZZLOG) && ! grep -q 'Failing input written' $(FUZZLOG); then \
				echo "  no finding: the run ended in the Go fuzz coordinator's deadline race (go.dev/issue/75804)"; \
			else cat $(FUZZLOG); exit 1; fi; \
		done; done

clean:
	rm -rf bin $(OUT)
