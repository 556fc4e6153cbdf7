# SPDX-License-Identifier: GPL-2.0-or-later
"""Checker and semantic model: syntax trees -> resolved, laid-out types.

Everything a back-end needs is decided here (member kinds, placements,
offsets, which fields are derived on encode), so back-ends only render.
"""

import os

from . import ast
from .errors import IdlError, Pos
from .parser import parse


class Scalar:
	def __init__(self, name, size, signed, big=False):
		self.name, self.size, self.signed = name, size, signed
		self.big = big		# network byte order (be16, be32)
		self.align = size
		self.ctype = ('s%d' if signed else 'u%d') % (size * 8)
		self.kind = 'scalar'
		self.file = None

	def __repr__(self):
		return self.name


SCALARS = {n: Scalar(n, s, n[0] == 'i') for n, s in (
	('u8', 1), ('u16', 2), ('u32', 4), ('u64', 8),
	('i8', 1), ('i16', 2), ('i32', 4), ('i64', 8))}
# Big-endian integers, for the few network-order fields (NetBIOS session
# framing, sockaddr ports); le/nl only, and never as sequence elements.
BIG_ENDIAN = {n: Scalar(n, s, False, big=True) for n, s in (('be16', 2), ('be32', 4))}
for _b in BIG_ENDIAN.values():
	_b.ctype = 'u%d' % (8 * _b.size)
SCALARS.update(BIG_ENDIAN)
NTTIME = Scalar('nttime', 8, False)
NTTIME.ctype = 'u64'


class Builtin:
	"""guid (fixed 16 bytes) and utf16 (2-byte code units, views only)."""

	def __init__(self, name, size, align, ctype):
		self.name, self.size, self.align, self.ctype = name, size, align, ctype
		self.kind = name
		self.file = None


GUID = Builtin('guid', 16, 4, 'struct wire_guid')
UTF16 = Builtin('utf16', 2, 2, 'u16')
BUILTINS = dict(SCALARS, nttime=NTTIME, guid=GUID, utf16=UTF16)
RETURN_TYPES = {'void': None, 'WERROR': SCALARS['u32'],
		'NTSTATUS': SCALARS['u32'], 'u32': SCALARS['u32']}


class Const:
	kind = 'const'

	def __init__(self, name, value, pos, file):
		self.name, self.value, self.pos, self.file = name, value, pos, file


class EnumType:
	kind = 'enum'

	def __init__(self, node, base, file):
		self.name, self.pos, self.file = node.name, node.pos, file
		self.is_bitmap = node.kind == 'bitmap'
		self.base = base
		self.entries = []	# (name, value)
		self.strict = False
		self.public = False

	@property
	def size(self):
		return self.base.size

	@property
	def align(self):
		return self.base.align

	@property
	def ctype(self):
		return self.base.ctype

	@property
	def signed(self):
		return self.base.signed


class Member:
	"""One struct member, union arm or function parameter, resolved.

	kind (le/nl): scalar, array (fixed array of scalars), guid, struct,
	union, blob (u8/utf16 view), seq (array of scalars or structs), one
	(a struct placed by offset).  placement: inline or offset.
	"""

	def __init__(self, node, type, owner):
		self.node, self.name, self.pos = node, node.name, node.pos
		self.type = type
		self.owner = owner
		self.attrs = {a.name: a for a in node.attrs}
		self.ptr = None
		self.fixed_len = None
		self.kind = None
		self.placement = 'inline'
		self.fixed_size = None		# inline bytes when fixed
		self.offset = None		# constant offset in the struct, if any
		self.derived = None		# member whose value the encoder computes from
		self.derives = []		# members this one fills on encode
		# resolved expressions of the attributes (None when absent)
		self.value_e = self.size_e = self.length_e = self.count_e = None
		self.switch_e = self.offset_e = self.align_e = self.until_e = None
		self.range_e = self.charset = None
		self.var = False
		self.reserved = False
		self.remaining = False
		self.optional = False
		self.base_msg = False
		self.string = False
		self.direction = set()

	def __repr__(self):
		return 'Member(%s %s)' % (self.kind, self.name)

	@property
	def is_fixed(self):
		return self.fixed_size is not None

	@property
	def has_presence(self):
		"""Gets a <name>_present flag: optional, or a struct/union whose
		region can be empty (length 0)."""
		return self.optional or (self.placement == 'offset' and
					 self.kind in ('one', 'union') and
					 (self.length_e is not None or self.size_e is not None))


class StructType:
	kind = 'struct'

	def __init__(self, node, file):
		self.name, self.pos, self.file = node.name, node.pos, file
		self.node = node
		self.encoding = file.encoding
		self.attrs = {a.name: a for a in node.attrs}
		self.members = []
		self.public = 'public' in self.attrs
		self.packed = 'packed' in self.attrs
		self.chain = None		# member linking entries
		self.chain_align = 1
		self.elem_align = 1
		self.size_field = None
		self.fixed_size = 0		# bytes of the inline fixed members (le) / sizeof (nl)
		self.min_size = 0		# smallest wire size
		self.is_fixed = True		# no variable member at all
		self.align = 1
		self.flex = None		# nl: trailing flexible member
		self.has_pointers = False


