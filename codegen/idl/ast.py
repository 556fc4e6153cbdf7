# SPDX-License-Identifier: GPL-2.0-or-later
"""Syntax tree of an IDL file, as written (names unresolved)."""


class Node:
	def __repr__(self):
		return '%s(%s)' % (type(self).__name__, ', '.join(
			'%s=%r' % kv for kv in vars(self).items() if kv[0] != 'pos'))


class File(Node):
	def __init__(self, path):
		self.path = path
		self.encoding = None
		self.imports = []
		self.items = []


class Attr(Node):
	def __init__(self, name, args, pos):
		self.name, self.args, self.pos = name, args, pos


class Const(Node):
	def __init__(self, name, expr, attrs, pos):
		self.name, self.expr, self.attrs, self.pos = name, expr, attrs, pos


class EnumEntry(Node):
	def __init__(self, name, expr, pos):
		self.name, self.expr, self.pos = name, expr, pos


class Enum(Node):
	"""kind is 'enum' or 'bitmap'."""

	def __init__(self, kind, name, base, base_pos, entries, attrs, pos):
		self.kind, self.name, self.base, self.base_pos = kind, name, base, base_pos
		self.entries, self.attrs, self.pos = entries, attrs, pos


VAR_ARRAY = 'var'


class Member(Node):
	"""array: None, VAR_ARRAY ('name[]') or a size expression."""

	def __init__(self, type, type_pos, stars, name, array, attrs, pos):
		self.type, self.type_pos, self.stars = type, type_pos, stars
		self.name, self.array, self.attrs, self.pos = name, array, attrs, pos


class Struct(Node):
	def __init__(self, name, members, attrs, pos):
		self.name, self.members, self.attrs, self.pos = name, members, attrs, pos


DEFAULT = 'default'


class Arm(Node):
	"""labels: case expressions or DEFAULT; member None for an empty arm."""

	def __init__(self, labels, member):
		self.labels, self.member = labels, member


class Union(Node):
	def __init__(self, name, base, base_pos, arms, attrs, pos):
		self.name, self.base, self.base_pos = name, base, base_pos
		self.arms, self.attrs, self.pos = arms, attrs, pos


class Interface(Node):
	def __init__(self, name, items, attrs, pos):
		self.name, self.items, self.attrs, self.pos = name, items, attrs, pos


class Function(Node):
	def __init__(self, name, ret, ret_pos, params, attrs, pos):
		self.name, self.ret, self.ret_pos = name, ret, ret_pos
		self.params, self.attrs, self.pos = params, attrs, pos


class Num(Node):
	def __init__(self, value, pos):
		self.value, self.pos = value, pos


class Str(Node):
	def __init__(self, value, pos):
		self.value, self.pos = value, pos


class Name(Node):
	def __init__(self, name, pos):
		self.name, self.pos = name, pos


class BinOp(Node):
	def __init__(self, op, left, right, pos):
		self.op, self.left, self.right, self.pos = op, left, right, pos


class UnOp(Node):
	def __init__(self, op, operand, pos):
		self.op, self.operand, self.pos = op, operand, pos


class Call(Node):
	def __init__(self, func, args, pos):
		self.func, self.args, self.pos = func, args, pos
