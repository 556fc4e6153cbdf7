# SPDX-License-Identifier: GPL-2.0-or-later
"""NDR20 back-end: C types, decoders, encoders, printers, interface tables
and fuzz harnesses for `encoding ndr` files.

Every struct T gets T_dec_s/T_enc_s (its scalars: the bytes in place,
referent ids of embedded pointers) and, when it holds pointers anywhere,
T_dec_b/T_enc_b (the deferred referents, NDR's buffers pass), plus
T_dec/T_enc (both) and T_print. Unions take the level as an argument.
Every function F gets struct F_in / struct F_out and the six entry points
the RPC server and its tests use. Alignment counts from the stub start.
"""

import os

from . import ast
from .errors import IdlError
from .model import Scalar, EnumType, StructType, UnionType, GUID, NTTIME
from .emit import Code, header_comment, order_types, _hex

# -- classification --


def is_le(t):
	return isinstance(t, StructType) and t.encoding != 'ndr'


def kind(m, top=False):
	"""What a member is on the wire.

	scalar, guid, fixed (fixed array), struct, le (struct of an le file),
	union, cstr (inline NUL-terminated 8-bit string), conf (inline
	conformant array, last member), ptr (pointer to one T), str ([string]
	pointer), cs (charset(UTF16) counted string), parr (pointer to an
	array). With top (a top-level [ref] parameter, no wire form):
	tstr, tarr, or the pointee's own kind.
	"""
	t = m.type
	if m.ptr:
		if m.string:
			k = 'str'
		elif m.charset:
			k = 'cs'
		elif m.size_e is not None or m.length_e is not None:
			k = 'parr'
		else:
			k = 'ptr'
		if top and m.ptr == 'ref':
			if k == 'ptr':
				return value_kind(m, t)
			return {'str': 'tstr', 'parr': 'tarr', 'cs': 'tcs'}[k]
		return k
	if m.var:
		if m.string:
			if not (isinstance(t, Scalar) and t.size == 1):
				raise IdlError(m.pos, 'bad-elem', name=m.name,
					       why='an inline [string] must be u8')
			return 'cstr'
		if m.size_e is None:
			raise IdlError(m.pos, 'var-needs-length', name=m.name)
		return 'conf'
	if m.fixed_len is not None:
		if not isinstance(t, (Scalar, EnumType)):
			raise IdlError(m.pos, 'bad-elem', name=m.name,
				       why='fixed arrays hold integers only')
		return 'fixed'
	return value_kind(m, t)


def value_kind(m, t):
	if isinstance(t, (Scalar, EnumType)):
		return 'scalar'
	if t is GUID:
		return 'guid'
	if isinstance(t, StructType):
		return 'le' if is_le(t) else 'struct'
	if isinstance(t, UnionType):
		if m.switch_e is None:
			raise IdlError(m.pos, 'union-needs-switch', name=m.name)
		return 'union'
	raise IdlError(m.pos, 'bad-elem', name=m.name, why='type not supported in ndr')


def type_align(t):
	if isinstance(t, (Scalar, EnumType)):
		return t.size
	if t is GUID or is_le(t):
		return 4
	if isinstance(t, StructType):
		if getattr(t, '_nalign', None) is None:
			t._nalign = 1
			t._nalign = max([member_align(m) for m in t.members] + [1])
		return t._nalign
	if isinstance(t, UnionType):
		if getattr(t, '_nalign', None) is None:
			t._nalign = t.base.size
			t._nalign = max([member_align(m) for _, m in t.arms if m] + [t.base.size])
		return t._nalign
	return 1


def member_align(m):
	k = kind(m)
	if k in ('ptr', 'str', 'cs', 'parr'):
		return 4
	if k == 'cstr':
		return 1
	if k == 'conf':
		return max(4, type_align(m.type))
	return type_align(m.type)


def type_min(t):
	"""Smallest wire size of a value of t (alignment padding ignored)."""
	if isinstance(t, (Scalar, EnumType)):
		return t.size
	if t is GUID:
		return 16
	if is_le(t):
		return max(1, t.fixed_size or 1)
	if isinstance(t, StructType):
		if getattr(t, '_nmin', None) is None:
			t._nmin = 0
			t._nmin = sum(member_min(m) for m in t.members)
		return t._nmin
	if isinstance(t, UnionType):
		arms = [member_min(m) if m else 0 for _, m in t.arms]
		return t.base.size + (min(arms) if arms else 0)
	return 1


def member_min(m):
	k = kind(m)
	if k in ('ptr', 'str', 'cs', 'parr'):
		return 4
	if k == 'cstr':
		return 1
	if k == 'conf':
		return 4
	if k == 'fixed':
		return m.type.size * m.fixed_len
	return type_min(m.type)


def members(t):
	if isinstance(t, StructType):
		return t.members
	return [m for _, m in t.arms if m is not None]


def deferred(t, seen=None):
	"""Does a value of t have a buffers pass (pointers anywhere by value)?"""
	if not isinstance(t, (StructType, UnionType)) or is_le(t):
		return False
	if getattr(t, '_ndefer', None) is not None:
		return t._ndefer
	for m in members(t):
		k = kind(m)
		if k in ('ptr', 'str', 'cs', 'parr'):
			t._ndefer = True
			return True
		if k in ('struct', 'union', 'conf') and deferred(m.type):
			t._ndefer = True
			return True
	t._ndefer = False
	return False


