# SPDX-License-Identifier: GPL-2.0-or-later
"""Every diagnostic of errors.CATALOGUE, triggered by a small IDL snippet.

Each case is (code, {file: text}); exactly one file holds a '$' marker in
front of the token the diagnostic must point at. The compiler must raise
IdlError with that code at that file:line:col. test_catalogue_covered makes
a new catalogue code without a case fail the suite.
"""

import pytest

from conftest import (IdlError, CATALOGUE, compile_idl, write_files, run_idlc,
		      unmark, POS_RE)

LE = 'encoding le;\n'
NL = 'encoding nl;\n'
NDR = 'encoding ndr;\n'
UUID = '"12345678-1234-abcd-ef00-0123456789ab"'
IFACE = '[uuid(%s), version(1.0)]\ninterface t_iface {\n' % UUID


def iface(body):
	return NDR + IFACE + body + '};\n'


def case(code, files, id=None, marks=()):
	if isinstance(files, str):
		files = {'main.idl': files}
	return pytest.param(code, files, id=id or code, marks=marks)


# Catalogue codes that no input can trigger (none today). A code listed here
# gets a strict xfail, so the suite notices when it becomes reachable.
UNREACHABLE = {}


def dead(code):
	return pytest.mark.xfail(strict=True, reason=UNREACHABLE[code])


