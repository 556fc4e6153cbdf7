#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""idlc: compile IDL declarations into C marshallers.

  idlc.py --check FILE.idl...          parse and check only
  idlc.py --outdir DIR FILE.idl...     write the C files (only those that changed)
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from idl.errors import IdlError  # noqa: E402
from idl import model  # noqa: E402


def main(argv=None):
	ap = argparse.ArgumentParser(prog='idlc', description=__doc__,
				     formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument('--check', action='store_true', help='parse and check only')
	ap.add_argument('--outdir', help='where the C files go')
	ap.add_argument('files', nargs='+')
	args = ap.parse_args(argv)
	if not args.check and not args.outdir:
		ap.error('give --check or --outdir')
	try:
		comp, files = model.compile_files(args.files)
		if args.check:
			return 0
		from idl import emit
		emit.write_all(comp, files, args.outdir)
	except IdlError as e:
		print(e, file=sys.stderr)
		return 1
	return 0


if __name__ == '__main__':
	sys.exit(main())