def conformant(s):
	"""The inline conformant array member of struct s, if any."""
	for m in s.members:
		if kind(m) == 'conf':
			if m is not s.members[-1]:
				raise IdlError(m.pos, 'bad-elem', name=m.name,
					       why='a conformant array must be the last member')
			return m
	return None


# -- C types --

def elem_ctype(t):
	if isinstance(t, (Scalar, EnumType)):
		return t.ctype
	if t is GUID:
		return 'struct wire_guid'
	if isinstance(t, StructType):
		return 'struct %s' % t.name
	if isinstance(t, UnionType):
		return 'union %s' % t.name
	raise ValueError(t)


def cdecl(m, top=False):
	k = kind(m, top)
	t = m.type
	if k in ('str', 'cs', 'cstr', 'tstr', 'tcs'):
		return 'const char *%s;' % m.name
	if k == 'fixed':
		return '%s %s[%d];' % (t.ctype, m.name, m.fixed_len)
	if k in ('ptr', 'parr', 'conf', 'tarr'):
		return '%s *%s;' % (elem_ctype(t), m.name)
	return '%s %s;' % (elem_ctype(t), m.name)


# -- expressions --

def cexpr(e, res):
	"""C text of an expression in 64 bits; res(member) gives its C value."""
	if isinstance(e, ast.Num):
		return '%dULL' % e.value if e.value >= 0 else '(u64)%d' % e.value
	if isinstance(e, ast.Name):
		m = getattr(e, 'member', None)
		if m is not None:
			return '(u64)%s' % res(m)
		return '(u64)%s' % e.name
	if isinstance(e, ast.UnOp):
		return '(%s%s)' % (e.op, cexpr(e.operand, res))
	if isinstance(e, ast.BinOp):
		a, b = cexpr(e.left, res), cexpr(e.right, res)
		if e.op in ('/', '%'):
			return '(%s ? %s %s %s : 0)' % (b, a, e.op, b)
		return '(%s %s %s)' % (a, e.op, b)
	if isinstance(e, ast.Call):
		return '(u64)wire_utf8_utf16_len(%s)' % res_name(res, e.args[0].name)
	raise ValueError(e)


def res_name(res, name):
	return res(name)


def struct_res(owner, v='v->'):
	by_name = {m.name: m for m in members(owner)} if owner is not None else {}

	def res(m):
		if isinstance(m, str):
			m = by_name[m]
		return '%s%s' % (v, m.name)
	return res


def le_offsets(t):
	"""Byte offsets of the u32 offset fields of an le struct (rebased)."""
	out = []
	for m in t.members:
		if m.placement == 'offset' and isinstance(m.offset_e, ast.Name) and \
				m.offset_e.member is not None:
			f = m.offset_e.member
			if f.offset is not None and f.type.size == 4:
				out.append(f.offset)
	return out


# -- code generation --

def chk(c, call):
	c('rc = %s;' % call)
	c('if (rc)\n\treturn rc;')


