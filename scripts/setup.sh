#!/usr/bin/env bash
# Create .venv (if absent) and install docket into it; `--dev` adds the test tools.
# Every package is installed at the version constraints.txt names (the tested set): a checkout
# builds the archive with the same MkDocs, Material and Markdown as CI, whatever the registry's
# newest are. Idempotent: safe to run before every build or test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
# --dev: the test tools, psycopg for the PostgreSQL directory tests, ProperDocs and Zensical
if [ "${1:-}" = "--dev" ]; then extras="[dev,postgres,generators]"; fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".${extras}"
