#!/usr/bin/env bash
# Installs Debian's British English word list (wbritish: /usr/share/dict/british-english) when
# it is missing: search's "Did you mean" never corrects a word the dictionary knows.
set -euo pipefail
[ -f /usr/share/dict/british-english ] && exit 0
echo "Installing wbritish from Debian's packages" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wbritish >/dev/null
