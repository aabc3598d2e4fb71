#!/bin/sh
# Set-up and entry point from a fresh clone:  ./pctt.sh run   |   ./pctt.sh test
# Needs only Python >= 3.11. Creates .venv with uv (installed if missing), installs the
# locked dependencies, then hands over to the `pctt` console script in .venv.
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}

say() { printf 'pctt.sh: %s\n' "$*" >&2; }
as_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  # Debian packages: installed when running as root, otherwise we say what to install.
  # A first argument --no-recommends keeps big suites (LibreOffice) to what we use.
  opts=""
  if [ "$1" = "--no-recommends" ]; then opts="--no-install-recommends"; shift; fi
  missing=""
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  if as_root && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $opts $missing >/dev/null
  else
    say "please install these Debian packages, then run this again:"
    say "  sudo apt-get install -y$missing"
    exit 1
  fi
}

command -v "$PYTHON" >/dev/null 2>&1 || { say "Python 3.11 or newer is needed ($PYTHON not found)."; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  say "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" -V 2>&1)."; exit 1; }

# uv: use one on PATH, else install it into var/tools (a private venv) with pip.
UV=$(command -v uv || true)
if [ -z "$UV" ]; then
  UV=var/tools/bin/uv
  if [ ! -x "$UV" ]; then
    if ! "$PYTHON" -m venv var/tools >/dev/null 2>&1; then
      rm -rf var/tools
      apt_install python3-venv
      "$PYTHON" -m venv var/tools
    fi
    say "installing uv into var/tools"
    var/tools/bin/python -m pip install -q uv
  fi
fi

[ $# -gt 0 ] || set -- run
case "$1" in
  test)
    # What the tests drive: a real browser, speech and the gettext tools.
    apt_install chromium espeak-ng gettext
    # Reports and newsletters as PDF (LibreOffice, optional in production) and their previews.
    apt_install --no-recommends libreoffice-writer-nogui poppler-utils
    # The deployment guide's nginx configuration, served in front of gunicorn (docs/deployment.md).
    apt_install --no-recommends nginx-light openssl
    # The C speedups of pctt.cap are optional for running pctt, but the tests exercise them.
    apt_install gcc libc6-dev
    "$PYTHON" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' ||
      apt_install python3-dev
    ;;
esac

"$UV" sync --frozen --python "$PYTHON" --quiet
# Compile pctt.cap's C speedups in place (under a second); without a compiler pctt runs the
# pure-Python twins and says so once here.
.venv/bin/python -m pctt.cap.speedups
exec .venv/bin/pctt "$@"
