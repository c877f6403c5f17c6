#!/usr/bin/env bash
# Set up, check every case and build the example archive into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/docket check cases
.venv/bin/mkdocs build
