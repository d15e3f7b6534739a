# The two commands a new user needs: `make demo` and `make test`.
# Both create .venv and install everything on first use (the CPU build of PyTorch first,
# so that no CUDA wheels are pulled in).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_OUT := demo-output

.PHONY: demo test install lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(DEMO_OUT)
	$(VENV)/bin/talkover analyze data/samples/pyannote_sample_call.flac --quiet \
		-o $(DEMO_OUT)/sample_call.json -o $(DEMO_OUT)/sample_call.csv
	$(VENV)/bin/talkover analyze $(DEMO_OUT)/sample_call.json
	@echo "wrote $(DEMO_OUT)/sample_call.json and $(DEMO_OUT)/sample_call.csv"

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
