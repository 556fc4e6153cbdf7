#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bootstrap the autotools build: ./autogen.sh && ./configure && make
set -e
cd "$(dirname "$0")"

if [ ! -f generated/files.mk ]; then
	# generated/ is committed; only a fresh tree without it needs the compiler here.
	py=${PYTHON3:-/usr/bin/python3}
	[ -x "$py" ] || py=python3
	echo "autogen.sh: generated/files.mk missing, running the IDL compiler"
	"$py" codegen/idlc.py --outdir generated idl/*.idl
fi

autoreconf --force --install --warnings=all
echo "autogen.sh: now run ./configure (see ./configure --help) and make"
