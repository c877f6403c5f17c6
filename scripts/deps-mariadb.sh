#!/usr/bin/env bash
# Install Debian's mariadb-server (the notifier's directory tests start their own server) when absent.
# Idempotent and fast when already installed; the tests never touch a system-wide MariaDB.
set -euo pipefail
if command -v mariadbd >/dev/null 2>&1 && command -v mariadb-install-db >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
