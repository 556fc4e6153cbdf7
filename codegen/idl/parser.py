# SPDX-License-Identifier: GPL-2.0-or-later
"""Lexer and recursive-descent parser: IDL text -> syntax tree (ast.py)."""

import re

from .errors import IdlError, Pos
from . import ast

_TOKEN = re.compile(r'''
	(?P<ws>[ \t\r\n]+)
	|(?P<lcomment>//[^\n]*)
	|(?P<bcomment>/\*)
	|(?P<num>[0-9][0-9A-Za-z_.]*)
	|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
	|(?P<str>")
	|(?P<op><<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>()\[\]{},;:=.])
''', re.X)

KEYWORDS = {'encoding', 'import', 'const', 'enum', 'bitmap', 'struct',
	    'union', 'case', 'default', 'interface'}


class Token:
	__slots__ = ('kind', 'text', 'value', 'pos')

	def __init__(self, kind, text, value, pos):
		self.kind, self.text, self.value, self.pos = kind, text, value, pos

	def describe(self):
		if self.kind == 'eof':
			return 'end of file'
		return repr(self.text)


def _number(text, pos):
	"""Integer literal, or a 'major.minor' version literal (returned as str)."""
	if re.fullmatch(r'[0-9]+\.[0-9]+', text):
		return 'version', text
	try:
		t = text.lower()
		if t.startswith('0x'):
			return 'num', int(t[2:], 16)
		if t.startswith('0b'):
			return 'num', int(t[2:], 2)
		if re.fullmatch(r'[0-9]+', t):
			return 'num', int(t, 10)
	except ValueError:
		pass
	raise IdlError(pos, 'bad-number', text=text)


def tokenize(text, fname):
	toks = []
	i, line, lstart = 0, 1, 0
	n = len(text)
	while i < n:
		pos = Pos(fname, line, i - lstart + 1)
		m = _TOKEN.match(text, i)
		if not m:
			raise IdlError(pos, 'bad-char', ch=text[i])
		kind = m.lastgroup
		if kind == 'bcomment':
			j = text.find('*/', i + 2)
			if j < 0:
				raise IdlError(pos, 'unterminated-comment')
			end = j + 2
		elif kind == 'str':
			j = i + 1
			while j < n and text[j] not in '"\n':
				j += 1
			if j >= n or text[j] != '"':
				raise IdlError(pos, 'unterminated-string')
			end = j + 1
			toks.append(Token('str', text[i:end], text[i + 1:j], pos))
		else:
			end = m.end()
			s = m.group(kind)
			if kind == 'num':
				k, v = _number(s, pos)
				toks.append(Token(k, s, v, pos))
			elif kind == 'ident':
				toks.append(Token('kw' if s in KEYWORDS else 'ident', s, s, pos))
			elif kind == 'op':
				toks.append(Token('op', s, s, pos))
		chunk = text[i:end]
		nl = chunk.count('\n')
		if nl:
			line += nl
			lstart = i + chunk.rfind('\n') + 1
		i = end
	toks.append(Token('eof', '', None, Pos(fname, line, i - lstart + 1)))
	return toks


# binary operators, loosest first
_BINARY = [('||',), ('&&',), ('|',), ('^',), ('&',), ('==', '!='),
	   ('<', '>', '<=', '>='), ('<<', '>>'), ('+', '-'), ('*', '/', '%')]