class UnionType:
	kind = 'union'

	def __init__(self, node, file):
		self.name, self.pos, self.file = node.name, node.pos, file
		self.node = node
		self.encoding = file.encoding
		self.attrs = {a.name: a for a in node.attrs}
		self.public = 'public' in self.attrs
		self.base = None
		self.arms = []			# (values list or None for default, Member or None)
		self.has_default = False
		self.fixed_size = None
		self.align = 1
		self.min_size = 0


class Function:
	def __init__(self, node, iface):
		self.name, self.pos, self.node = node.name, node.pos, node
		self.iface = iface
		self.opnum = None
		self.ret = None
		self.ret_name = node.ret
		self.params = []


class Interface:
	kind = 'interface'

	def __init__(self, node, file):
		self.name, self.pos, self.file, self.node = node.name, node.pos, file, node
		self.uuid = None
		self.version = None
		self.pointer_default = 'unique'
		self.functions = []


class FileModel:
	def __init__(self, path, tree):
		self.path = path
		self.base = os.path.splitext(os.path.basename(path))[0]
		self.tree = tree
		self.encoding = tree.encoding
		self.imports = []		# FileModel
		self.consts = []
		self.enums = []
		self.structs = []
		self.unions = []
		self.interfaces = []
		self.order = []			# every declaration, in source order
		self.visible = set()		# names this file may use


# attribute -> (number of args or None for any, where it may appear)
_MEMBER_ATTRS = {
	'le': {'value': 1, 'reserved': 0, 'offset': 1, 'length': 1, 'base': 1,
	       'size_is': 1, 'count': 1, 'remaining': 0, 'align': 1,
	       'optional': 0, 'switch_is': 1, 'until': 2, 'range': 2},
	'ndr': {'ref': 0, 'unique': 0, 'ptr': 0, 'string': 0, 'size_is': 1,
		'length_is': 1, 'charset': 1, 'range': 2, 'switch_is': 1,
		'value': 1, 'in': 0, 'out': 0, 'reserved': 0},
}
_MEMBER_ATTRS['nl'] = _MEMBER_ATTRS['le']
_STRUCT_ATTRS = {
	'le': {'size': 1, 'chain': 1, 'chain_align': 1, 'elem_align': 1,
	       'size_field': 1, 'public': 0},
	'nl': {'size': 1, 'packed': 0, 'public': 0, 'size_field': 1},
	'ndr': {'public': 0, 'size': 1},
}
_UNION_ATTRS = {'le': {'public': 0}, 'ndr': {'public': 0, 'switch_type': 1, 'ms_union': 0}}
_UNION_ATTRS['nl'] = _UNION_ATTRS['le']
_ENUM_ATTRS = {'le': {'strict': 0, 'public': 0},
	       'ndr': {'strict': 0, 'public': 0, 'v1_enum': 0}}
_ENUM_ATTRS['nl'] = _ENUM_ATTRS['le']
_IFACE_ATTRS = {'uuid': 1, 'version': 1, 'pointer_default': 1, 'helpstring': 1,
		'ms_union': 0}
_FUNC_ATTRS = {'opnum': 1, 'public': 0}
_NDR_ONLY = {'ref', 'unique', 'ptr', 'string', 'length_is', 'charset',
	     'in', 'out', 'v1_enum', 'switch_type'}


def _check_attrs(attrs, table, what, encoding):
	seen = {}
	for a in attrs:
		if a.name not in table:
			if a.name in _NDR_ONLY and encoding != 'ndr':
				raise IdlError(a.pos, 'ndr-only-attr', name=a.name)
			raise IdlError(a.pos, 'unknown-attr', name=a.name, what=what)
		want = table[a.name]
		if want is not None and len(a.args) != want:
			raise IdlError(a.pos, 'attr-args', name=a.name,
				       want='no arguments' if want == 0 else
				       '%d argument%s' % (want, 's' if want > 1 else ''))
		if a.name in seen:
			raise IdlError(a.pos, 'attr-conflict', a=a.name, b=a.name)
		seen[a.name] = a


_CONFLICTS = [('value', 'reserved'), ('offset', 'size_is'), ('offset', 'remaining'),
	      ('size_is', 'remaining'), ('count', 'remaining'), ('until', 'count'),
	      ('until', 'size_is'), ('ref', 'unique'), ('ref', 'ptr'), ('unique', 'ptr')]


