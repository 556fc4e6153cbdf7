# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers of the IDL compiler's tests.

The compiler lives in codegen/ as the package `idl`; these tests import it
directly (no install step) and also run codegen/idlc.py as a program.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODEGEN = ROOT / 'codegen'
IDLC = CODEGEN / 'idlc.py'
IDL_DIR = ROOT / 'idl'
PYTHON = sys.executable

if str(CODEGEN) not in sys.path:
	sys.path.insert(0, str(CODEGEN))

from idl import model  # noqa: E402
from idl.errors import IdlError, CATALOGUE  # noqa: E402
from idl.parser import parse  # noqa: E402

# for the test modules: from conftest import IdlError, CATALOGUE
REEXPORTED = (IdlError, CATALOGUE)

# The NDR back-end is written separately; until it exists only le/nl files
# can be generated (checking works for every file).
HAVE_NDR = importlib.util.find_spec('idl.emit_ndr') is not None

GCC = shutil.which('gcc')
CFLAGS = ['-Wall', '-Wextra', '-Werror']

MARK = '$'


def unmark(text):
	"""Remove the one '$' marker of a snippet; return (text, line, col) of
	the character that followed it (1-based, as the compiler reports)."""
	i = text.find(MARK)
	if i < 0:
		return text, None, None
	if text.find(MARK, i + 1) >= 0:
		raise ValueError('more than one %r marker' % MARK)
	before = text[:i]
	line = before.count('\n') + 1
	col = i - (before.rfind('\n') + 1) + 1
	return before + text[i + 1:], line, col


def write_files(dirpath, files):
	"""Write {name: text} into dirpath; return {name: (line, col)} of the
	markers found."""
	marks = {}
	for name, text in files.items():
		clean, line, col = unmark(text)
		if line is not None:
			marks[name] = (line, col)
		p = Path(dirpath) / name
		p.parent.mkdir(parents=True, exist_ok=True)
		p.write_text(clean, encoding='utf-8')
	return marks


def compile_idl(dirpath, files, main=None):
	"""Write the files and compile `main` (default: the first one) in
	dirpath, which must be the current directory (positions are relative
	paths). Returns (compiler, file models)."""
	write_files(dirpath, files)
	main = main or next(iter(files))
	return model.compile_files([main])


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
	"""tmp_path as the current directory, so diagnostics say 'main.idl:..'."""
	monkeypatch.chdir(tmp_path)
	return tmp_path


@pytest.fixture
def compile_snippet(in_tmp):
	"""compile_snippet(text or {name: text}) -> Compiler (names resolved)."""
	def run(files, main=None):
		if isinstance(files, str):
			files = {'main.idl': files}
		comp, _ = compile_idl(in_tmp, files, main)
		return comp
	return run


def file_encoding(path):
	"""The encoding a file declares (parsed, so comments do not matter)."""
	return parse(Path(path).read_text(encoding='utf-8'), str(path)).encoding


def real_idl_files(include_ndr=None):
	"""The project's idl/*.idl, sorted; ndr files only when they can be
	generated (or when include_ndr says so)."""
	if include_ndr is None:
		include_ndr = HAVE_NDR
	out = []
	for p in sorted(IDL_DIR.glob('*.idl')):
		if include_ndr or file_encoding(p) != 'ndr':
			out.append(p)
	return out


def run_idlc(args, cwd=ROOT, env=None):
	e = dict(os.environ)
	e['PYTHONDONTWRITEBYTECODE'] = '1'
	if env:
		e.update(env)
	return subprocess.run([PYTHON, str(IDLC)] + [str(a) for a in args], cwd=str(cwd),
			      env=e, capture_output=True, text=True, timeout=60)


def generate(outdir, idl_paths, env=None, cwd=ROOT):
	r = run_idlc(['--outdir', outdir] + list(idl_paths), env=env, cwd=cwd)
	assert r.returncode == 0, 'idlc failed:\n' + r.stderr
	return r


def generate_inproc(outdir, idl_paths):
	"""Compile and write in this process (no interpreter start-up)."""
	from idl import emit
	comp, files = model.compile_files([str(p) for p in idl_paths])
	emit.write_all(comp, files, str(outdir))


def gcc_compile(cfiles, incdir, cwd):
	"""gcc -c every file with the strict flags; returns (rc, diagnostics)."""
	cmd = [GCC] + CFLAGS + ['-I', str(incdir), '-c'] + [str(f) for f in cfiles]
	r = subprocess.run(cmd, cwd=str(cwd), capture_output=True, text=True, timeout=120)
	return r.returncode, r.stderr


needs_gcc = pytest.mark.skipif(GCC is None, reason='gcc is not installed')

POS_RE = re.compile(r'^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$', re.M)
