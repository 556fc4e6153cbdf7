# SPDX-License-Identifier: GPL-2.0-or-later
"""Layout decisions of the model: sizes, offsets, alignment, derived fields.

These are what the back-ends render without deciding anything themselves,
so a wrong number here is a wrong byte on the wire.
"""

import pytest

from conftest import IdlError, IDL_DIR

LE = 'encoding le;\n'
NL = 'encoding nl;\n'


def offsets(s):
	return {m.name: m.offset for m in s.members}


# -- le: packed, no implicit padding --

def test_le_fixed_offsets(compile_snippet):
	c = compile_snippet(LE + '''
enum e16 : u16 { E_A = 1, };
bitmap b32 : u32 { B_A = 1, };
struct s {
	u8 a;
	u32 b;
	u16 c;
	u64 d;
	guid g;
	u8 arr[3];
	u16 w[2];
	nttime t;
	e16 en;
	b32 bm;
	i8 name[5];
	i64 sv;
};
''')
	s = c.names['s']
	assert offsets(s) == {'a': 0, 'b': 1, 'c': 5, 'd': 7, 'g': 15, 'arr': 31, 'w': 34,
			      't': 38, 'en': 46, 'bm': 48, 'name': 52, 'sv': 57}
	assert s.fixed_size == 65
	assert s.is_fixed
	assert s.align == 1


def test_le_nested_struct_size(compile_snippet):
	c = compile_snippet(LE + '''
struct inner { u8 a; u32 b; };
[size(13)] struct outer { u16 x; inner i; inner j; u8 y; };
''')
	o = c.names['outer']
	assert offsets(o) == {'x': 0, 'i': 2, 'j': 7, 'y': 12}
	assert o.fixed_size == 13


def test_le_align_attr(compile_snippet):
	"""[align(n)] pads from the struct start even in le."""
	c = compile_snippet(LE + '''
struct s { u8 a; [align(8)] u64 b; u8 c; [align(4)] u16 d; };
''')
	s = c.names['s']
	assert offsets(s) == {'a': 0, 'b': 8, 'c': 16, 'd': 20}
	assert s.fixed_size == 22


def test_le_variable_members(compile_snippet):
	"""Offset-placed buffers are not part of the fixed part; an inline
	variable member starts right after the fixed prefix."""
	c = compile_snippet(LE + '''
struct s {
	u16 off;
	u16 len;
	u32 n;
	[offset(off), length(len)] u8 buf[];
	[size_is(n)] u8 inl[];
	u32 after;
};
''')
	s = c.names['s']
	m = {x.name: x for x in s.members}
	assert m['buf'].placement == 'offset' and m['buf'].kind == 'blob'
	assert m['buf'].offset is None and m['buf'].fixed_size is None
	assert m['inl'].placement == 'inline' and m['inl'].offset == 8
	assert m['after'].offset is None	# after a variable member: no constant offset
	assert s.fixed_size == 12
	assert not s.is_fixed


def test_le_member_kinds(compile_snippet):
	c = compile_snippet(LE + '''
struct e { u32 next; };
union u : u32 { case 1: u32 a; };
struct s {
	u32 k;
	u16 o;
	u16 l;
	u16 cnt;
	u8 arr[2];
	guid g;
	e one;
	[switch_is(k)] u union_m;
	[offset(o), length(l)] utf16 name[];
	[count(cnt)] u16 vals[];
	[remaining] e rest[];
};
''')
	kinds = {m.name: m.kind for m in c.names['s'].members}
	assert kinds == {'k': 'scalar', 'o': 'scalar', 'l': 'scalar', 'cnt': 'scalar',
			 'arr': 'array', 'g': 'guid', 'one': 'struct', 'union_m': 'union',
			 'name': 'blob', 'vals': 'seq', 'rest': 'seq'}


# -- nl: x86-64 natural alignment --

def test_nl_natural_alignment(compile_snippet):
	c = compile_snippet(NL + '''
struct s { u32 a; u16 b; u8 c[18]; u32 d[16]; };
struct t { u8 a; u64 b; u8 c; };
struct v { u8 a; u16 b; };
''')
	s = c.names['s']
	assert offsets(s) == {'a': 0, 'b': 4, 'c': 6, 'd': 24}
	assert s.fixed_size == 88 and s.align == 4
	t = c.names['t']
	assert offsets(t) == {'a': 0, 'b': 8, 'c': 16}
	assert t.fixed_size == 24 and t.align == 8
	v = c.names['v']
	assert offsets(v) == {'a': 0, 'b': 2}
	assert v.fixed_size == 4


def test_nl_login_response_148(compile_snippet):
	"""netlink login_response: hash ends at 82, reserved is aligned to 84."""
	c = compile_snippet(NL + '''
[size(148)] struct lr {
	u32 handle; u32 gid; u32 uid; i8 account[48];
	u16 status; u16 hash_sz; i8 hash[18]; u32 reserved[16];
};
''')
	s = c.names['lr']
	assert offsets(s) == {'handle': 0, 'gid': 4, 'uid': 8, 'account': 12, 'status': 60,
			      'hash_sz': 62, 'hash': 64, 'reserved': 84}
	assert s.fixed_size == 148


