# The two commands a new user needs: `make demo` and `make test`.
# Both create .venv and install everything on first use (the CPU build of PyTorch first,
# so that no CUDA wheels are pulled in).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_OUT := demo-output

.PHONY: demo test install lint clean chromium portaudio fuzz

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,ray]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(DEMO_OUT)
	$(VENV)/bin/talkover analyze data/samples/pyannote_sample_call.flac --quiet \
		-o $(DEMO_OUT)/sample_call.json -o $(DEMO_OUT)/sample_call.csv \
		-o $(DEMO_OUT)/sample_call.html -o $(DEMO_OUT)/sample_call.png \
		-o $(DEMO_OUT)/sample_call.txt
	@cat $(DEMO_OUT)/sample_call.txt
	@echo "wrote $(DEMO_OUT)/sample_call.{json,csv,html,png,txt}"
	@echo "open $(DEMO_OUT)/sample_call.html in a browser for the interactive report"

test: $(STAMP) chromium portaudio
	$(PY) -m pytest -q

# The fuzz suite's long run (docs/hardening.md): thousands of examples per property, ~20 min.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=nightly $(PY) -m pytest -q tests/fuzz

# The browser tests drive Debian's Chromium; install it (as root) when it is missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update && apt-get install -y --no-install-recommends chromium; \
	fi

# talkover live records with sounddevice, which needs Debian's PortAudio library; install it
# (as root) when it is missing.
portaudio:
	@if ! /sbin/ldconfig -p | grep -q 'libportaudio\.so\.2'; then \
		apt-get update && apt-get install -y --no-install-recommends libportaudio2; \
	fi

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
