#!/usr/bin/env bash
# Install Debian's postgresql (the notifier's directory tests start their own server) when absent.
# Idempotent and fast when already installed; the tests never touch a system-wide cluster.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