def test_real_netlink_login_response():
	"""The declaration in idl/netlink.idl has the kernel's 148 bytes."""
	from conftest import model
	comp, _ = model.compile_files([str(IDL_DIR / 'netlink.idl')])
	s = comp.names['smbd_nl_login_response']
	assert s.fixed_size == 148
	assert [m for m in s.members if m.name == 'hash'][0].offset == 64


def test_nl_packed(compile_snippet):
	c = compile_snippet(NL + '''
[packed, size(15)] struct p { u8 a; u64 b; u16 c; u32 d; };
''')
	p = c.names['p']
	assert offsets(p) == {'a': 0, 'b': 1, 'c': 9, 'd': 11}
	assert p.fixed_size == 15 and p.align == 1


def test_nl_nested_struct_alignment(compile_snippet):
	c = compile_snippet(NL + '''
struct in8 { u64 x; u8 y; };
struct out { u8 a; in8 i; u8 b; };
''')
	assert c.names['in8'].fixed_size == 16
	o = c.names['out']
	assert offsets(o) == {'a': 0, 'i': 8, 'b': 24}
	assert o.fixed_size == 32 and o.align == 8


def test_nl_flexible_member(compile_snippet):
	"""A trailing flexible member sits at its C offset; the fixed size is
	sizeof() of the C struct (rounded up to the alignment)."""
	c = compile_snippet(NL + '''
[size(8)] struct f {
	u32 handle;
	u16 len;
	[size_is(len)] u8 blob[];
};
''')
	f = c.names['f']
	m = {x.name: x for x in f.members}
	assert m['blob'].offset == 6
	assert f.flex is m['blob']
	assert f.fixed_size == 8
	assert f.align == 4
	assert not f.is_fixed


def test_nl_flexible_u32_array(compile_snippet):
	c = compile_snippet(NL + '''
struct f { u8 kind; u16 n; [count(n)] u32 ids[]; };
''')
	f = c.names['f']
	assert f.flex.name == 'ids' and f.flex.offset == 4
	assert f.fixed_size == 4


# -- [size(N)] --

@pytest.mark.parametrize('enc,body,size', [
	('le', 'u32 a; u16 b;', 6),
	('nl', 'u32 a; u16 b;', 8),
	('nl', 'u8 a; u8 b;', 2),
	('le', 'u16 n; [size_is(n)] u8 b[];', 2),
])
def test_size_attr(compile_snippet, enc, body, size):
	c = compile_snippet('encoding %s;\n[size(%d)] struct s { %s };\n' % (enc, size, body))
	assert c.names['s'].fixed_size == size
	for wrong in (size - 1, size + 1):
		with pytest.raises(IdlError) as ei:
			compile_snippet({'w%d.idl' % wrong: 'encoding %s;\n[size(%d)] struct s { %s };\n'
					 % (enc, wrong, body)})
		assert ei.value.code == 'size-mismatch'
		assert 'fixed size of %d bytes' % size in str(ei.value)
		assert 'says %d' % wrong in str(ei.value)


def test_size_attr_constant_expression(compile_snippet):
	c = compile_snippet(LE + 'const HDR = 4;\n[size(HDR * 2)] struct s { u32 a; u32 b; };\n')
	assert c.names['s'].fixed_size == 8


# -- derived fields: filled by the encoder --

def test_derived_fields(compile_snippet):
	c = compile_snippet(LE + '''
struct e { u32 next; };
struct s {
	[value(0x1234)] u16 magic;
	u16 off;
	u16 len;
	u16 cnt;
	u32 blen;
	u16 ecount;
	u16 flags;
	[offset(off), length(len)] u8 buf[];
	[count(cnt)] u32 vals[];
	[size_is(blen)] u8 inl[];
	[count(ecount * 2)] u16 pairs[];
};
''')
	s = c.names['s']
	m = {x.name: x for x in s.members}
	assert m['off'].derived == ('offset', m['buf'])
	assert m['len'].derived == ('length', m['buf'])
	assert m['cnt'].derived == ('count', m['vals'])
	assert m['blen'].derived == ('size_is', m['inl'])
	assert set(m['buf'].derives) == {('offset', m['off'], 1, 0), ('length', m['len'], 1, 0)}
	assert m['vals'].derives == [('count', m['cnt'], 1, 0)]
	# a linear expression (ecount * 2) is solved for its member
	assert m['ecount'].derived == ('count', m['pairs'])
	assert m['pairs'].derives == [('count', m['ecount'], 2, 0)]
	assert m['magic'].derived is None and m['flags'].derived is None