class Gen:
	"""Emits the statements for members; locals records the C locals used."""

	def __init__(self, res):
		self.res = res
		self.c = Code()
		self.locals = set()

	def ex(self, e):
		return cexpr(e, self.res)

	def level(self, m):
		return self.ex(m.switch_e)

	# ---- decode ----
	def dec_scalar(self, t, lv, m=None):
		c = self.c
		w = t.size
		cast = '' if t.ctype == 'u%d' % (8 * w) else '(u%d *)' % (8 * w)
		chk(c, 'wire_ndr_u%d(d, %s&%s)' % (8 * w, cast, lv))
		if m is not None and m.range_e is not None:
			lo, hi = m.range_e
			if t.signed:
				c('if ((s64)%s < %d || (s64)%s > %d)\n\treturn -WIRE_ERANGE;' % (
					lv, lo, lv, hi))
			else:
				cond = '(u64)%s > %dULL' % (lv, hi)
				if lo > 0:
					cond = '(u64)%s < %dULL || %s' % (lv, lo, cond)
				c('if (%s)\n\treturn -WIRE_ERANGE;' % cond)

	def dec_value(self, m, k, lv):
		"""A member in place (scalars pass)."""
		c = self.c
		t = m.type
		if k == 'scalar':
			self.dec_scalar(t, lv, m)
		elif k == 'guid':
			chk(c, 'wire_ndr_guid(d, &%s)' % lv)
		elif k == 'fixed':
			if t.size == 1:
				chk(c, 'wire_ndr_bytes(d, %s, %d)' % (lv, m.fixed_len))
			else:
				self.locals.add('i')
				c('for (i = 0; i < %d; i++) {' % m.fixed_len)
				self.c = Code(self.c.depth + 1)
				self.dec_scalar(t, '%s[i]' % lv)
				c(self.c.text(), 0)
				self.c = c
				c('}')
		elif k == 'struct':
			chk(c, '%s_dec_s(d, &%s)' % (t.name, lv))
		elif k == 'union':
			chk(c, '%s_dec_s(d, %s, &%s)' % (t.name, self.level(m), lv))
		elif k == 'le':
			self.dec_le(t, '&' + lv)
		elif k in ('ptr', 'str', 'cs', 'parr'):
			self.locals.add('present')
			chk(c, 'wire_ndr_ptr(d, %d, &present)' % (m.ptr == 'ref'))
			c('%s = present ? WIRE_NDR_PRESENT : NULL;' % lv)
		elif k == 'cstr':
			chk(c, 'wire_ndr_cstr(d, &%s)' % lv)
		elif k == 'conf':
			self.locals.add('conf')
			cnt = self.ex(m.size_e)
			c('if ((u64)conf != %s)\n\treturn -WIRE_EBOUNDS;' % cnt)
			self.dec_elems(m, lv, 'conf', both=False)
		elif k in ('tstr', 'tarr', 'tcs'):
			self.dec_pointee(m, {'tstr': 'str', 'tarr': 'parr', 'tcs': 'cs'}[k], lv)
		else:
			raise ValueError(k)

	def dec_le(self, t, ptr):
		c = self.c
		offs = le_offsets(t)
		self.locals.add('sub')
		chk(c, 'wire_ndr_align(d, 4)')
		if offs:
			c('{')
			c('\tstatic const u32 offs[] = { %s };' % ', '.join(str(o) for o in offs))
			c('')
			c('\trc = wire_ndr_le_rebase(d, offs, %d, &sub);' % len(offs))
			c('}')
			c('if (rc)\n\treturn rc;')
		else:
			chk(c, 'wire_ndr_le_rebase(d, NULL, 0, &sub)')
		chk(c, '%s_dec(&sub, %s)' % (t.name, ptr))
		c('d->pos += sub.pos;')

	def dec_buffers(self, m, k, lv):
		"""A member's deferred part (buffers pass)."""
		c = self.c
		t = m.type
		if k == 'struct' and deferred(t):
			chk(c, '%s_dec_b(d, &%s)' % (t.name, lv))
		elif k == 'union' and deferred(t):
			chk(c, '%s_dec_b(d, %s, &%s)' % (t.name, self.level(m), lv))
		elif k == 'conf' and deferred(t):
			raise IdlError(m.pos, 'bad-elem', name=m.name,
				       why='inline conformant arrays of pointers are not supported')
		elif k in ('ptr', 'str', 'cs', 'parr'):
			c('if (%s) {' % lv)
			saved = self.c
			self.c = Code(self.c.depth + 1)
			self.dec_pointee(m, k, lv)
			saved(self.c.text(), 0)
			self.c = saved
			c('}')

	def dec_pointee(self, m, k, lv):
		c = self.c
		t = m.type
		if k == 'str':
			chk(c, 'wire_ndr_string(d, %d, &%s)' % (t.size, lv))
		elif k == 'cs':
			if m.charset != 'UTF16' or t.size != 2:
				raise IdlError(m.pos, 'bad-elem', name=m.name,
					       why='only charset(UTF16) on u16 is supported')
			self.dec_header(m)
			chk(c, 'wire_ndr_utf16(d, len, &%s)' % lv)
		elif k == 'parr':
			self.dec_header(m)
			self.dec_elems(m, lv, 'len', both=True)
		elif k == 'ptr':
			c('%s = wire_ndr_alloc(d, sizeof(*%s));' % (lv, lv))
			c('if (!%s)\n\treturn -WIRE_ENOMEM;' % lv)
			vk = value_kind(m, t)
			if vk == 'struct':
				chk(c, '%s_dec(d, %s)' % (t.name, lv))
			elif vk == 'union':
				chk(c, '%s_dec(d, %s, %s)' % (t.name, self.level(m), lv))
			elif vk == 'le':
				self.dec_le(t, lv)
			else:
				self.dec_value(m, vk, '(*%s)' % lv)
		else:
			raise ValueError(k)

	def dec_header(self, m):
		"""Conformance and variance of an array: sets len (elements)."""
		c = self.c
		self.locals.update(('max', 'len'))
		chk(c, 'wire_ndr_conf(d, &max)')
		if m.size_e is not None:
			c('if ((u64)max != %s)\n\treturn -WIRE_EBOUNDS;' % self.ex(m.size_e))
		if m.length_e is not None:
			chk(c, 'wire_ndr_var(d, max, &len)')
			c('if ((u64)len != %s)\n\treturn -WIRE_EBOUNDS;' % self.ex(m.length_e))
		else:
			c('len = max;')

	def dec_elems(self, m, lv, count, both):
		c = self.c
		t = m.type
		self.locals.add('tmp')
		c('rc = wire_ndr_array(d, %s, %d, sizeof(*%s), &tmp);' % (count, type_min(t), lv))
		c('if (rc)\n\treturn rc;')
		c('%s = tmp;' % lv)
		if isinstance(t, (Scalar, EnumType)) and t.size == 1:
			chk(c, 'wire_ndr_bytes(d, %s, %s)' % (lv, count))
			return
		self.locals.add('i')
		if isinstance(t, (Scalar, EnumType)):
			c('for (i = 0; i < %s; i++) {' % count)
			saved = self.c
			self.c = Code(self.c.depth + 1)
			self.dec_scalar(t, '%s[i]' % lv)
			saved(self.c.text(), 0)
			self.c = saved
			c('}')
			return
		if isinstance(t, UnionType):
			raise IdlError(m.pos, 'bad-elem', name=m.name, why='arrays of unions')
		if t is GUID:
			c('for (i = 0; i < %s; i++) {' % count)
			c('\trc = wire_ndr_guid(d, &%s[i]);\n\tif (rc)\n\t\treturn rc;' % lv)
			c('}')
			return
		if is_le(t):
			raise IdlError(m.pos, 'bad-elem', name=m.name, why='arrays of le structs')
		c('for (i = 0; i < %s; i++) {' % count)
		c('\trc = %s_dec_s(d, &%s[i]);\n\tif (rc)\n\t\treturn rc;' % (t.name, lv))
		c('}')
		if both and deferred(t):
			c('for (i = 0; i < %s; i++) {' % count)
			c('\trc = %s_dec_b(d, &%s[i]);\n\tif (rc)\n\t\treturn rc;' % (t.name, lv))
			c('}')

	# ---- encode ----
	def enc_scalar(self, t, val):
		w = t.size
		chk(self.c, 'wire_ndr_put_u%d(n, (u%d)%s)' % (8 * w, 8 * w, val))

	def enc_value(self, m, k, lv):
		c = self.c
		t = m.type
		if k == 'scalar':
			self.enc_scalar(t, lv)
		elif k == 'guid':
			chk(c, 'wire_ndr_put_guid(n, &%s)' % lv)
		elif k == 'fixed':
			if t.size == 1:
				chk(c, 'wire_ndr_put_bytes(n, %s, %d)' % (lv, m.fixed_len))
			else:
				self.locals.add('i')
				c('for (i = 0; i < %d; i++) {' % m.fixed_len)
				saved = self.c
				self.c = Code(self.c.depth + 1)
				self.enc_scalar(t, '%s[i]' % lv)
				saved(self.c.text(), 0)
				self.c = saved
				c('}')
		elif k == 'struct':
			chk(c, '%s_enc_s(n, &%s)' % (t.name, lv))
		elif k == 'union':
			chk(c, '%s_enc_s(n, %s, &%s)' % (t.name, self.level(m), lv))
		elif k == 'le':
			self.enc_le(t, '&' + lv)
		elif k in ('ptr', 'str', 'cs', 'parr'):
			if m.ptr == 'ref':
				c('if (!%s)\n\treturn -WIRE_EVALUE;' % lv)
			chk(c, 'wire_ndr_put_ptr(n, %s)' % lv)
		elif k == 'cstr':
			chk(c, 'wire_ndr_put_cstr(n, %s)' % lv)
		elif k == 'conf':
			self.enc_elems(m, lv, self.count_val(m.size_e), both=False)
		elif k in ('tstr', 'tarr', 'tcs'):
			if k != 'tstr':
				c('if (!%s)\n\treturn -WIRE_EVALUE;' % lv)
			self.enc_pointee(m, {'tstr': 'str', 'tarr': 'parr', 'tcs': 'cs'}[k], lv)
		else:
			raise ValueError(k)

	def count_val(self, e):
		self.locals.add('cnt')
		chk(self.c, 'wire_ndr_count(%s, &cnt)' % self.ex(e))
		return 'cnt'

	def enc_le(self, t, ptr):
		c = self.c
		offs = le_offsets(t)
		self.locals.add('at')
		chk(c, 'wire_ndr_put_align(n, 4)')
		c('at = n->e.pos;')
		chk(c, '%s_enc(&n->e, %s)' % (t.name, ptr))
		if offs:
			c('{')
			c('\tstatic const u32 offs[] = { %s };' % ', '.join(str(o) for o in offs))
			c('')
			c('\trc = wire_ndr_le_unbase(n, at, offs, %d, at);' % len(offs))
			c('}')
			c('if (rc)\n\treturn rc;')

	def enc_buffers(self, m, k, lv):
		c = self.c
		t = m.type
		if k == 'struct' and deferred(t):
			chk(c, '%s_enc_b(n, &%s)' % (t.name, lv))
		elif k == 'union' and deferred(t):
			chk(c, '%s_enc_b(n, %s, &%s)' % (t.name, self.level(m), lv))
		elif k in ('ptr', 'str', 'cs', 'parr'):
			c('if (%s) {' % lv)
			saved = self.c
			self.c = Code(self.c.depth + 1)
			self.enc_pointee(m, k, lv)
			saved(self.c.text(), 0)
			self.c = saved
			c('}')

	def enc_pointee(self, m, k, lv):
		c = self.c
		t = m.type
		if k == 'str':
			chk(c, 'wire_ndr_put_string(n, %d, %s)' % (t.size, lv))
		elif k == 'cs':
			self.enc_header(m)
			chk(c, 'wire_ndr_put_utf16(n, %s, len)' % lv)
		elif k == 'parr':
			self.enc_header(m)
			self.enc_elems(m, lv, 'len', both=True, counted=False)
		elif k == 'ptr':
			vk = value_kind(m, t)
			if vk == 'struct':
				chk(c, '%s_enc(n, %s)' % (t.name, lv))
			elif vk == 'union':
				chk(c, '%s_enc(n, %s, %s)' % (t.name, self.level(m), lv))
			elif vk == 'le':
				self.enc_le(t, lv)
			else:
				self.enc_value(m, vk, '(*%s)' % lv)
		else:
			raise ValueError(k)

	def enc_header(self, m):
		c = self.c
		self.locals.update(('max', 'len'))
		e_max = m.size_e if m.size_e is not None else m.length_e
		e_len = m.length_e if m.length_e is not None else m.size_e
		for var, e in (('max', e_max), ('len', e_len)):
			chk(c, 'wire_ndr_count(%s, &%s)' % (self.ex(e), var))
		c('if (len > max)\n\treturn -WIRE_EBOUNDS;')
		chk(c, 'wire_ndr_put_u32(n, max)')
		if m.length_e is not None:
			chk(c, 'wire_ndr_put_u32(n, 0)')
			chk(c, 'wire_ndr_put_u32(n, len)')

	def enc_elems(self, m, lv, count, both, counted=True):
		c = self.c
		t = m.type
		c('if (%s && !%s)\n\treturn -WIRE_EVALUE;' % (count, lv))
		if isinstance(t, (Scalar, EnumType)) and t.size == 1:
			chk(c, 'wire_ndr_put_bytes(n, %s, %s)' % (lv, count))
			return
		self.locals.add('i')
		if isinstance(t, (Scalar, EnumType)):
			c('for (i = 0; i < %s; i++) {' % count)
			saved = self.c
			self.c = Code(self.c.depth + 1)
			self.enc_scalar(t, '%s[i]' % lv)
			saved(self.c.text(), 0)
			self.c = saved
			c('}')
			return
		if t is GUID:
			c('for (i = 0; i < %s; i++) {' % count)
			c('\trc = wire_ndr_put_guid(n, &%s[i]);\n\tif (rc)\n\t\treturn rc;' % lv)
			c('}')
			return
		c('for (i = 0; i < %s; i++) {' % count)
		c('\trc = %s_enc_s(n, &%s[i]);\n\tif (rc)\n\t\treturn rc;' % (t.name, lv))
		c('}')
		if both and deferred(t):
			c('for (i = 0; i < %s; i++) {' % count)
			c('\trc = %s_enc_b(n, &%s[i]);\n\tif (rc)\n\t\treturn rc;' % (t.name, lv))
			c('}')

	# ---- print ----
	def print_value(self, m, k, lv, name):
		c = self.c
		t = m.type
		if k == 'scalar':
			if isinstance(t, EnumType):
				fn = 'wire_print_bitmap' if t.is_bitmap else 'wire_print_enum'
				c('%s(p, %s, (u64)%s, %s_names, %d);' % (
					fn, name, lv, t.name, max(1, len(t.entries))))
			elif t is NTTIME:
				c('wire_print_time(p, %s, %s);' % (name, lv))
			elif t.signed:
				c('wire_print_sint(p, %s, %s);' % (name, lv))
			else:
				c('wire_print_uint(p, %s, %s);' % (name, lv))
		elif k == 'guid':
			c('wire_print_guid(p, %s, &%s);' % (name, lv))
		elif k == 'fixed':
			if t.size == 1:
				c('wire_print_bytes(p, %s, %s, %d);' % (name, lv, m.fixed_len))
			else:
				self.print_loop(m, lv, name, str(m.fixed_len))
		elif k in ('struct', 'le'):
			c('%s_print(p, %s, &%s);' % (t.name, name, lv))
		elif k == 'union':
			c('%s_print(p, %s, %s, &%s);' % (t.name, name, self.level(m), lv))
		elif k in ('str', 'cs', 'cstr', 'tstr', 'tcs'):
			c('wire_ndr_print_str(p, %s, %s);' % (name, lv))
		elif k == 'ptr':
			vk = value_kind(m, t)
			c('if (!%s)\n\twire_print_kv(p, %s, "NULL");\nelse' % (lv, name))
			saved = self.c
			self.c = Code(self.c.depth + 1)
			self.print_value(m, vk, '(*%s)' % lv, name)
			saved(self.c.text(), 0)
			self.c = saved
		elif k in ('parr', 'tarr', 'conf'):
			e = m.length_e if m.length_e is not None else m.size_e
			cnt = self.ex(e)
			c('if (!%s) {\n\twire_print_kv(p, %s, "NULL");\n} else {' % (lv, name))
			saved = self.c
			self.c = Code(self.c.depth + 1)
			self.print_loop(m, lv, name, cnt, braces=False)
			saved(self.c.text(), 0)
			self.c = saved
			c('}')
		else:
			raise ValueError(k)

	def print_loop(self, m, lv, name, cnt, braces=True):
		c = self.c
		t = m.type
		ind = '\t' if braces else ''
		if braces:
			c('{')
		c(ind + 'char lb[64];')
		c(ind + 'u64 i, cnt = %s;' % cnt)
		c('')
		c(ind + 'wire_print_kv(p, %s, "[%%llu]", (unsigned long long)cnt);' % name)
		c(ind + 'for (i = 0; i < cnt && i < 256; i++) {')
		c(ind + '\twire_print_index(lb, sizeof(lb), %s, (u32)i);' % name)
		saved = self.c
		self.c = Code(self.c.depth + (2 if braces else 1))
		if isinstance(t, (Scalar, EnumType)):
			self.print_value_elem(t, '%s[i]' % lv)
		elif t is GUID:
			self.c('wire_print_guid(p, lb, &%s[i]);' % lv)
		else:
			self.c('%s_print(p, lb, &%s[i]);' % (t.name, lv))
		saved(self.c.text(), 0)
		self.c = saved
		c(ind + '}')
		if braces:
			c('}')

	def print_value_elem(self, t, lv):
		if isinstance(t, EnumType):
			fn = 'wire_print_bitmap' if t.is_bitmap else 'wire_print_enum'
			self.c('%s(p, lb, (u64)%s, %s_names, %d);' % (
				fn, lv, t.name, max(1, len(t.entries))))
		elif t.signed:
			self.c('wire_print_sint(p, lb, %s);' % lv)
		else:
			self.c('wire_print_uint(p, lb, %s);' % lv)


