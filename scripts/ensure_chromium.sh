#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (tests/browser). Installs it
# with apt when /usr/bin/chromium is missing; on CI (CI=true) a failed install fails the run,
# elsewhere it only warns (the browser tests then fail loudly on CI, skip locally).
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "chromium missing: installing Debian's package" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; then
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "could not install chromium, which the browser tests need" >&2
  exit 1
fi
echo "warning: chromium could not be installed; browser tests will be skipped" >&2
exit 0