def test_derived_linear_and_checked(compile_snippet):
	"""f + c is solved for f; a non-linear expression is only checked."""
	c = compile_snippet(LE + '''
struct s {
	u32 off;
	u16 len;
	u16 half;
	[offset(off + 16), length(len)] u8 a[];
	[size_is(half / 2)] u8 b[];
};
''')
	m = {x.name: x for x in c.names['s'].members}
	assert m['a'].derives[0] == ('offset', m['off'], 1, 16)
	assert m['half'].derived is None
	assert m['b'].derives == []


def test_derived_shared_length_field(compile_snippet):
	"""One field describing two members is derived from the first only."""
	c = compile_snippet(LE + '''
struct s {
	u16 n;
	[size_is(n)] u8 a[];
	[size_is(n)] u8 b[];
};
''')
	m = {x.name: x for x in c.names['s'].members}
	assert m['n'].derived == ('size_is', m['a'])
	assert m['b'].derives == []


def test_size_field(compile_snippet):
	c = compile_snippet(LE + '''
[size_field(total), size(4)] struct ace { u8 kind; u8 flags; u16 total; [remaining] u8 body[]; };
''')
	a = c.names['ace']
	assert a.size_field.name == 'total' and a.size_field.offset == 2


# -- sequences: chain and elem_align --

def test_chain_attrs(compile_snippet):
	c = compile_snippet(LE + '''
[size(12), chain(next), chain_align(8)] struct ent {
	u32 next;
	u32 idx;
	u32 name_len;
	[size_is(name_len)] utf16 name[];
};
[elem_align(8)] struct ctx { u16 type; u16 dlen; u32 reserved; [size_is(dlen)] u8 data[]; };
struct list { u16 n; u16 pad; [count(n)] ctx ctxs[]; [remaining] ent ents[]; };
''')
	e = c.names['ent']
	assert e.chain is e.members[0] and e.chain.offset == 0
	assert e.chain_align == 8 and e.elem_align == 1
	x = c.names['ctx']
	assert x.chain is None and x.elem_align == 8 and x.chain_align == 1
	assert e.as_seq and x.as_seq
	assert not c.names['list'].as_seq


def test_chain_field_offset(compile_snippet):
	"""The chain field need not be first (FILE_NOTIFY_INFORMATION is, others
	are not); its constant offset is what the sequence step reads."""
	c = compile_snippet(LE + '''
[chain(next)] struct ent { u16 a; u16 b; u32 next; };
''')
	assert c.names['ent'].chain.offset == 4


def test_real_fscc_chains():
	from conftest import model
	comp, _ = model.compile_files([str(IDL_DIR / 'fscc.idl')])
	chained = [s for f in comp.files.values() for s in f.structs if s.chain is not None]
	assert chained, 'fscc.idl declares chained entries'
	for s in chained:
		assert s.chain.offset is not None and s.chain.type.size in (2, 4)
		assert s.chain_align in (1, 2, 4, 8)


# -- unions --

def test_union_fixed_size(compile_snippet):
	c = compile_snippet(LE + '''
union same : u32 { case 1: u32 a; case 2: i32 b; };
union mixed : u32 { case 1: u32 a; case 2: u64 b; };
union dflt : u32 { case 1: u32 a; default: u8 raw[]; };
''')
	assert c.names['same'].fixed_size == 4
	assert c.names['mixed'].fixed_size is None
	assert c.names['dflt'].fixed_size is None
	assert c.names['dflt'].has_default
	raw = [m for v, m in c.names['dflt'].arms if v == [None]][0]
	assert raw.remaining and raw.kind == 'blob'


def test_union_member_in_struct_layout(compile_snippet):
	c = compile_snippet(LE + '''
union id : u32 { case 0: u64 sync; case 1: u64 async_id; };
[size(20)] struct hdr { u32 flags; [switch_is(flags & 1)] id id; u64 after; };
''')
	h = c.names['hdr']
	assert offsets(h) == {'flags': 0, 'id': 4, 'after': 12}


def test_real_smb2_header_size():
	from conftest import model
	comp, _ = model.compile_files([str(IDL_DIR / 'smb2.idl')])
	assert comp.names['smb2_hdr'].fixed_size == 64


def test_big_endian_scalars(compile_snippet):
	"""be16/be32: network-order integers of le/nl files."""
	c = compile_snippet(LE + 'struct t { u8 kind; be16 port; be32 len; };\n')
	m = {x.name: x for x in c.names['t'].members}
	assert c.names['t'].fixed_size == 7
	assert (m['port'].offset, m['len'].offset) == (1, 3)
	assert m['port'].type.big and m['len'].type.big and not m['kind'].type.big


@pytest.mark.parametrize('src, code', [
	(LE + 'struct t { u16 n; [count(n)] be16 v[]; };\n', 'bad-elem'),
	(LE + 'enum e : be16 { A = 1 };\n', 'bad-base-type'),
	('encoding ndr;\nstruct t { be32 x; };\n', 'bad-elem'),
])
def test_big_endian_refused(compile_snippet, src, code):
	"""Big-endian integers are not sequence elements, enum bases or NDR."""
	with pytest.raises(IdlError) as ei:
		compile_snippet(src)
	assert ei.value.code == code