CASES = [
	# -- lexer --
	case('bad-char', LE + 'const A = 1 $@ 2;\n'),
	case('bad-char', LE + 'struct s {\n\tu32 a;\n\t$# u32 b;\n};\n', id='bad-char-hash'),
	case('bad-number', LE + 'const A = $0x;\n'),
	case('bad-number', LE + 'const A = $12ab;\n', id='bad-number-suffix'),
	case('bad-number', LE + 'const A = $0b102;\n', id='bad-number-binary'),
	case('unterminated-string', LE + 'import $"other.idl;\n'),
	case('unterminated-comment', LE + 'const A = 1;\n  $/* no end\nconst B = 2;\n'),
	# -- parser --
	case('expected', LE + 'struct s {\n\tu32 a\n$};\n'),
	case('expected', LE + 'const A = 1$', id='expected-eof'),
	case('expected', LE + 'struct s {\n\tu32 $;\n};\n', id='expected-member-name'),
	case('expected', LE + '$foo bar;\n', id='expected-declaration'),
	case('expected', LE + 'import $other;\n', id='expected-import-string'),
	case('expected', LE + 'union u : u32 {\n\t$u32 a;\n};\n', id='expected-case'),
	case('encoding-first', '// comment\n$const A = 1;\n'),
	case('encoding-first', '$', id='encoding-first-empty'),
	case('bad-encoding', 'encoding $be;\n'),
	case('encoding-twice', LE + 'const A = 1;\n$encoding le;\n'),
	case('bad-import', LE + '$import "missing.idl";\n'),
	case('import-cycle', {'main.idl': LE + 'import "b.idl";\n',
			      'b.idl': LE + '$import "main.idl";\n'}),
	case('import-cycle', LE + '$import "main.idl";\n', id='import-cycle-self'),
	case('too-many-stars', NDR + 'struct s {\n\t[unique] u32 *$*p;\n};\n'),
	# -- names and types --
	case('duplicate-name', LE + 'const A = 1;\nconst $A = 2;\n'),
	case('duplicate-name', LE + 'struct s {\n\tu32 a;\n\tu16 $a;\n};\n', id='duplicate-member'),
	case('duplicate-name', LE + 'struct $u32 {\n\tu8 a;\n};\n', id='duplicate-builtin'),
	case('duplicate-name', LE + 'enum e : u8 {\n\tX = 1,\n};\nconst $X = 2;\n',
	     id='duplicate-enum-entry'),
	case('duplicate-name', {'main.idl': LE + 'import "b.idl";\nconst $B = 2;\n',
				'b.idl': LE + 'const B = 1;\n'}, id='duplicate-imported'),
	case('duplicate-name', LE + 'union u : u32 {\ncase 1: u32 a;\ncase 2: u16 $a;\n};\n',
	     id='duplicate-arm'),
	case('unknown-type', LE + 'struct s {\n\t$foo x;\n};\n'),
	case('unknown-type', {'main.idl': LE + 'struct s {\n\t$b_t x;\n};\n',
			      'b.idl': LE + 'struct b_t {\n\tu8 a;\n};\n'},
	     id='unknown-type-not-imported'),
	case('unknown-name', LE + 'struct s {\n\tu32 a;\n\t[size_is($n)] u8 b[];\n};\n'),
	case('unknown-name', LE + 'const A = 1 + $B;\n', id='unknown-name-const'),
	case('unknown-attr', LE + 'struct s {\n\t[$bogus] u32 a;\n};\n'),
	case('unknown-attr', LE + '[$packed] struct s {\n\tu32 a;\n};\n', id='unknown-attr-packed-le'),
	case('unknown-attr', NL + '[$chain(a)] struct s {\n\tu32 a;\n};\n', id='unknown-attr-chain-nl'),
	case('unknown-attr', LE + '[$public] const A = 1;\n', id='unknown-attr-const'),
	case('attr-args', LE + 'struct s {\n\t[$value] u32 a;\n};\n'),
	case('attr-args', LE + 'struct s {\n\t[$reserved(1)] u32 a;\n};\n', id='attr-args-extra'),
	case('attr-args', LE + 'struct s {\n\tu16 o;\n\tu16 l;\n'
	     '\t[offset(o), length(l), $base(foo)] u8 b[];\n};\n', id='attr-args-base'),
	case('attr-args', NDR + 'struct s {\n\tu32 n;\n\t[size_is(n), $charset(EBCDIC)] u16 *p;\n};\n',
	     id='attr-args-charset'),
	case('attr-args', NDR + '[uuid(%s), $version(x)]\ninterface t_iface {\n};\n' % UUID,
	     id='attr-args-version'),
	case('attr-conflict', LE + 'struct s {\n\t[value(1), $reserved] u32 a;\n};\n'),
	case('attr-conflict', LE + 'struct s {\n\t[reserved, $reserved] u32 a;\n};\n',
	     id='attr-conflict-repeat'),
	case('attr-conflict', LE + 'struct s {\n\tu16 o;\n\tu16 n;\n'
	     '\t[offset(o), $size_is(n)] u8 b[];\n};\n', id='attr-conflict-offset-size_is'),
	case('attr-not-here', LE + 'struct s {\n\t[$base(msg)] u32 a;\n};\n'),
	case('attr-not-here', LE + 'struct s {\n\tu16 l;\n\t[$length(l)] u8 b[];\n};\n',
	     id='attr-not-here-length'),
	case('attr-not-here', LE + 'struct s {\n\tu16 n;\n\t[$count(n)] u32 a;\n};\n',
	     id='attr-not-here-fixed'),
	case('attr-not-here', LE + 'struct s {\n\tu16 n;\n\t[size_is(n), $value(1)] u8 b[];\n};\n',
	     id='attr-not-here-value'),
	case('attr-not-here', LE + 'struct s {\n\t[$optional] u32 a;\n};\n',
	     id='attr-not-here-optional'),
	case('attr-not-here', LE + 'struct s {\n\t[$until(a, 0)] u8 b[];\n};\n',
	     id='attr-not-here-until'),
	case('bad-base-type', LE + 'enum e : $guid {\n\tX = 1,\n};\n'),
	case('bad-base-type', LE + 'union u : $nttime {\ncase 1: u32 a;\n};\n', id='bad-base-type-union'),
	case('value-too-wide', LE + 'enum e : u8 {\n\tX = 1,\n\t$Y = 256,\n};\n'),
	case('value-too-wide', LE + 'enum e : i8 {\n\t$X = -129,\n};\n', id='value-too-wide-signed'),
	case('duplicate-value', LE + 'enum e : u16 {\n\tX = 1,\n\t$Y = 1,\n};\n'),
	case('not-constant', LE + 'const A = $f(1);\n'),
	case('not-constant', LE + 'struct t {\n\tu32 a;\n};\nconst A = $t;\n', id='not-constant-type'),
	case('div-zero', LE + 'const A = 4 $/ (2 - 2);\n'),
	case('div-zero', LE + 'const A = 4 $% 0;\n', id='div-zero-mod'),
	case('bad-call', LE + 'struct s {\n\tu32 n;\n\t[size_is($double(n))] u8 b[];\n};\n'),
	# -- layout --
	case('size-mismatch', LE + '[$size(8)] struct s {\n\tu32 a;\n\tu16 b;\n};\n'),
	case('size-mismatch', NL + '[public, $size(6)] struct s {\n\tu32 a;\n\tu16 b;\n};\n',
	     id='size-mismatch-nl-padding'),
	case('var-needs-length', LE + 'struct s {\n\tu32 a;\n\tu8 $b[];\n};\n'),
	case('var-needs-length', LE + 'struct s {\n\tu16 o;\n\t[offset(o), optional] u16 $v[];\n};\n',
	     id='var-needs-length-offset-scalars'),
	case('remaining-not-last', LE + 'struct s {\n\t[remaining] u8 $b[];\n\tu32 c;\n};\n'),
	case('forward-ref', LE + 'struct s {\n\t[size_is($n)] u8 b[];\n\tu16 n;\n};\n'),
	case('ref-not-scalar', LE + 'struct s {\n\tguid g;\n\t[count($g)] u16 a[];\n};\n'),
	case('ref-not-scalar', LE + 'struct e {\n\tguid g;\n\tu32 k;\n};\n'
	     'struct s {\n\t[$until(g, 0)] e list[];\n};\n', id='ref-not-scalar-until'),
	case('chain-field', LE + '[$chain(nope)] struct s {\n\tu32 next;\n};\n'),
	case('chain-field', LE + '[chain(next)] struct s {\n\tu16 n;\n\t[size_is(n)] u8 b[];\n'
	     '\tu32 $next;\n};\n', id='chain-field-after-variable'),
	case('size-field', LE + '[$size_field(g)] struct s {\n\tguid g;\n};\n'),
	case('recursive-type', LE + 'struct $s {\n\tu32 a;\n\ts inner;\n};\n'),
	case('union-no-arms', LE + 'union $u : u32 {\n};\n'),
	case('duplicate-case', LE + 'union u : u32 {\ncase 1: u32 a;\ncase $1: u16 b;\n};\n'),
	case('duplicate-case', LE + 'const K = 2;\nunion u : u32 {\ncase 2: u32 a;\n'
	     'case 3:\ncase $K: u16 b;\n};\n', id='duplicate-case-const'),
	case('pointer-not-ndr', LE + 'struct s {\n\tu32 *$p;\n};\n'),
	case('ndr-only-attr', LE + 'struct s {\n\t[$unique] u32 a;\n};\n'),
	case('ndr-only-attr', LE + '[$v1_enum] enum e : u32 {\n\tX = 1,\n};\n', id='ndr-only-attr-enum'),
	case('ndr-only-attr', LE + '[$switch_type(u32)] union u {\ncase 1: u32 a;\n};\n',
	     id='ndr-only-attr-union'),
	# -- interfaces --
	case('opnum-missing', iface('\tWERROR $t_f([in] u32 a);\n')),
	case('opnum-duplicate', iface('\t[opnum(0)] WERROR t_f([in] u32 a);\n'
				      '\t[$opnum(0)] WERROR t_g([in] u32 a);\n')),
	case('param-direction', iface('\t[opnum(0)] WERROR t_f(u32 $a);\n')),
	case('out-not-pointer', iface('\t[opnum(0)] WERROR t_f([out] u32 $a);\n')),
	case('bad-return', iface('\t[opnum(0)] $int t_f([in] u32 a);\n')),
	case('interface-attr', NDR + '[version(1.0)]\ninterface $t_iface {\n};\n'),
	case('interface-attr', NDR + '[uuid(%s)]\ninterface $t_iface {\n};\n' % UUID,
	     id='interface-attr-version'),
	case('bad-uuid', NDR + '[$uuid("12345678-1234"), version(1.0)]\ninterface t_iface {\n};\n'),
	# -- unions and members --
	case('union-needs-switch', LE + 'union u : u32 {\ncase 1: u32 a;\n};\n'
	     'struct s {\n\tu32 k;\n\tu $x;\n};\n'),
	case('switch-not-union', LE + 'struct s {\n\tu32 a;\n\t[$switch_is(a)] u32 b;\n};\n'),
	case('array-size', LE + 'struct s {\n\tu8 $x[0];\n};\n'),
	case('array-size', LE + 'struct s {\n\tu8 $x[65536];\n};\n', id='array-size-big'),
	case('bad-elem', LE + 'struct t {\n\tu32 a;\n};\nstruct s {\n\tt $x[2];\n};\n'),
	case('bad-elem', LE + 'struct s {\n\tutf16 $c;\n};\n', id='bad-elem-utf16-scalar'),
	case('bad-elem', LE + 'struct s {\n\tu16 n;\n\t[size_is(n)] guid $g[];\n};\n',
	     id='bad-elem-guid-array'),
	case('bad-elem', NL + 'struct s {\n\tu16 n;\n\t[size_is(n)] u8 $b[];\n\tu32 c;\n};\n',
	     id='bad-elem-nl-flexible-not-last'),
	case('cross-encoding', {'main.idl': LE + 'import "n.idl";\nstruct s {\n\t$n_t x;\n};\n',
				'n.idl': NL + 'struct n_t {\n\tu32 a;\n};\n'}),
	case('cross-encoding', {'main.idl': NL + 'import "l.idl";\nstruct s {\n\t$l_t x;\n};\n',
				'l.idl': LE + 'struct l_t {\n\tu32 a;\n};\n'}, id='cross-encoding-le-in-nl'),
]