def _locals(g, extra=()):
	decl = ['int rc = 0;']
	names = g.locals | set(extra)
	if 'i' in names:
		decl.append('u32 i;')
	for n in ('max', 'len', 'conf', 'cnt', 'at'):
		if n in names:
			decl.append('u32 %s = 0;' % n)
	if 'present' in names:
		decl.append('int present;')
	if 'tmp' in names:
		decl.append('void *tmp;')
	if 'sub' in names:
		decl.append('struct wire_dec sub;')
	return '\n'.join('\t' + x for x in decl)


def _body(g, pre=''):
	return _locals(g) + '\n\n' + pre + g.c.text() + '\n\treturn rc;'


# -- structs --

def value_fill(s, copy_from='v'):
	"""Statements making a copy w of *v with the [value] fields computed."""
	vals = [m for m in s.members if m.value_e is not None]
	if not vals:
		return ''
	res = struct_res(s, 'w.')
	c = Code()
	c('w = *%s;' % copy_from)
	for m in vals:
		e = cexpr(m.value_e, lambda x: res(x))
		bits = 8 * m.type.size
		if bits < 64:
			c('if (%s >> %d)\n\treturn -WIRE_EBOUNDS;' % (e, bits))
		c('w.%s = (%s)%s;' % (m.name, m.type.ctype, e))
	c('v = &w;')
	return c.text() + '\n'


