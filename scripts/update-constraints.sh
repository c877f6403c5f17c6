#!/usr/bin/env bash
# Try the newest versions pyproject.toml allows and, if the tests pass with them, make them the
# tested set: rewrites constraints.txt. By hand only (needs the registry); CI installs from
# constraints.txt and never runs this. Arguments go to pytest (default: the generator's, the
# archive's and the export's tests, which exercise MkDocs, Material, ProperDocs and Zensical).
#   bash scripts/update-constraints.sh
#   bash scripts/update-constraints.sh tests/generator/mkdocs -x
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/docket-constraints.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
"$PY" -m venv "$scratch/venv"
venv="$scratch/venv/bin"
"$venv/python" -m pip install --quiet --upgrade pip
# no -c: whatever the ranges allow today
"$venv/python" -m pip install --quiet --upgrade -e ".[dev,postgres,generators]"
if [ $# -eq 0 ]; then set -- tests/generator tests/browser tests/docket tests/test_architecture.py; fi
stack='^(mkdocs|mkdocs-material|markdown|pymdown-extensions|jinja2|watchdog|properdocs|zensical)=='
echo "testing with: $("$venv/python" -m pip freeze | grep -iE "$stack" | tr '\n' ' ')"
# constraints.txt still names the old versions: its own test runs after it is rewritten
PATH="$venv:$PATH" PYTHONPATH="$PWD" "$venv/pytest" -q --ignore=tests/test_constraints.py "$@"
cp constraints.txt "$scratch/constraints.before"
{
  sed -n '/^#/p' constraints.txt
  "$venv/python" -m pip freeze --exclude-editable | grep -v '^#' | LC_ALL=C sort -f
} > "$scratch/constraints.txt"
cp "$scratch/constraints.txt" constraints.txt
if ! PATH="$venv:$PATH" PYTHONPATH="$PWD" "$venv/pytest" -q tests/test_constraints.py; then
  cp "$scratch/constraints.before" constraints.txt
  echo "constraints.txt left as it was: the new set does not satisfy pyproject.toml" >&2
  exit 1
fi
git --no-pager diff --stat -- constraints.txt || true
echo "constraints.txt updated: review the diff and commit it with the test run's result"