def _expected_pos(files):
	marks = {}
	for name, text in files.items():
		_, line, col = unmark(text)
		if line is not None:
			marks[name] = (line, col)
	assert len(marks) == 1, 'a case needs exactly one $ marker'
	(name, (line, col)), = marks.items()
	return name, line, col


@pytest.mark.parametrize('code,files', CASES)
def test_diagnostic(code, files, in_tmp):
	assert code in CATALOGUE, 'case for a code the catalogue does not have'
	fname, line, col = _expected_pos(files)
	with pytest.raises(IdlError) as ei:
		compile_idl(in_tmp, files, 'main.idl')
	e = ei.value
	assert (e.code, e.pos.file, e.pos.line, e.pos.col) == (code, fname, line, col), str(e)
	s = str(e)
	assert s.startswith('%s:%d:%d: error: ' % (fname, line, col))
	assert s.endswith('[%s]' % code)


def test_catalogue_covered():
	"""Every catalogue code has a case (xfail-marked ones are known gaps)."""
	covered = {p.values[0] for p in CASES}
	assert covered == set(CATALOGUE), (
		'no case for %s; stale cases for %s' % (sorted(set(CATALOGUE) - covered),
							 sorted(covered - set(CATALOGUE))))


def test_ids_unique():
	ids = [p.id for p in CASES]
	assert len(ids) == len(set(ids))