def struct_funcs(s):
	"""The C text of every function of ndr struct s."""
	out = []
	conf = conformant(s)
	al = type_align(s)
	res = struct_res(s)
	dfr = deferred(s)
	# decode scalars
	g = Gen(res)
	if conf is not None:
		g.locals.add('conf')
		chk(g.c, 'wire_ndr_conf(d, &conf)')
	if al > 1:
		chk(g.c, 'wire_ndr_align(d, %d)' % al)
	for m in s.members:
		g.dec_value(m, kind(m), 'v->' + m.name)
	out.append('int %s_dec_s(struct wire_dec *d, struct %s *v)\n{\n%s\n}\n' % (
		s.name, s.name, _body(g)))
	if dfr:
		g = Gen(res)
		for m in s.members:
			g.dec_buffers(m, kind(m), 'v->' + m.name)
		out.append('int %s_dec_b(struct wire_dec *d, struct %s *v)\n{\n%s\n}\n' % (
			s.name, s.name, _body(g)))
	# encode
	fill = value_fill(s)
	wdecl = '\tstruct %s w;\n' % s.name if fill else ''
	g = Gen(res)
	if conf is not None:
		cnt = g.count_val(conf.size_e)
		chk(g.c, 'wire_ndr_put_u32(n, %s)' % cnt)
	if al > 1:
		chk(g.c, 'wire_ndr_put_align(n, %d)' % al)
	for m in s.members:
		g.enc_value(m, kind(m), 'v->' + m.name)
	out.append('int %s_enc_s(struct wire_ndr_enc *n, const struct %s *v)\n{\n%s%s\n}\n' % (
		s.name, s.name, wdecl, _body(g, fill)))
	if dfr:
		g = Gen(res)
		for m in s.members:
			g.enc_buffers(m, kind(m), 'v->' + m.name)
		out.append('int %s_enc_b(struct wire_ndr_enc *n, const struct %s *v)\n{\n%s%s\n}\n' % (
			s.name, s.name, wdecl, _body(g, fill)))
	# both passes
	out.append(both_pass(s, 'int %s_dec(struct wire_dec *d, struct %s *v)' % (s.name, s.name),
			     'dec', 'd', 'v', dfr))
	out.append(both_pass(s, 'int %s_enc(struct wire_ndr_enc *n, const struct %s *v)' % (
		s.name, s.name), 'enc', 'n', 'v', dfr))
	# print
	g = Gen(res)
	for m in s.members:
		g.print_value(m, kind(m), 'v->' + m.name, '"%s"' % m.name)
	out.append('void %s_print(struct wire_printer *p, const char *name,\n\t\t%sconst struct %s *v)\n'
		   '{\n\twire_print_open(p, name, "%s");\n%s\n\twire_print_close(p);\n}\n' % (
			   s.name, ' ' * len(s.name), s.name, s.name, g.c.text()))
	return '\n'.join(out)


