#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The IDL compiler's tests (tests/codegen/test_*.py), run by `make check`.
# Exit 77 (automake: SKIP) when there are no test files yet; pytest's
# "no tests collected" (5) is a failure when test files exist.

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 99
py=${PYTHON3:-/usr/bin/python3}

found=no
for f in "$root"/tests/codegen/test_*.py "$root"/tests/codegen/*_test.py; do
	[ -f "$f" ] && found=yes && break
done
if [ "$found" = no ]; then
	echo "run-pytest.sh: no tests in tests/codegen yet"
	exit 77
fi

cd "$root" || exit 99
# Keep a read-only source tree (VPATH, distcheck) untouched.
PYTHONDONTWRITEBYTECODE=1 "$py" -m pytest -q -p no:cacheprovider tests/codegen
rc=$?
if [ $rc -eq 5 ]; then
	echo "run-pytest.sh: test files exist but pytest collected no tests" >&2
	exit 1
fi
exit $rc
