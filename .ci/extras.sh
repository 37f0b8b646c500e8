#!/usr/bin/env bash
# CI for the optional engines (issue 7): stanza and camel-tools as extras.
#
# Builds a separate virtual environment so the core venv stays torch-free, installs
# torch==2.13.0 FIRST (a CPU wheel; otherwise pip resolves a multi-GB CUDA build),
# then claimx with the stanza, camel and test extras, and runs the engine tests
# (hand-built parses, the committed tiny stanza models, the tiny CAMeL morphology DB).
# No model is downloaded. Takes a few minutes, most of it pip.
#
#   bash .ci/extras.sh            # from the repository root
#   EXTRAS_VENV=/tmp/x bash .ci/extras.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${EXTRAS_VENV:-.venv-extras}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet torch==2.13.0
"$VENV/bin/python" -m pip install --quiet -e '.[stanza,camel,test]'

# the extras must not have replaced the CPU torch
"$VENV/bin/python" - <<'PY'
import importlib.metadata as md
v = md.version("torch")
assert v.startswith("2.13.0"), f"torch {v} was installed over torch==2.13.0"
print("torch", v, "| stanza", md.version("stanza"), "| camel-tools", md.version("camel-tools"))
PY

set +e
"$VENV/bin/python" -m pytest tests/test_engine_stanza.py tests/test_engine_camel.py tests/test_cli_engines.py -q -p no:cacheprovider
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "extras: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
