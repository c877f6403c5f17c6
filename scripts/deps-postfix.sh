#!/usr/bin/env bash
# Install Debian's postfix (the bounce tests start their own private instance) when absent.
# Idempotent and fast when already installed. A system-wide Postfix is neither started nor left
# enabled: the package's own start is refused for the time of the install and its unit disabled.
set -euo pipefail
if command -v postfix >/dev/null 2>&1 && [ -x /usr/lib/postfix/sbin/master ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  added_policy=1
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postfix >/dev/null
if [ -n "$added_policy" ]; then $SUDO rm -f "$policy"; fi
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable postfix >/dev/null 2>&1 || true; fi
$SUDO postfix status >/dev/null 2>&1 && $SUDO postfix stop >/dev/null 2>&1 || true
