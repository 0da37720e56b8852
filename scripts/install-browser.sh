#!/usr/bin/env bash
# Headless Chromium for the browser tests: Debian's package where we are root with apt-get,
# Playwright's own download elsewhere. The tests find it the same way (tests/browser.py).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's chromium (for the browser tests)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
else
  echo "Installing Playwright's Chromium (for the browser tests)..."
  .venv/bin/python -m playwright install chromium
fi