class Parser:
	def __init__(self, text, fname):
		self.toks = tokenize(text, fname)
		self.i = 0
		self.fname = fname

	# -- token helpers --
	@property
	def tok(self):
		return self.toks[self.i]

	def next(self):
		t = self.toks[self.i]
		if t.kind != 'eof':
			self.i += 1
		return t

	def at(self, text):
		t = self.tok
		return t.kind in ('op', 'kw') and t.text == text

	def accept(self, text):
		if self.at(text):
			return self.next()
		return None

	def expect(self, text):
		if not self.at(text):
			raise IdlError(self.tok.pos, 'expected', want=repr(text),
				       got=self.tok.describe())
		return self.next()

	def ident(self, what='a name'):
		t = self.tok
		if t.kind != 'ident':
			raise IdlError(t.pos, 'expected', want=what, got=t.describe())
		return self.next()

	# -- file --
	def parse_file(self):
		f = ast.File(self.fname)
		if not self.at('encoding'):
			raise IdlError(self.tok.pos, 'encoding-first')
		self.next()
		t = self.ident('an encoding name')
		if t.text not in ('le', 'nl', 'ndr'):
			raise IdlError(t.pos, 'bad-encoding', name=t.text)
		f.encoding = t.text
		self.expect(';')
		while self.tok.kind != 'eof':
			if self.at('encoding'):
				raise IdlError(self.tok.pos, 'encoding-twice')
			if self.at('import'):
				pos = self.next().pos
				t = self.tok
				if t.kind != 'str':
					raise IdlError(t.pos, 'expected', want='a file name string',
						       got=t.describe())
				self.next()
				self.expect(';')
				f.imports.append((t.value, pos))
				continue
			f.items.append(self.item(top=True))
		return f

	def item(self, top):
		attrs = self.attrs()
		t = self.tok
		if self.at('const'):
			return self.const(attrs)
		if self.at('enum') or self.at('bitmap'):
			return self.enum(attrs)
		if self.at('struct'):
			return self.struct(attrs)
		if self.at('union'):
			return self.union(attrs)
		if top and self.at('interface'):
			return self.interface(attrs)
		if not top and t.kind == 'ident':
			return self.function(attrs)
		want = "'const', 'enum', 'bitmap', 'struct', 'union'"
		want += ", 'interface'" if top else ' or a function'
		raise IdlError(t.pos, 'expected', want=want, got=t.describe())

	def attrs(self):
		out = []
		if not self.accept('['):
			return out
		while True:
			t = self.ident('an attribute name')
			args = []
			if self.accept('('):
				if not self.at(')'):
					args.append(self.attr_arg())
					while self.accept(','):
						args.append(self.attr_arg())
				self.expect(')')
			out.append(ast.Attr(t.text, args, t.pos))
			if self.accept(']'):
				return out
			self.expect(',')

	def attr_arg(self):
		t = self.tok
		if t.kind == 'str':
			self.next()
			return ast.Str(t.value, t.pos)
		if t.kind == 'version':
			self.next()
			return ast.Str(t.value, t.pos)
		if t.kind == 'kw' and t.text == 'struct':	# base(struct)
			self.next()
			return ast.Name(t.text, t.pos)
		return self.expr()

	def const(self, attrs):
		pos = self.expect('const').pos
		name = self.ident()
		self.expect('=')
		e = self.expr()
		self.expect(';')
		return ast.Const(name.text, e, attrs, name.pos or pos)

	def enum(self, attrs):
		kind = self.next().text
		name = self.ident()
		base = None
		if self.accept(':'):
			base = self.ident('a base type')
		self.expect('{')
		entries = []
		while not self.at('}'):
			t = self.ident('an enum member')
			self.expect('=')
			e = self.expr()
			entries.append(ast.EnumEntry(t.text, e, t.pos))
			if not self.accept(','):
				break
		self.expect('}')
		self.expect(';')
		return ast.Enum(kind, name.text, base.text if base else None,
				base.pos if base else name.pos, entries, attrs, name.pos)

	def typeref(self):
		self.accept('struct') or self.accept('union') or self.accept('enum')
		t = self.ident('a type name')
		return t

	def member(self, attrs):
		t = self.typeref()
		stars = 0
		while self.at('*'):
			star = self.next()
			stars += 1
			if stars > 1:
				raise IdlError(star.pos, 'too-many-stars')
		name = self.ident('a member name')
		array = None
		if self.accept('['):
			if self.accept(']'):
				array = ast.VAR_ARRAY
			else:
				array = self.expr()
				self.expect(']')
		return ast.Member(t.text, t.pos, stars, name.text, array, attrs, name.pos)

	def struct(self, attrs):
		self.expect('struct')
		name = self.ident()
		self.expect('{')
		members = []
		while not self.at('}'):
			a = self.attrs()
			members.append(self.member(a))
			self.expect(';')
		self.expect('}')
		self.expect(';')
		return ast.Struct(name.text, members, attrs, name.pos)

	def union(self, attrs):
		self.expect('union')
		name = self.ident()
		base = None
		if self.accept(':'):
			base = self.ident('a discriminant type')
		self.expect('{')
		arms = []
		while not self.at('}'):
			labels = []
			while self.at('case') or self.at('default'):
				t = self.next()
				if t.text == 'case':
					labels.append(self.expr())
				else:
					labels.append(ast.DEFAULT)
				self.expect(':')
			if not labels:
				raise IdlError(self.tok.pos, 'expected', want="'case' or 'default'",
					       got=self.tok.describe())
			if self.accept(';'):
				arms.append(ast.Arm(labels, None))
				continue
			a = self.attrs()
			m = self.member(a)
			self.expect(';')
			arms.append(ast.Arm(labels, m))
		self.expect('}')
		self.expect(';')
		return ast.Union(name.text, base.text if base else None,
				 base.pos if base else name.pos, arms, attrs, name.pos)

	def interface(self, attrs):
		self.expect('interface')
		name = self.ident()
		self.expect('{')
		items = []
		while not self.at('}'):
			items.append(self.item(top=False))
		self.expect('}')
		self.expect(';')
		return ast.Interface(name.text, items, attrs, name.pos)

	def function(self, attrs):
		ret = self.ident('a return type')
		name = self.ident('a function name')
		self.expect('(')
		params = []
		if not self.at(')'):
			while True:
				a = self.attrs()
				params.append(self.member(a))
				if not self.accept(','):
					break
		self.expect(')')
		self.expect(';')
		return ast.Function(name.text, ret.text, ret.pos, params, attrs, name.pos)

	# -- expressions --
	def expr(self, level=0):
		if level == len(_BINARY):
			return self.unary()
		left = self.expr(level + 1)
		while self.tok.kind == 'op' and self.tok.text in _BINARY[level]:
			op = self.next()
			right = self.expr(level + 1)
			left = ast.BinOp(op.text, left, right, op.pos)
		return left

	def unary(self):
		t = self.tok
		if t.kind == 'op' and t.text in ('-', '~', '!'):
			self.next()
			return ast.UnOp(t.text, self.unary(), t.pos)
		if t.kind == 'num':
			self.next()
			return ast.Num(t.value, t.pos)
		if t.kind == 'ident':
			self.next()
			if self.accept('('):
				args = []
				if not self.at(')'):
					args.append(self.expr())
					while self.accept(','):
						args.append(self.expr())
				self.expect(')')
				return ast.Call(t.text, args, t.pos)
			return ast.Name(t.text, t.pos)
		if self.accept('('):
			e = self.expr()
			self.expect(')')
			return e
		raise IdlError(t.pos, 'expected', want='an expression', got=t.describe())


def parse(text, fname):
	return Parser(text, fname).parse_file()
