# leaflet — the two set-up commands are `make leaflet` and `make test`; each installs
# what it needs (system libraries with apt-get when missing, a virtual environment, pinned
# packages) and then does its job.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
                fonts-dejavu-core poppler-utils
# For the tests' QR decoder (pyzbar). Without its recommends: those bring ImageMagick and
# fonts that would change which fonts the PDFs fall back to.
APT_BARE := libzbar0

.PHONY: leaflet test serve bench fuzz attacks check lint typecheck goldens system chromium constraints clean-output help

help:
	@echo "make leaflet   build HTML and PDF leaflets for every article in raw/ into output/"
	@echo "make test      run the test suite"
	@echo "make serve     the studio on raw/ at http://127.0.0.1:8000/ (Ctrl-C stops it)"
	@echo "make bench     print throughput figures"
	@echo "make fuzz      throw many more random articles at leaflet build and clean"
	@echo "make attacks   clean every text disguised by the public attack tools (tests/data/attacks)"
	@echo "make check     lint and type-check"
	@echo "make goldens   regenerate the expected outputs of the tests (review the diff)"

leaflet: $(STAMP)
	$(BIN)/leaflet build raw -o output

test: $(STAMP) chromium
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/leaflet serve raw

bench: $(STAMP)
	$(BIN)/python bench/run.py --large
	$(BIN)/python bench/scaling.py
	$(BIN)/python bench/scaling_structure.py
	$(BIN)/python bench/bench_corpus.py
	$(BIN)/python bench/bench_html.py

# The suite's fuzz test with many more examples and a fresh random seed each run
# (a failure is kept in .hypothesis/ and tried first next time).
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	LEAFLET_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LEAFLET_FUZZ_SEED=random \
	  $(BIN)/python -m pytest -q tests/test_fuzz.py

attacks: $(STAMP)
	LEAFLET_ALL_ATTACKS=1 $(BIN)/python -m pytest -q tests/test_attack_roundtrip.py

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests tools bench

typecheck: $(STAMP)
	$(BIN)/mypy

goldens: $(STAMP)
	$(BIN)/python tools/regenerate_goldens.py

# System libraries WeasyPrint and the PDF tests need, and Debian's Chromium for the
# studio's browser tests (Playwright drives it; no browser download): installed with
# apt-get only when missing. apt's chatter goes to a log, shown only if it fails.
APT_LOG := /tmp/leaflet-apt.log
define apt_install
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	{ $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1); } >$(APT_LOG) 2>&1 \
	  || { cat $(APT_LOG); echo "apt-get install failed (log above)"; exit 1; }
endef

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(call apt_install,$$missing); \
	fi; \
	bare=""; for p in $(APT_BARE); do \
	  dpkg -s $$p >/dev/null 2>&1 || bare="$$bare $$p"; done; \
	if [ -n "$$bare" ]; then \
	  echo "installing system packages:$$bare"; \
	  $(call apt_install,--no-install-recommends $$bare); \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing system package: chromium (for the studio's browser tests)"; \
	  $(call apt_install,--no-install-recommends chromium); \
	fi

# The virtual environment with every pinned package (pip's own notices are hidden;
# errors still show).
$(STAMP): pyproject.toml constraints.txt | system
	@echo "setting up .venv with the pinned Python packages (a few minutes the first time)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -qq pip==26.3
	@$(BIN)/python -m pip install -qq -c constraints.txt -e '.[test,corpus]'
	@touch $(STAMP)
	@echo ".venv is ready"

# Record the versions now installed as the constraints for every later install.
constraints: $(STAMP)
	{ echo "# Every package version the project was tested with, direct and indirect."; \
	  echo "# make installs with these constraints; regenerate with: make constraints"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -iv '^en[-_]core[-_]web'; \
	} > constraints.txt

clean-output:
	rm -rf output
