#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (the bundle is unpacked
# in /autograder/source). It installs Python 3.10+ and the grader's requirements in a venv.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"

if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "The grader needs Python 3.10 or newer: choose Gradescope's Ubuntu 22.04 (or newer) base image." >&2
    exit 1
fi
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --upgrade pip
"$ROOT/venv/bin/python" -m pip install --quiet -r "$ROOT/source/requirements.txt"
# The grader runs the learner's code as an unprivileged user (see run_autograder): it must read these.
chmod -R a+rX "$ROOT/source" "$ROOT/venv"
