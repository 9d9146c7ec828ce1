#!/usr/bin/env bash
# Makes sure the browser tests of the operator chat panel can run: Node.js and npm (the widgets' build) and
# Debian's Chromium at /usr/bin/chromium (or $CHATHUB_CHROMIUM). Installs Chromium with apt-get when it is
# missing; fails loudly when it cannot (the browser tests are never skipped).
set -euo pipefail
chromium=${CHATHUB_CHROMIUM:-/usr/bin/chromium}

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ensure-browser: $tool is not installed; the operator chat panel is built with Node.js (apt-get install nodejs npm)" >&2
    exit 1
  fi
done
if [ ! -x "$chromium" ]; then
  echo "ensure-browser: $chromium is missing; installing Debian's chromium" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; }; then
    echo "ensure-browser: could not install chromium (apt-get install -y chromium failed); the browser tests need it" >&2
    exit 1
  fi
fi
if ! "$chromium" --version >/dev/null 2>&1; then
  echo "ensure-browser: $chromium does not run" >&2
  exit 1
fi
