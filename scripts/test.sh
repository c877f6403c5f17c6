#!/usr/bin/env bash
# Set up (venv, dev tools, system packages the tests need) and run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/vulture  # dead code: paths and allowances in pyproject.toml [tool.vulture]
bash scripts/deps-mariadb.sh
bash scripts/deps-postgres.sh
bash scripts/deps-browser.sh
bash scripts/deps-postfix.sh
.venv/bin/pytest "$@"