def test_messages_format():
	"""Every template formats with the names the checker passes (a typo
	there would surface as a KeyError instead of a diagnostic)."""
	import string
	for code, tmpl in CATALOGUE.items():
		fields = {f for _, f, _, _ in string.Formatter().parse(tmpl) if f}
		for f in fields:
			assert f.split('!')[0].isidentifier(), (code, f)


# -- the command line --

def test_cli_check_error(in_tmp):
	write_files(in_tmp, {'bad.idl': LE + 'struct s {\n\t$foo x;\n};\n'})
	r = run_idlc(['--check', 'bad.idl'], cwd=in_tmp)
	assert r.returncode == 1
	assert r.stdout == ''
	lines = r.stderr.strip().splitlines()
	assert len(lines) == 1, r.stderr
	m = POS_RE.match(lines[0])
	assert m, r.stderr
	assert (m['file'], m['line'], m['col']) == ('bad.idl', '3', '2')
	assert "unknown type 'foo'" in m['msg']
	assert 'Traceback' not in r.stderr


def test_cli_check_ok(in_tmp):
	write_files(in_tmp, {'good.idl': LE + 'struct s {\n\tu32 a;\n};\n'})
	r = run_idlc(['--check', 'good.idl'], cwd=in_tmp)
	assert (r.returncode, r.stdout, r.stderr) == (0, '', '')


def test_cli_error_in_import(in_tmp):
	"""The position names the imported file, not the one on the command line."""
	write_files(in_tmp, {'top.idl': LE + 'import "sub/dep.idl";\n',
			     'sub/dep.idl': LE + 'const A = 1 / 0;\n'})
	r = run_idlc(['--check', 'top.idl'], cwd=in_tmp)
	assert r.returncode == 1
	m = POS_RE.match(r.stderr)
	assert m, r.stderr
	assert (m['file'], m['line'], m['col']) == ('sub/dep.idl', '2', '13')


def test_cli_missing_file(in_tmp):
	r = run_idlc(['--check', 'nope.idl'], cwd=in_tmp)
	assert r.returncode != 0
	assert 'Traceback' not in r.stderr, r.stderr