class Compiler:
	"""Loads files (with imports), checks them and builds the model."""

	def __init__(self, include_dirs=()):
		self.files = {}			# abspath -> FileModel
		self.names = {}			# global name -> declaration
		self.loading = []
		self.include_dirs = list(include_dirs)

	# -- loading --
	def load(self, path, pos=None):
		ap = os.path.abspath(path)
		if ap in self.files:
			return self.files[ap]
		if ap in self.loading:
			raise IdlError(pos, 'import-cycle', path=path)
		try:
			with open(path, encoding='utf-8') as fh:
				text = fh.read()
		except OSError as e:
			if pos is None:
				pos = Pos(path, 0, 0)
			raise IdlError(pos, 'bad-import', path=path, why=e.strerror)
		self.loading.append(ap)
		tree = parse(text, os.path.relpath(path))
		fm = FileModel(os.path.relpath(path), tree)
		for name, ipos in tree.imports:
			ipath = os.path.join(os.path.dirname(path), name)
			fm.imports.append(self.load(ipath, ipos))
		self.loading.pop()
		self.files[ap] = fm
		self.declare(fm)
		return fm

	def declare(self, fm):
		"""First pass: enter every name; resolve constants and enums."""
		fm.visible = set()
		for imp in fm.imports:
			fm.visible |= imp.visible
		self.cur = fm
		for item in fm.tree.items:
			if isinstance(item, ast.Interface):
				self.add_name(item.name, item, fm)
				for sub in item.items:
					if not isinstance(sub, ast.Function):
						self.declare_item(sub, fm)
			else:
				self.declare_item(item, fm)
		for item in fm.tree.items:
			if isinstance(item, ast.Interface):
				fm.interfaces.append(self.build_interface(item, fm))
		for s in fm.structs:
			self.build_struct(s)
		for u in fm.unions:
			self.build_union(u)
		for s in fm.structs:
			self.check_recursion(s, [])
		for s in fm.structs:
			self.layout_struct(s)
		for u in fm.unions:
			self.layout_union(u)
		for s in fm.structs:
			self.check_struct_size(s)
		for it in fm.interfaces:
			for fn in it.functions:
				self.build_function(fn)

	def add_name(self, name, node, fm):
		if name in self.names or name in BUILTINS:
			prev = self.names.get(name)
			where = prev.pos if prev is not None else 'built-in'
			raise IdlError(node.pos, 'duplicate-name', name=name, where=where)
		self.names[name] = node
		fm.visible.add(name)

	def declare_item(self, item, fm):
		if isinstance(item, ast.Const):
			self.add_name(item.name, item, fm)
			if item.attrs:
				raise IdlError(item.attrs[0].pos, 'unknown-attr',
					       name=item.attrs[0].name, what='a const')
			c = Const(item.name, self.const_eval(item.expr, fm), item.pos, fm)
			self.names[item.name] = c
			fm.consts.append(c)
			fm.order.append(c)
		elif isinstance(item, ast.Enum):
			self.add_name(item.name, item, fm)
			e = self.build_enum(item, fm)
			self.names[item.name] = e
			fm.enums.append(e)
			fm.order.append(e)
		elif isinstance(item, ast.Struct):
			self.add_name(item.name, item, fm)
			s = StructType(item, fm)
			self.names[item.name] = s
			fm.structs.append(s)
			fm.order.append(s)
		elif isinstance(item, ast.Union):
			self.add_name(item.name, item, fm)
			u = UnionType(item, fm)
			self.names[item.name] = u
			fm.unions.append(u)
			fm.order.append(u)
		else:
			raise IdlError(item.pos, 'expected', want='a declaration',
				       got='an interface inside an interface')

	def lookup_type(self, name, pos, fm):
		if name in BUILTINS:
			return BUILTINS[name]
		t = self.names.get(name)
		if t is None or name not in fm.visible or t.kind not in (
				'enum', 'struct', 'union', 'scalar'):
			raise IdlError(pos, 'unknown-type', name=name)
		return t

	# -- constants and enums --
	def const_eval(self, e, fm):
		if isinstance(e, ast.Num):
			return e.value
		if isinstance(e, ast.Name):
			d = self.names.get(e.name)
			if isinstance(d, Const) and e.name in fm.visible:
				return d.value
			if isinstance(d, Const):
				raise IdlError(e.pos, 'unknown-name', name=e.name)
			raise IdlError(e.pos, 'not-constant' if d is not None else 'unknown-name',
				       name=e.name)
		if isinstance(e, ast.UnOp):
			v = self.const_eval(e.operand, fm)
			return {'-': -v, '~': ~v, '!': int(not v)}[e.op]
		if isinstance(e, ast.BinOp):
			a = self.const_eval(e.left, fm)
			b = self.const_eval(e.right, fm)
			if e.op in ('/', '%') and b == 0:
				raise IdlError(e.pos, 'div-zero')
			return _binop(e.op, a, b)
		raise IdlError(e.pos, 'not-constant')

	def build_enum(self, node, fm):
		_check_attrs(node.attrs, _ENUM_ATTRS[fm.encoding], node.kind, fm.encoding)
		attrs = {a.name: a for a in node.attrs}
		if node.base is None:
			base = SCALARS['u32' if ('v1_enum' in attrs or fm.encoding != 'ndr')
				       else 'u16']
		else:
			base = BUILTINS.get(node.base)
			if not isinstance(base, Scalar) or base is NTTIME or base.big:
				raise IdlError(node.base_pos, 'bad-base-type', what=node.kind,
					       name=node.base)
		e = EnumType(node, base, fm)
		e.strict = 'strict' in attrs
		e.public = 'public' in attrs
		seen = {}
		bits = base.size * 8
		for ent in node.entries:
			v = self.const_eval(ent.expr, fm)
			lo = -(1 << (bits - 1)) if base.signed else 0
			hi = (1 << (bits - 1)) - 1 if base.signed else (1 << bits) - 1
			if not lo <= v <= hi:
				raise IdlError(ent.pos, 'value-too-wide', value=v, bits=bits)
			if v in seen and not e.is_bitmap:
				raise IdlError(ent.pos, 'duplicate-value', value=v, name=ent.name,
					       other=seen[v])
			seen.setdefault(v, ent.name)
			self.add_name(ent.name, ent, fm)
			c = Const(ent.name, v, ent.pos, fm)
			c.enum = e
			self.names[ent.name] = c
			e.entries.append((ent.name, v))
		return e

	# -- members --
	def make_member(self, node, owner, fm, scope, table, where):
		_check_attrs(node.attrs, table, where, fm.encoding)
		for a, b in _CONFLICTS:
			if a in {x.name for x in node.attrs} and b in {x.name for x in node.attrs}:
				at = [x for x in node.attrs if x.name == b][0]
				raise IdlError(at.pos, 'attr-conflict', a=a, b=b)
		t = self.lookup_type(node.type, node.type_pos, fm)
		if getattr(t, 'big', False) and fm.encoding == 'ndr':
			raise IdlError(node.type_pos, 'bad-elem', name=node.name,
				       why='big-endian integers are for le/nl files (NDR follows drep)')
		if isinstance(t, (StructType, UnionType)) and t.encoding != fm.encoding:
			if not (fm.encoding == 'ndr' and t.encoding == 'le'):
				raise IdlError(node.type_pos, 'cross-encoding', name=t.name,
					       enc=t.encoding)
		m = Member(node, t, owner)
		if node.stars:
			if fm.encoding != 'ndr':
				raise IdlError(node.pos, 'pointer-not-ndr')
			m.ptr = 'ref'
			for k in ('ref', 'unique', 'ptr'):
				if k in m.attrs:
					m.ptr = k
		if node.array is not None and node.array != ast.VAR_ARRAY:
			n = self.const_eval(node.array, fm)
			if not 0 < n < 65536:
				raise IdlError(node.pos, 'array-size', name=node.name)
			m.fixed_len = n
		m.var = node.array == ast.VAR_ARRAY
		a = m.attrs
		m.reserved = 'reserved' in a
		m.remaining = 'remaining' in a
		m.optional = 'optional' in a
		m.string = 'string' in a
		m.direction = {d for d in ('in', 'out') if d in a}
		if 'base' in a:
			arg = a['base'].args[0]
			if not isinstance(arg, ast.Name) or arg.name not in ('msg', 'struct'):
				raise IdlError(a['base'].pos, 'attr-args', name='base',
					       want="'msg' or 'struct'")
			if 'offset' not in a:
				raise IdlError(a['base'].pos, 'attr-not-here', name='base',
					       where='without offset()')
			m.base_msg = arg.name == 'msg'
		for key, attr in (('value_e', 'value'), ('size_e', 'size_is'),
				  ('length_e', 'length_is'), ('count_e', 'count'),
				  ('switch_e', 'switch_is'), ('offset_e', 'offset'),
				  ('length_e', 'length'), ('align_e', 'align')):
			if attr in a:
				setattr(m, key, self.resolve(a[attr].args[0], scope, fm))
		if 'until' in a:
			f, v = a['until'].args
			if not isinstance(f, ast.Name):
				raise IdlError(a['until'].pos, 'attr-args', name='until',
					       want='a member name and a value')
			m.until_e = (f.name, self.const_eval(v, fm))
		if 'range' in a:
			m.range_e = tuple(self.const_eval(x, fm) for x in a['range'].args)
		if 'charset' in a:
			arg = a['charset'].args[0]
			if not isinstance(arg, ast.Name) or arg.name not in ('UTF16', 'UTF8', 'DOS'):
				raise IdlError(a['charset'].pos, 'attr-args', name='charset',
					       want='UTF16, UTF8 or DOS')
			m.charset = arg.name
		if m.align_e is not None:
			m.align = self.const_eval(a['align'].args[0], fm)
		else:
			m.align = None
		if 'offset' in a and not ('length' in a or m.optional or 'size_is' in a or
					  'count' in a):
			if not isinstance(t, StructType):
				raise IdlError(a['offset'].pos, 'attr-args', name='offset',
					       want='a length() beside it')
		if 'length' in a and 'offset' not in a:
			raise IdlError(a['length'].pos, 'attr-not-here', name='length',
				       where='without offset()')
		if m.optional and 'offset' not in a:
			raise IdlError(a['optional'].pos, 'attr-not-here', name='optional',
				       where='without offset()')
		if m.switch_e is not None and not isinstance(t, UnionType):
			raise IdlError(a['switch_is'].pos, 'switch-not-union', name=m.name)
		if isinstance(t, UnionType) and m.switch_e is None and m.ptr is None:
			raise IdlError(node.pos, 'union-needs-switch', name=m.name)
		return m

	def resolve(self, e, scope, fm):
		"""Check the names of an expression; members must come earlier."""
		if isinstance(e, ast.Name):
			if e.name in scope:
				e.member = scope[e.name]
				return e
			if e.name in getattr(self, 'later', ()):
				raise IdlError(e.pos, 'forward-ref', name=e.name)
			d = self.names.get(e.name)
			if isinstance(d, Const) and e.name in fm.visible:
				e.member = None
				e.const = d.value
				return e
			raise IdlError(e.pos, 'unknown-name', name=e.name)
		if isinstance(e, ast.Num):
			return e
		if isinstance(e, ast.UnOp):
			self.resolve(e.operand, scope, fm)
			return e
		if isinstance(e, ast.BinOp):
			self.resolve(e.left, scope, fm)
			self.resolve(e.right, scope, fm)
			return e
		if isinstance(e, ast.Call):
			if e.func != 'utf16_len' or len(e.args) != 1 or \
					not isinstance(e.args[0], ast.Name):
				raise IdlError(e.pos, 'bad-call', name=e.func)
			return e
		raise IdlError(e.pos, 'not-constant')

	def build_struct(self, s):
		fm = s.file
		_check_attrs(s.node.attrs, _STRUCT_ATTRS[fm.encoding], 'a struct', fm.encoding)
		scope = {}
		names = {}
		self.later = {mn.name for mn in s.node.members}
		for mn in s.node.members:
			if mn.name in names:
				raise IdlError(mn.pos, 'duplicate-name', name=mn.name,
					       where=names[mn.name].pos)
			# members may refer to later members in offset/length only via
			# earlier ones; the scope grows as we go.
			m = self.make_member(mn, s, fm, dict(scope), _MEMBER_ATTRS[fm.encoding],
					     'a member')
			names[mn.name] = m
			scope[mn.name] = m
			s.members.append(m)
		self.later = ()
		if fm.encoding in ('le', 'nl'):
			for m in s.members:
				self.classify(m)
		for key in ('chain', 'size_field'):
			if key in s.attrs:
				arg = s.attrs[key].args[0]
				m = names.get(arg.name) if isinstance(arg, ast.Name) else None
				if m is None or m.kind != 'scalar':
					raise IdlError(s.attrs[key].pos,
						       'chain-field' if key == 'chain' else 'size-field',
						       name=getattr(arg, 'name', '?'))
				setattr(s, key, m)
		for key in ('chain_align', 'elem_align'):
			if key in s.attrs:
				setattr(s, key, self.const_eval(s.attrs[key].args[0], fm))

	def classify(self, m):
		"""Decide a le/nl member's kind and placement."""
		t = m.type
		a = m.attrs
		if m.fixed_len is not None:
			if not isinstance(t, (Scalar, EnumType)):
				raise IdlError(m.pos, 'bad-elem', name=m.name,
					       why='fixed arrays hold integers only')
			m.kind = 'array'
			m.fixed_size = t.size * m.fixed_len
		elif m.var:
			if isinstance(t, Builtin) and t is UTF16 or (
					isinstance(t, Scalar) and t.size == 1 and 'count' not in a):
				m.kind = 'blob'
			elif getattr(t, 'big', False):
				raise IdlError(m.pos, 'bad-elem', name=m.name,
					       why='big-endian integers cannot be sequence elements')
			elif isinstance(t, (Scalar, EnumType, StructType)):
				m.kind = 'seq'
			else:
				raise IdlError(m.pos, 'bad-elem', name=m.name,
					       why='a variable array holds integers, utf16 or structs')
			has = [k for k in ('offset', 'size_is', 'count', 'remaining', 'until')
			       if k in a]
			if not has:
				raise IdlError(m.pos, 'var-needs-length', name=m.name)
			if m.kind == 'seq' and isinstance(t, (Scalar, EnumType)) and \
					'count' not in a and 'remaining' not in a and \
					'size_is' not in a and 'length' not in a:
				raise IdlError(m.pos, 'var-needs-length', name=m.name)
		elif t is UTF16:
			raise IdlError(m.pos, 'bad-elem', name=m.name,
				       why='utf16 is only an element type of a variable array')
		elif isinstance(t, (Scalar, EnumType)):
			m.kind = 'scalar'
			m.fixed_size = t.size
		elif t is GUID:
			m.kind = 'guid'
			m.fixed_size = 16
		elif isinstance(t, StructType):
			m.kind = 'one' if 'offset' in a else 'struct'
		elif isinstance(t, UnionType):
			m.kind = 'union'
		if 'offset' in a:
			m.placement = 'offset'
			m.fixed_size = None
		if m.kind in ('scalar', 'array') and (m.offset_e or m.size_e or m.count_e
						      or m.remaining):
			at = next(a[k] for k in ('offset', 'size_is', 'count', 'remaining')
				  if k in a)
			raise IdlError(at.pos, 'attr-not-here', name=at.name,
				       where='on a fixed member')
		if m.value_e is not None and m.kind != 'scalar':
			raise IdlError(a['value'].pos, 'attr-not-here', name='value',
				       where='on a non-integer member')
		if m.until_e is not None:
			if not (m.kind == 'seq' and isinstance(t, StructType)):
				raise IdlError(a['until'].pos, 'attr-not-here', name='until',
					       where='except on an array of structs')
			f = {x.name: x for x in t.members}.get(m.until_e[0])
			if f is None or f.kind != 'scalar':
				raise IdlError(a['until'].pos, 'ref-not-scalar', attr='until',
					       name=m.until_e[0])
			m.until_field = f
		# fields that the encoder fills from this member
		for attr, e in (('offset', m.offset_e), ('length', m.length_e),
				('size_is', m.size_e), ('count', m.count_e)):
			if e is None:
				continue
			refs = _member_refs(e)
			for r in refs:
				if r.kind != 'scalar':
					raise IdlError(e.pos, 'ref-not-scalar', attr=attr, name=r.name)
			lin = linear(e)
			if lin is not None:
				src, mul, add = lin
				if src.derived is None:
					src.derived = (attr, m)
					m.derives.append((attr, src, mul, add))

	def check_recursion(self, s, stack):
		if s in stack:
			raise IdlError(s.pos, 'recursive-type', name=s.name)
		for m in s.members:
			if m.ptr:
				continue
			t = m.type
			if isinstance(t, StructType):
				self.check_recursion(t, stack + [s])
			elif isinstance(t, UnionType):
				for _, am in self._union_arm_nodes(t):
					at = self.names.get(am.type) if am is not None else None
					if isinstance(at, StructType) and not am.stars:
						self.check_recursion(at, stack + [s])

	@staticmethod
	def _union_arm_nodes(u):
		return [(arm.labels, arm.member) for arm in u.node.arms]

	def layout_struct(self, s):
		"""Offsets of the inline fixed prefix; sizes; nl natural alignment."""
		if getattr(s, '_laid', False):
			return
		s._laid = True
		if s.encoding == 'ndr':
			s.align = 1
			for m in s.members:
				if m.ptr:
					s.has_pointers = True
			return
		natural = s.encoding == 'nl' and not s.packed
		off = 0
		fixed_prefix = True
		s.align = 1
		for m in s.members:
			t = m.type
			if m.kind in ('struct', 'one') and isinstance(t, StructType):
				self.layout_struct(t)
				if m.kind == 'struct' and t.is_fixed:
					m.fixed_size = t.fixed_size
			if m.kind == 'union':
				self.layout_union(t)
				if t.fixed_size is not None and m.size_e is None:
					m.fixed_size = t.fixed_size
			if m.placement == 'offset':
				s.is_fixed = False
				continue
			al = 1
			if natural:
				al = _natural_align(m)
			if m.align:
				al = max(al, m.align)
			if al > 1:
				off = (off + al - 1) // al * al
				s.align = max(s.align, al)
			if m.is_fixed and fixed_prefix:
				m.offset = off
				off += m.fixed_size
			elif m.is_fixed:
				off += m.fixed_size
			else:
				if fixed_prefix:
					m.offset = off
				fixed_prefix = False
				s.is_fixed = False
				if natural and m is not s.members[-1]:
					raise IdlError(m.pos, 'bad-elem', name=m.name,
						       why='in nl a variable member must be last')
				if natural:
					s.flex = m
		if natural and s.align > 1:
			s.fixed_size = (off + s.align - 1) // s.align * s.align
		else:
			s.fixed_size = off
		s.min_size = s.fixed_size
		for key in ('chain', 'size_field'):
			f = getattr(s, key)
			if f is not None and (f.offset is None or not f.is_fixed):
				raise IdlError(f.pos, 'chain-field' if key == 'chain' else 'size-field',
					       name=f.name)
		inline = [m for m in s.members if m.placement == 'inline']
		for m in inline[:-1]:
			if m.remaining:
				raise IdlError(m.pos, 'remaining-not-last', name=m.name)

	def check_struct_size(self, s):
		if 'size' in s.attrs:
			want = self.const_eval(s.attrs['size'].args[0], s.file)
			if s.encoding != 'ndr' and want != s.fixed_size:
				raise IdlError(s.attrs['size'].pos, 'size-mismatch', name=s.name,
					       got=s.fixed_size, want=want)

	def build_union(self, u):
		fm = u.file
		_check_attrs(u.node.attrs, _UNION_ATTRS[fm.encoding], 'a union', fm.encoding)
		base = u.node.base
		bpos = u.node.base_pos
		if 'switch_type' in u.attrs:
			arg = u.attrs['switch_type'].args[0]
			base, bpos = getattr(arg, 'name', None), u.attrs['switch_type'].pos
		if base is None:
			u.base = SCALARS['u32']
		else:
			t = BUILTINS.get(base) or self.names.get(base)
			if isinstance(t, EnumType):
				t = t.base
			if not isinstance(t, Scalar) or t is NTTIME:
				raise IdlError(bpos, 'bad-base-type', what='a union', name=base)
			u.base = t
		if not u.node.arms:
			raise IdlError(u.pos, 'union-no-arms', name=u.name)
		seen = {}
		names = {}
		for arm in u.node.arms:
			values = []
			for lab in arm.labels:
				if lab == ast.DEFAULT:
					if u.has_default:
						raise IdlError(u.pos, 'duplicate-case', value=-1, name=u.name)
					u.has_default = True
					values.append(None)
					continue
				v = self.const_eval(lab, fm)
				if v in seen:
					raise IdlError(lab.pos, 'duplicate-case', value=v, name=u.name)
				seen[v] = True
				values.append(v)
			m = None
			if arm.member is not None:
				if arm.member.name in names:
					raise IdlError(arm.member.pos, 'duplicate-name',
						       name=arm.member.name,
						       where=names[arm.member.name].pos)
				m = self.make_member(arm.member, u, fm, {},
						     _MEMBER_ATTRS[fm.encoding], 'a union arm')
				names[m.name] = m
				if fm.encoding in ('le', 'nl'):
					if m.var and not m.attrs.keys() & {'remaining', 'count', 'size_is'}:
						m.remaining = True
					self.classify_arm(m)
			u.arms.append((values, m))

	def classify_arm(self, m):
		if m.var and m.remaining and 'remaining' not in m.attrs:
			m.attrs = dict(m.attrs, remaining=ast.Attr('remaining', [], m.pos))
		self.classify(m)

	def layout_union(self, u):
		if getattr(u, '_laid', False) or u.encoding == 'ndr':
			return
		u._laid = True
		sizes = set()
		u.align = 1
		for _, m in u.arms:
			if m is None:
				sizes.add(0)
				continue
			if isinstance(m.type, StructType):
				self.layout_struct(m.type)
				if m.kind == 'struct' and m.type.is_fixed:
					m.fixed_size = m.type.fixed_size
				u.align = max(u.align, m.type.align)
			elif m.fixed_size is not None:
				u.align = max(u.align, _natural_align(m))
			sizes.add(m.fixed_size)
		if len(sizes) == 1 and None not in sizes and not u.has_default:
			u.fixed_size = sizes.pop()

	# -- interfaces --
	def build_interface(self, node, fm):
		_check_attrs(node.attrs, _IFACE_ATTRS, 'an interface', fm.encoding)
		it = Interface(node, fm)
		attrs = {a.name: a for a in node.attrs}
		for need in ('uuid', 'version'):
			if need not in attrs:
				raise IdlError(node.pos, 'interface-attr', name=node.name, attr=need)
		u = attrs['uuid'].args[0]
		import re
		if not isinstance(u, ast.Str) or not re.fullmatch(
				r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
				r'[0-9a-fA-F]{12}', u.value):
			raise IdlError(attrs['uuid'].pos, 'bad-uuid',
				       text=getattr(u, 'value', '?'))
		it.uuid = u.value.lower()
		v = attrs['version'].args[0]
		if isinstance(v, ast.Num):
			it.version = (v.value, 0)
		elif isinstance(v, ast.Str) and re.fullmatch(r'[0-9]+\.[0-9]+', v.value):
			it.version = tuple(int(x) for x in v.value.split('.'))
		else:
			raise IdlError(attrs['version'].pos, 'attr-args', name='version',
				       want='major.minor')
		if 'pointer_default' in attrs:
			it.pointer_default = getattr(attrs['pointer_default'].args[0], 'name', 'unique')
		opnums = {}
		for sub in node.items:
			if not isinstance(sub, ast.Function):
				continue
			fn = Function(sub, it)
			self.add_name(sub.name, sub, fm)
			_check_attrs(sub.attrs, _FUNC_ATTRS, 'a function', fm.encoding)
			fa = {a.name: a for a in sub.attrs}
			if 'opnum' not in fa:
				raise IdlError(sub.pos, 'opnum-missing', name=sub.name)
			fn.opnum = self.const_eval(fa['opnum'].args[0], fm)
			if fn.opnum in opnums:
				raise IdlError(fa['opnum'].pos, 'opnum-duplicate', value=fn.opnum,
					       name=sub.name, other=opnums[fn.opnum])
			opnums[fn.opnum] = sub.name
			if sub.ret not in RETURN_TYPES:
				raise IdlError(sub.ret_pos, 'bad-return', name=sub.ret)
			fn.ret = RETURN_TYPES[sub.ret]
			it.functions.append(fn)
		return it

	def build_function(self, fn):
		fm = fn.iface.file
		scope = {}
		self.later = {pn.name for pn in fn.node.params}
		for pn in fn.node.params:
			if pn.name in scope:
				raise IdlError(pn.pos, 'duplicate-name', name=pn.name,
					       where=scope[pn.name].pos)
			m = self.make_member(pn, fn, fm, dict(scope), _MEMBER_ATTRS['ndr'],
					     'a parameter')
			if not m.direction:
				raise IdlError(pn.pos, 'param-direction', name=pn.name)
			if 'out' in m.direction and not m.ptr:
				raise IdlError(pn.pos, 'out-not-pointer', name=pn.name)
			scope[pn.name] = m
			fn.params.append(m)
		self.later = ()

	def finish(self):
		"""Files in load order (imports first); marks sequence element types."""
		files = list(self.files.values())
		for fm in files:
			for s in fm.structs:
				s.as_seq = getattr(s, 'as_seq', False)
		for fm in files:
			for t in fm.structs + fm.unions:
				ms = t.members if isinstance(t, StructType) else \
					[m for _, m in t.arms if m is not None]
				for m in ms:
					if m.kind == 'seq' and isinstance(m.type, StructType):
						m.type.as_seq = True
		return files


