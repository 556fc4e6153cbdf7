# SPDX-License-Identifier: GPL-2.0-or-later
"""Every diagnostic the compiler can report, by code.

Each code has one message template.  Tests enumerate CATALOGUE and require a
case that triggers every code, so adding a check means adding its code here.
"""

CATALOGUE = {
	# lexer
	'bad-char': "unexpected character {ch!r}",
	'bad-number': "malformed number {text!r}",
	'unterminated-string': "unterminated string",
	'unterminated-comment': "unterminated comment",
	# parser
	'expected': "expected {want}, found {got}",
	'encoding-first': "the file must start with 'encoding le|nl|ndr;'",
	'bad-encoding': "unknown encoding {name!r} (le, nl or ndr)",
	'encoding-twice': "'encoding' given twice",
	'bad-import': "cannot import {path!r}: {why}",
	'import-cycle': "import cycle through {path!r}",
	'too-many-stars': "only one '*' per member",
	# checker: names and types
	'duplicate-name': "{name!r} is already declared at {where}",
	'unknown-type': "unknown type {name!r}",
	'unknown-name': "unknown name {name!r} in expression",
	'unknown-attr': "unknown attribute {name!r} on {what}",
	'attr-args': "attribute {name!r} takes {want}",
	'attr-conflict': "attributes {a!r} and {b!r} cannot be used together",
	'attr-not-here': "attribute {name!r} is not allowed {where}",
	'bad-base-type': "{what} needs an integer base type, not {name!r}",
	'value-too-wide': "value {value:#x} does not fit {bits} bits",
	'duplicate-value': "value {value:#x} of {name!r} repeats {other!r}",
	'not-constant': "expression must be constant",
	'div-zero': "division by zero in constant expression",
	'bad-call': "unknown function {name!r} (only utf16_len)",
	# checker: layout
	'size-mismatch': "struct {name!r} has a fixed size of {got} bytes, [size] says {want}",
	'var-needs-length': "variable member {name!r} needs offset()+length(), size_is(), count(), until() or remaining",
	'remaining-not-last': "[remaining] member {name!r} must be the last inline member",
	'forward-ref': "member {name!r} is used before it is decoded",
	'ref-not-scalar': "{attr}({name}) must name an integer member",
	'chain-field': "chain field {name!r} must be a fixed u32/u16 member before any variable member",
	'size-field': "size field {name!r} must be a fixed integer member before any variable member",
	'recursive-type': "type {name!r} contains itself by value",
	'union-no-arms': "union {name!r} has no arms",
	'duplicate-case': "case {value:#x} repeats in union {name!r}",
	'pointer-not-ndr': "pointers are only allowed in ndr files",
	'ndr-only-attr': "attribute {name!r} only applies to ndr files",
	'opnum-missing': "function {name!r} needs [opnum(n)]",
	'opnum-duplicate': "opnum {value} of {name!r} repeats {other!r}",
	'param-direction': "parameter {name!r} needs [in], [out] or both",
	'out-not-pointer': "[out] parameter {name!r} must be a pointer",
	'bad-return': "return type {name!r} is not void, WERROR, NTSTATUS or u32",
	'interface-attr': "interface {name!r} needs {attr}",
	'bad-uuid': "malformed uuid {text!r}",
	'union-needs-switch': "union member {name!r} needs [switch_is(...)]",
	'switch-not-union': "[switch_is] on {name!r}, which is not a union",
	'array-size': "fixed array size of {name!r} must be a positive constant below 65536",
	'bad-elem': "{name!r}: {why}",
	'cross-encoding': "{name!r} is declared in an {enc} file and cannot be used by value here",
}


class IdlError(Exception):
	"""A located diagnostic: file:line:col: error: message [code]."""

	def __init__(self, pos, code, **kw):
		self.pos = pos
		self.code = code
		self.text = CATALOGUE[code].format(**kw)
		super().__init__(str(self))

	def __str__(self):
		return '%s: error: %s [%s]' % (self.pos, self.text, self.code)


class Pos:
	__slots__ = ('file', 'line', 'col')

	def __init__(self, file, line, col):
		self.file, self.line, self.col = file, line, col

	def __str__(self):
		return '%s:%d:%d' % (self.file, self.line, self.col)
