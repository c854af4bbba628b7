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
CORPUS := testdata/seeds testdata/corpus
FUZZTIME ?= 30s

# Debian packages the build and the tests need: Tesseract with Swedish data and
# headers (OCR), hunspell's Swedish dictionary (text repair), poppler (PDF
# tools for fixtures and the reference benchmarks).
APT_PKGS := tesseract-ocr tesseract-ocr-swe libtesseract-dev libleptonica-dev hunspell-sv poppler-utils ca-certificates
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test vet bench fuzz clean

all: build

# deps installs only what is missing, so it is quick and safe to repeat.
deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
	$(GO) test -count=1 ./...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz: deps
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; done

clean:
	rm -rf bin $(OUT)