def _member_refs(e):
	out = []
	if isinstance(e, ast.Name) and getattr(e, 'member', None) is not None:
		out.append(e.member)
	elif isinstance(e, ast.BinOp):
		out += _member_refs(e.left) + _member_refs(e.right)
	elif isinstance(e, ast.UnOp):
		out += _member_refs(e.operand)
	return out


def member_refs(e):
	return _member_refs(e)


def linear(e):
	"""(member, mul, add) when e is mul * member + add with constant mul > 0
	and add, so that an encoder can solve for the member; else None."""
	if isinstance(e, ast.Name) and getattr(e, 'member', None) is not None:
		return e.member, 1, 0
	if not isinstance(e, ast.BinOp):
		return None
	lc, rc = _const_of(e.left), _const_of(e.right)
	if e.op in ('+', '-') and rc is not None:
		inner = linear(e.left)
		if inner:
			m, mul, add = inner
			return m, mul, add + (rc if e.op == '+' else -rc)
	if e.op == '+' and lc is not None:
		inner = linear(e.right)
		if inner:
			m, mul, add = inner
			return m, mul, add + lc
	if e.op == '*' and (rc or lc):
		inner = linear(e.left if rc else e.right)
		k = rc or lc
		if inner and k > 0:
			m, mul, add = inner
			return m, mul * k, add * k
	return None


def _const_of(e):
	if isinstance(e, ast.Num):
		return e.value
	if isinstance(e, ast.Name) and getattr(e, 'member', None) is None and \
			hasattr(e, 'const'):
		return e.const
	return None


def _natural_align(m):
	t = m.type
	if isinstance(t, StructType):
		return t.align
	if isinstance(t, UnionType):
		return t.align
	return getattr(t, 'align', 1)


def _binop(op, a, b):
	return {
		'+': lambda: a + b, '-': lambda: a - b, '*': lambda: a * b,
		'/': lambda: a // b, '%': lambda: a % b, '&': lambda: a & b,
		'|': lambda: a | b, '^': lambda: a ^ b, '<<': lambda: a << b,
		'>>': lambda: a >> b, '==': lambda: int(a == b), '!=': lambda: int(a != b),
		'<': lambda: int(a < b), '>': lambda: int(a > b),
		'<=': lambda: int(a <= b), '>=': lambda: int(a >= b),
		'&&': lambda: int(bool(a) and bool(b)), '||': lambda: int(bool(a) or bool(b)),
	}[op]()


def compile_files(paths):
	c = Compiler()
	for p in paths:
		c.load(p)
	return c, c.finish()
