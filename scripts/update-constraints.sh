#!/usr/bin/env bash
# Try the newest versions pyproject.toml allows and, if the tests pass with them, make them the
# tested set: rewrites constraints.txt. By hand only (needs the registry); CI installs from
# constraints.txt and never runs this. Arguments go to pytest (default: the generator's and the
# archive's tests, which exercise MkDocs and Material).
#   bash scripts/update-constraints.sh
#   bash scripts/update-constraints.sh tests/generator -x
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/docket-constraints.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
"$PY" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --upgrade pip
# no -c: whatever the ranges allow today
"$scratch/venv/bin/python" -m pip install --quiet --upgrade -e ".[dev,postgres,generators]"
if [ $# -eq 0 ]; then set -- tests/generator tests/archive tests/docket tests/test_architecture.py; fi
echo "testing with: $("$scratch/venv/bin/python" -m pip freeze | grep -iE '^(mkdocs|mkdocs-material|markdown|pymdown-extensions|jinja2|watchdog)==' | tr '\n' ' ')"
PATH="$scratch/venv/bin:$PATH" PYTHONPATH="$PWD" "$scratch/venv/bin/pytest" -q "$@"
{
  sed -n '/^#/p' constraints.txt
  "$scratch/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^#' | LC_ALL=C sort -f
} > "$scratch/constraints.txt"
mv "$scratch/constraints.txt" constraints.txt
git --no-pager diff --stat -- constraints.txt || true
echo "constraints.txt updated: review the diff and commit it with the test run's result"