def both_pass(t, proto, op, cur, v, dfr, level=''):
	c = Code()
	c('int rc;')
	c('')
	if op == 'dec':
		c('if (%s->depth >= WIRE_MAX_DEPTH)\n\treturn -WIRE_EDEPTH;' % cur)
		c('%s->depth++;' % cur)
	c('rc = %s_%s_s(%s, %s%s);' % (t.name, op, cur, level, v))
	if dfr:
		c('if (!rc)\n\trc = %s_%s_b(%s, %s%s);' % (t.name, op, cur, level, v))
	if op == 'dec':
		c('%s->depth--;' % cur)
	c('return rc;')
	return '%s\n{\n%s\n}\n' % (proto, c.text())


# -- unions --

def _case(v):
	return '%dULL' % v if v >= 0 else '(u64)%d' % v


def union_funcs(u):
	out = []
	dfr = deferred(u)
	res = struct_res(None)
	w = u.base.size
	disc = 'u%d' % (8 * w)

	def switch(g, emit_arm, default_stmt):
		c = g.c
		c('switch (level) {')
		for values, m in u.arms:
			for val in values:
				c('default:' if val is None else 'case %s:' % _case(val))
			if m is not None:
				saved = g.c
				g.c = Code(2)
				emit_arm(g, m)
				saved(g.c.text(), 0)
				g.c = saved
			c('\tbreak;')
		if not u.has_default:
			c('default:')
			c('\t%s' % default_stmt)
		c('}')

	# [ms_union] (MS-RPCE 2.2.4.5): the arm aligns to the largest arm
	arm_al = ms_union_align(u)
	# decode scalars
	g = Gen(res)
	c = g.c
	g.locals.add('disc')
	chk(c, 'wire_ndr_%s(d, &disc)' % disc)
	c('if ((u64)disc != level)\n\treturn -WIRE_ESWITCH;')
	if arm_al > 1:
		chk(c, 'wire_ndr_align(d, %d)' % arm_al)
	switch(g, lambda g, m: g.dec_value(m, kind(m), 'v->' + m.name), 'return -WIRE_ESWITCH;')
	body = _locals(g).replace('int rc = 0;', 'int rc = 0;\n\t%s disc;' % disc)
	out.append('int %s_dec_s(struct wire_dec *d, u64 level, union %s *v)\n{\n%s\n\n%s\n\treturn rc;\n}\n' % (
		u.name, u.name, body, c.text()))
	if dfr:
		g = Gen(res)
		switch(g, lambda g, m: g.dec_buffers(m, kind(m), 'v->' + m.name), 'return -WIRE_ESWITCH;')
		out.append('int %s_dec_b(struct wire_dec *d, u64 level, union %s *v)\n{\n%s\n}\n' % (
			u.name, u.name, _body(g)))
	g = Gen(res)
	if w < 8:
		g.c('if (level >> %d)\n\treturn -WIRE_ESWITCH;' % (8 * w))
	chk(g.c, 'wire_ndr_put_%s(n, (%s)level)' % (disc, disc))
	if arm_al > 1:
		chk(g.c, 'wire_ndr_put_align(n, %d)' % arm_al)
	switch(g, lambda g, m: g.enc_value(m, kind(m), 'v->' + m.name), 'return -WIRE_ESWITCH;')
	out.append('int %s_enc_s(struct wire_ndr_enc *n, u64 level, const union %s *v)\n{\n%s\n}\n' % (
		u.name, u.name, _body(g)))
	if dfr:
		g = Gen(res)
		switch(g, lambda g, m: g.enc_buffers(m, kind(m), 'v->' + m.name), 'return -WIRE_ESWITCH;')
		out.append('int %s_enc_b(struct wire_ndr_enc *n, u64 level, const union %s *v)\n{\n%s\n}\n' % (
			u.name, u.name, _body(g)))
	out.append(both_pass(u, 'int %s_dec(struct wire_dec *d, u64 level, union %s *v)' % (
		u.name, u.name), 'dec', 'd', 'v', dfr, 'level, '))
	out.append(both_pass(u, 'int %s_enc(struct wire_ndr_enc *n, u64 level, const union %s *v)' % (
		u.name, u.name), 'enc', 'n', 'v', dfr, 'level, '))
	g = Gen(res)
	switch(g, lambda g, m: g.print_value(m, kind(m), 'v->' + m.name, '"%s"' % m.name),
	       'wire_print_kv(p, "arm", "(none)");\n\tbreak;')
	out.append('void %s_print(struct wire_printer *p, const char *name, u64 level,\n\t\t%sconst union %s *v)\n'
		   '{\n\twire_print_open(p, name, "union %s");\n\twire_print_uint(p, "level", level);\n%s\n'
		   '\twire_print_close(p);\n}\n' % (u.name, ' ' * len(u.name), u.name, u.name, g.c.text()))
	return '\n'.join(out)


