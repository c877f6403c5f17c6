#!/usr/bin/env bash
# System pieces the archive's browser tests need: Debian's Chromium (Playwright drives it; it never
# downloads a browser of its own) and axe-core from npm into a project-local cache.
# Idempotent and fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >/dev/null
fi
AXE_DIR=.cache/axe
AXE_VERSION=4.10.3
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --no-save --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null
fi