def ms_union_align(u):
	"""Alignment of the arm of an [ms_union] union (1: not one)."""
	on = 'ms_union' in u.attrs or any(
		'ms_union' in {a.name for a in it.node.attrs} for it in u.file.interfaces)
	if not on:
		return 1
	return max([member_align(m) for _, m in u.arms if m is not None] + [1])


# -- functions --

class Fn:
	def __init__(self, fn):
		self.fn = fn
		self.name = fn.name
		self.ins = [m for m in fn.params if 'in' in m.direction]
		self.outs = [m for m in fn.params if 'out' in m.direction]
		self.ret = fn.ret is not None
		# in-only parameters the out direction's expressions use
		used = []
		for m in self.outs:
			for e in (m.size_e, m.length_e, m.switch_e):
				for r in _refs(e):
					if 'out' not in r.direction and r not in used:
						used.append(r)
		self.in_refs = used

	def res(self, direction):
		def res(m):
			if isinstance(m, str):
				m = {p.name: p for p in self.fn.params}[m]
			if direction == 'out' and 'out' not in m.direction:
				return 'in->%s' % m.name
			return 'v->%s' % m.name
		return res


def _refs(e):
	if e is None:
		return []
	if isinstance(e, ast.Name):
		m = getattr(e, 'member', None)
		return [m] if m is not None else []
	if isinstance(e, ast.BinOp):
		return _refs(e.left) + _refs(e.right)
	if isinstance(e, ast.UnOp):
		return _refs(e.operand)
	return []


def fn_funcs(f):
	out = []
	for d in ('in', 'out'):
		params = f.ins if d == 'in' else f.outs
		res = f.res(d)
		sname = '%s_%s' % (f.name, d)
		inarg = 'const struct %s_in *in, ' % f.name if d == 'out' else ''
		# decode
		g = Gen(res)
		for m in params:
			k = kind(m, top=True)
			lv = 'v->' + m.name
			if m.ptr and m.ptr != 'ref':
				g.locals.add('present')
				chk(g.c, 'wire_ndr_ptr(d, 0, &present)')
				g.c('%s = present ? WIRE_NDR_PRESENT : NULL;' % lv)
				g.dec_buffers(m, k, lv)
			else:
				g.dec_value(m, k, lv)
				g.dec_buffers(m, k, lv)
		if d == 'out' and f.ret:
			chk(g.c, 'wire_ndr_u32(d, &v->result)')
		pre = '\t(void)in;\n' if d == 'out' else ''
		out.append('int %s_dec(struct wire_dec *d, %sstruct %s *v)\n{\n%s%s\n}\n' % (
			sname, inarg, sname, pre, _body(g)))
		# encode
		g = Gen(res)
		for m in params:
			k = kind(m, top=True)
			lv = 'v->' + m.name
			if m.ptr and m.ptr != 'ref':
				chk(g.c, 'wire_ndr_put_ptr(n, %s)' % lv)
				g.enc_buffers(m, k, lv)
			else:
				g.enc_value(m, k, lv)
				g.enc_buffers(m, k, lv)
		if d == 'out' and f.ret:
			chk(g.c, 'wire_ndr_put_u32(n, v->result)')
		out.append('int %s_enc(struct wire_ndr_enc *n, %sconst struct %s *v)\n{\n%s%s\n}\n' % (
			sname, inarg, sname, pre, _body(g)))
		# print
		g = Gen(res)
		for m in params:
			k = kind(m, top=True)
			g.print_value(m, k, 'v->' + m.name, '"%s"' % m.name)
		if d == 'out' and f.ret:
			g.c('wire_print_uint(p, "result", v->result);')
		out.append('void %s_print(struct wire_printer *p, const char *name, %sconst struct %s *v)\n'
			   '{\n%s\twire_print_open(p, name, "%s");\n%s\n\twire_print_close(p);\n}\n' % (
				   sname, inarg, sname, pre, sname, g.c.text()))
		# generic wrappers for the dispatch table
		if d == 'in':
			out.append('static int %s_dec_any(struct wire_dec *d, void *v)\n{\n'
				   '\treturn %s_dec(d, v);\n}\n' % (sname, sname))
			out.append('static int %s_enc_any(struct wire_ndr_enc *n, const void *v)\n{\n'
				   '\treturn %s_enc(n, v);\n}\n' % (sname, sname))
			out.append('static void %s_print_any(struct wire_printer *p, const char *name,\n'
				   '\t\t\t%sconst void *v)\n{\n\t%s_print(p, name, v);\n}\n' % (
					   sname, ' ' * len(sname), sname))
		else:
			out.append('static int %s_dec_any(struct wire_dec *d, const void *in, void *v)\n{\n'
				   '\treturn %s_dec(d, in, v);\n}\n' % (sname, sname))
			out.append('static int %s_enc_any(struct wire_ndr_enc *n, const void *in,\n'
				   '\t\t\t%sconst void *v)\n{\n\treturn %s_enc(n, in, v);\n}\n' % (
					   sname, ' ' * len(sname), sname))
			out.append('static void %s_print_any(struct wire_printer *p, const char *name,\n'
				   '\t\t\t%sconst void *in, const void *v)\n{\n\t%s_print(p, name, in, v);\n}\n' % (
					   sname, ' ' * len(sname), sname))
	return '\n'.join(out)


def uuid_bytes(u):
	h = u.replace('-', '')
	b = bytes.fromhex(h)
	wire = b[3::-1] + b[5:3:-1] + b[7:5:-1] + b[8:]
	return ', '.join('0x%02x' % x for x in wire)


# -- rendering --

def render(env, fm, files):
	types = order_types(fm)
	for t in types:
		for m in members(t):
			kind(m)
		if isinstance(t, StructType):
			conformant(t)
	fns = []
	for it in fm.interfaces:
		for fn in it.functions:
			fns.append(Fn(fn))
	ifaces = []
	for it in fm.interfaces:
		calls = sorted(it.functions, key=lambda f: f.opnum)
		ifaces.append(dict(name=it.name, uuid=uuid_bytes(it.uuid), version=it.version,
				   calls=calls))
	bodies = []
	for t in types:
		bodies.append(struct_funcs(t) if isinstance(t, StructType) else union_funcs(t))
	for f in fns:
		bodies.append(fn_funcs(f))
	le_imports = sorted({f.base for f in fm.imports})
	ctx = dict(
		header=header_comment(['idl/' + os.path.basename(fm.path)]),
		guard=fm.base.upper() + '_GEN_H',
		base=fm.base,
		imports=le_imports,
		consts=[(c.name, _hex(c.value, None)) for c in fm.consts],
		enums=[dict(name=e.name, bitmap=e.is_bitmap,
			    entries=[(n, _hex(v, e.base)) for n, v in e.entries]) for e in fm.enums],
		types=types,
		is_struct=lambda t: isinstance(t, StructType),
		deferred=deferred,
		cdecl=cdecl,
		fns=fns,
		ifaces=ifaces,
		bodies=bodies,
	)
	h = env.get_template('ndr.h.j2').render(**ctx)
	c = env.get_template('ndr.c.j2').render(**ctx)
	fuzzers = []
	hdr = header_comment(['idl/' + os.path.basename(fm.path)])
	tmpl = env.get_template('fuzz_ndr.c.j2')
	for t in types:
		if t.public and isinstance(t, StructType):
			fuzzers.append((t.name, tmpl.render(header=hdr, base=fm.base, kind='struct',
							   name=t.name, refs=[])))
	for f in fns:
		fuzzers.append((f.name + '_in', tmpl.render(header=hdr, base=fm.base, kind='in',
							   name=f.name, refs=[])))
		refs = [(m.name, m.type.ctype if not m.ptr else m.type.ctype) for m in f.in_refs]
		fuzzers.append((f.name + '_out', tmpl.render(header=hdr, base=fm.base, kind='out',
							    name=f.name, refs=refs)))
	return h, c, fuzzers
