// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hosts allow / hosts deny: every entry form (addresses, CIDR, netmask,
 * trailing-dot prefixes, ALL, LOCAL, localhost, names, .domain suffixes,
 * wildcards, EXCEPT), IPv6 and IPv4-mapped peers, Samba's decision rule
 * including its loopback exception, and malformed entries that must be
 * reported and ignored without crashing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "hosts.h"

/* -- helpers ------------------------------------------------------------ */

struct diag_log {
	int count;
	char last_entry[128];
	char last_why[128];
};

static void record_diag(void *arg, const char *entry, const char *why)
{
	struct diag_log *log = arg;

	log->count++;
	snprintf(log->last_entry, sizeof(log->last_entry), "%s", entry);
	snprintf(log->last_why, sizeof(log->last_why), "%s", why);
}

/* Parse, failing the test on any diagnostic. */
static struct hosts_list *parse_clean(void *ctx, const char *value)
{
	struct diag_log log = { 0 };
	struct hosts_list *l = hosts_list_parse(ctx, value, record_diag, &log);

	assert_non_null(l);
	if (log.count)
		fail_msg("unexpected diagnostic for '%s': %s", log.last_entry,
			 log.last_why);
	assert_int_equal(hosts_list_invalid_count(l), 0);
	return l;
}

static bool peer_matches(const struct hosts_list *l, const char *addr,
			 const char *name)
{
	struct hosts_peer p;

	hosts_peer_init(&p, addr, name);
	return hosts_list_match(l, &p);
}

static bool one(const char *list, const char *addr, const char *name)
{
	void *ctx = talloc_new(NULL);
	bool r = peer_matches(parse_clean(ctx, list), addr, name);

	talloc_free(ctx);
	return r;
}

static bool allowed(const char *allow, const char *deny, const char *addr,
		    const char *name)
{
	void *ctx = talloc_new(NULL);
	struct hosts_list *a = allow ? parse_clean(ctx, allow) : NULL;
	struct hosts_list *d = deny ? parse_clean(ctx, deny) : NULL;
	struct hosts_peer p;
	bool r;

	hosts_peer_init(&p, addr, name);
	r = hosts_access_allowed(a, d, &p);
	talloc_free(ctx);
	return r;
}

/* -- peers -------------------------------------------------------------- */

static void test_peer_forms(void **state)
{
	struct hosts_peer p;

	(void)state;
	assert_int_equal(hosts_peer_init(&p, "10.1.2.3", NULL), 0);
	assert_true(p.addr_valid);
	assert_int_equal(p.family, AF_INET);
	assert_string_equal(p.addr_text, "10.1.2.3");
	assert_string_equal(p.name, "");

	/* IPv4-mapped IPv6 is stored as IPv4 */
	assert_int_equal(hosts_peer_init(&p, "::ffff:10.1.2.3", NULL), 0);
	assert_int_equal(p.family, AF_INET);
	assert_string_equal(p.addr_text, "10.1.2.3");

	assert_int_equal(hosts_peer_init(&p, "FE80:0:0::1%eth0", NULL), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_string_equal(p.addr_text, "fe80::1");

	assert_int_equal(hosts_peer_init(&p, "[::1]", "Host.Example.COM."), 0);
	assert_string_equal(p.addr_text, "::1");
	assert_string_equal(p.name, "Host.Example.COM");

	assert_int_equal(hosts_peer_init(&p, "not-an-address", "x"), -1);
	assert_false(p.addr_valid);
	assert_int_equal(hosts_peer_init(&p, NULL, NULL), -1);
	assert_int_equal(hosts_peer_init(&p, "[::1", NULL), -1);
	assert_int_equal(hosts_peer_init(&p, "1.2.3.4:445", NULL), -1);
}

/* -- IPv4 forms ----------------------------------------------------------- */

static void test_ipv4_exact(void **state)
{
	(void)state;
	assert_true(one("10.1.2.3", "10.1.2.3", NULL));
	assert_false(one("10.1.2.3", "10.1.2.4", NULL));
	assert_false(one("10.1.2.3", "::1", NULL));
}

static void test_ipv4_cidr(void **state)
{
	(void)state;
	assert_true(one("10.0.0.0/8", "10.255.1.1", NULL));
	assert_false(one("10.0.0.0/8", "11.0.0.1", NULL));
	assert_true(one("192.168.1.0/24", "192.168.1.200", NULL));
	assert_false(one("192.168.1.0/24", "192.168.2.1", NULL));
	assert_true(one("172.16.0.0/12", "172.31.255.255", NULL));
	assert_false(one("172.16.0.0/12", "172.32.0.0", NULL));
	assert_true(one("10.1.2.3/32", "10.1.2.3", NULL));
	assert_false(one("10.1.2.3/32", "10.1.2.2", NULL));
	assert_true(one("0.0.0.0/0", "203.0.113.9", NULL));
	assert_false(one("0.0.0.0/0", "2001:db8::1", NULL));
	/* host bits in the entry are masked off, as Samba does */
	assert_true(one("10.9.9.9/8", "10.0.0.1", NULL));
}

static void test_ipv4_netmask(void **state)
{
	(void)state;
	assert_true(one("192.168.1.0/255.255.255.0", "192.168.1.77", NULL));
	assert_false(one("192.168.1.0/255.255.255.0", "192.168.0.77", NULL));
	assert_true(one("10.0.0.0/255.0.0.0", "10.200.0.1", NULL));
}

static void test_ipv4_trailing_dot(void **state)
{
	(void)state;
	assert_true(one("192.168.", "192.168.44.5", NULL));
	assert_false(one("192.168.", "192.169.44.5", NULL));
	assert_true(one("10.", "10.0.0.1", NULL));
	assert_false(one("10.", "100.0.0.1", NULL));	/* octet, not text */
	assert_true(one("150.203.5.", "150.203.5.9", NULL));
	assert_false(one("150.203.5.", "150.203.50.9", NULL));
	/* a mapped peer matches the IPv4 prefix */
	assert_true(one("192.168.", "::ffff:192.168.3.4", NULL));
}

/* -- IPv6 forms ----------------------------------------------------------- */

static void test_ipv6_exact(void **state)
{
	(void)state;
	assert_true(one("2001:db8::1", "2001:db8:0:0:0:0:0:1", NULL));
	assert_false(one("2001:db8::1", "2001:db8::2", NULL));
	assert_true(one("[2001:db8::1]", "2001:db8::1", NULL));
	assert_true(one("2001:DB8::1", "2001:db8::1", NULL));
	assert_false(one("2001:db8::1", "10.0.0.1", NULL));
}

static void test_ipv6_cidr(void **state)
{
	(void)state;
	assert_true(one("fe80::/10", "fe80::1234", NULL));
	assert_true(one("fe80::/10", "febf::1", NULL));
	assert_false(one("fe80::/10", "fec0::1", NULL));
	assert_true(one("[fe80::]/10", "fe80::1%eth0", NULL));
	assert_true(one("2001:db8::/32", "2001:db8:ffff::1", NULL));
	assert_false(one("2001:db8::/32", "2001:db9::1", NULL));
	assert_true(one("2001:db8::1/128", "2001:db8::1", NULL));
	assert_false(one("2001:db8::1/128", "2001:db8::2", NULL));
	assert_true(one("2001:db8::/ffff:ffff::", "2001:db8:1::1", NULL));
	assert_false(one("fe80::/10", "10.0.0.1", NULL));
}

static void test_mapped_ipv4(void **state)
{
	(void)state;
	/* mapped peers are IPv4 for every IPv4 form */
	assert_true(one("10.1.2.3", "::ffff:10.1.2.3", NULL));
	assert_true(one("10.0.0.0/8", "::ffff:10.9.8.7", NULL));
	assert_true(one("10.0.0.0/255.0.0.0", "::FFFF:10.9.8.7", NULL));
	assert_false(one("10.0.0.0/8", "::ffff:11.0.0.1", NULL));
	/* and mapped entries are IPv4 too */
	assert_true(one("::ffff:10.1.2.3", "10.1.2.3", NULL));
	assert_true(one("::ffff:10.0.0.0/104", "10.7.7.7", NULL));
	assert_false(one("::ffff:10.0.0.0/104", "11.7.7.7", NULL));
	/* an IPv6 network does not swallow mapped peers */
	assert_false(one("::/0", "::ffff:10.1.2.3", NULL));
	assert_true(one("::/0", "2001:db8::1", NULL));
}

/* -- keywords and names ----------------------------------------------------- */

static void test_all(void **state)
{
	(void)state;
	assert_true(one("ALL", "203.0.113.1", NULL));
	assert_true(one("all", "2001:db8::1", NULL));
	assert_true(one("ALL", "::ffff:1.2.3.4", "x.example"));
}

static void test_localhost(void **state)
{
	(void)state;
	assert_true(one("localhost", "127.0.0.1", NULL));
	assert_true(one("localhost", "127.1.2.3", NULL));
	assert_true(one("LOCALHOST", "::1", NULL));
	assert_true(one("localhost", "::ffff:127.0.0.1", NULL));
	assert_true(one("localhost", "10.0.0.1", "localhost"));
	assert_false(one("localhost", "10.0.0.1", NULL));
	assert_false(one("localhost", "::2", NULL));
	assert_true(one("127.0.0.1", "127.0.0.1", NULL));
	assert_true(one("::1", "::1", NULL));
	assert_false(one("::1", "127.0.0.1", NULL));
}

static void test_local_keyword(void **state)
{
	(void)state;
	assert_true(one("LOCAL", "10.0.0.1", "fileserver"));
	assert_false(one("LOCAL", "10.0.0.1", "fileserver.example.com"));
	assert_false(one("LOCAL", "10.0.0.1", NULL));
	/* IPv6 text has no dot but LOCAL is about names only */
	assert_false(one("LOCAL", "2001:db8::1", NULL));
}

static void test_host_names(void **state)
{
	(void)state;
	assert_true(one("ws1.example.com", "10.0.0.1", "ws1.example.com"));
	assert_true(one("WS1.Example.com", "10.0.0.1", "ws1.example.COM."));
	assert_false(one("ws1.example.com", "10.0.0.1", "ws2.example.com"));
	assert_false(one("ws1.example.com", "10.0.0.1", NULL));
	assert_false(one("ws1", "10.0.0.1", "ws1.example.com"));
	/* names never match addresses: no lookups here */
	assert_false(one("ws1.example.com", "10.0.0.1", ""));
}

static void test_domain_suffix(void **state)
{
	(void)state;
	assert_true(one(".example.com", "10.0.0.1", "ws1.example.com"));
	assert_true(one(".example.com", "10.0.0.1", "a.b.EXAMPLE.com"));
	assert_false(one(".example.com", "10.0.0.1", "example.com"));
	assert_false(one(".example.com", "10.0.0.1", "ws1.badexample.com"));
	assert_false(one(".example.com", "10.0.0.1", NULL));
}

static void test_name_prefix_and_wildcards(void **state)
{
	(void)state;
	assert_true(one("lab.", "10.0.0.1", "lab.example.com"));
	assert_false(one("lab.", "10.0.0.1", "lab"));
	assert_true(one("pc-*.lab", "10.0.0.1", "PC-42.lab"));
	assert_false(one("pc-*.lab", "10.0.0.1", "pc-42.lab.org"));
	assert_true(one("ws??", "10.0.0.1", "ws01"));
	assert_true(one("10.0.*", "10.0.3.4", NULL));
	assert_false(one("10.0.*", "10.1.3.4", NULL));
}

static void test_except(void **state)
{
	const char *list = "150.203. EXCEPT 150.203.6.66";

	(void)state;
	assert_true(one(list, "150.203.1.1", NULL));
	assert_false(one(list, "150.203.6.66", NULL));
	assert_false(one(list, "10.0.0.1", NULL));
	assert_true(one("ALL EXCEPT .bad.example", "10.0.0.1", "ok.example"));
	assert_false(one("ALL EXCEPT .bad.example", "10.0.0.1",
			 "x.bad.example"));
	assert_true(one("10.0.0.0/8, 192.168. except 10.1.0.0/16",
			"192.168.1.1", NULL));
	assert_false(one("10.0.0.0/8, 192.168. except 10.1.0.0/16",
			 "10.1.1.1", NULL));
	/* a EXCEPT b EXCEPT c == a and not (b and not c) */
	list = "10.0.0.0/8 EXCEPT 10.1.0.0/16 EXCEPT 10.1.2.3";
	assert_true(one(list, "10.2.0.1", NULL));
	assert_false(one(list, "10.1.0.1", NULL));
	assert_true(one(list, "10.1.2.3", NULL));
	assert_false(one(list, "11.0.0.1", NULL));
	/* IPv6 in both halves */
	assert_true(one("fe80::/10 EXCEPT fe80::bad", "fe80::1", NULL));
	assert_false(one("fe80::/10 EXCEPT fe80::bad", "fe80::bad", NULL));
}

static void test_list_splitting(void **state)
{
	void *ctx = talloc_new(NULL);
	const char *toks[] = { "10.0.0.1", "", NULL, "::1" };
	struct hosts_list *l;

	(void)state;
	l = parse_clean(ctx, " 10.0.0.1,10.0.0.2\t10.0.0.3 ,, \n");
	assert_true(peer_matches(l, "10.0.0.1", NULL));
	assert_true(peer_matches(l, "10.0.0.2", NULL));
	assert_true(peer_matches(l, "10.0.0.3", NULL));
	assert_false(peer_matches(l, "10.0.0.4", NULL));

	assert_true(hosts_list_is_empty(parse_clean(ctx, NULL)));
	assert_true(hosts_list_is_empty(parse_clean(ctx, " , \t")));
	assert_true(hosts_list_is_empty(NULL));
	assert_false(peer_matches(NULL, "10.0.0.1", NULL));

	l = hosts_list_from_tokens(ctx, toks, 4, NULL, NULL);
	assert_non_null(l);
	assert_false(hosts_list_is_empty(l));
	assert_true(peer_matches(l, "10.0.0.1", NULL));
	assert_true(peer_matches(l, "::1", NULL));
	assert_false(peer_matches(l, "10.0.0.2", NULL));
	talloc_free(ctx);
}

/* -- malformed entries ------------------------------------------------------- */

static void test_malformed_entries(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "300.1.1.1", "1.2.3", "10.0.0.0/abc",
		"fe80::/129", "1.2.3.4/255.0.255.300", "[::1", "::gg",
		"1.2.3.4.", "@netgroup", "bad!host", "10.0.0.0/", "/8",
		"..", ".", "10..1.", "::ffff:1.2.3.4/255.0.0.0",
		"1.2.3.4/ffff::", "2001:db8::/255.255.0.0", "1234/8",
		"[::1]/", "[]/8", "::ffff:10.0.0.0/64", "a..b", "1.2.3.4/0008",
		"[10.0.0.1", "ho st", "1111.1.1.1", "300.", "host\xff",
	};
	void *ctx = talloc_new(NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diag_log log = { 0 };
		const char *tok[1] = { bad[i] };
		struct hosts_list *l;
		struct hosts_peer p;

		l = hosts_list_from_tokens(ctx, tok, 1, record_diag, &log);
		assert_non_null(l);
		if (log.count != 1)
			fail_msg("'%s': %d diagnostics", bad[i], log.count);
		assert_string_equal(log.last_entry, bad[i]);
		assert_int_equal(hosts_list_invalid_count(l), 1);
		/* still "set": the list fails closed */
		assert_false(hosts_list_is_empty(l));
		hosts_peer_init(&p, "10.0.0.1", "host.example");
		assert_false(hosts_list_match(l, &p));
		assert_false(hosts_access_allowed(l, NULL, &p));
		hosts_peer_init(&p, "fe80::1", NULL);
		assert_false(hosts_list_match(l, &p));
	}
	talloc_free(ctx);
}

static void test_malformed_among_good(void **state)
{
	struct diag_log log = { 0 };
	void *ctx = talloc_new(NULL);
	struct hosts_list *l;

	(void)state;
	l = hosts_list_parse(ctx, "10.0.0.0/99 192.168.1.0/24 nonsense!",
			     record_diag, &log);
	assert_non_null(l);
	assert_int_equal(log.count, 2);
	assert_int_equal(hosts_list_invalid_count(l), 2);
	assert_true(peer_matches(l, "192.168.1.9", NULL));
	assert_false(peer_matches(l, "10.0.0.1", NULL));
	talloc_free(ctx);
}

static void test_except_layout_diagnostics(void **state)
{
	struct diag_log log = { 0 };
	void *ctx = talloc_new(NULL);
	struct hosts_list *l;

	(void)state;
	l = hosts_list_parse(ctx, "EXCEPT 10.0.0.1", record_diag, &log);
	assert_int_equal(log.count, 1);
	assert_false(peer_matches(l, "10.0.0.1", NULL));
	assert_false(peer_matches(l, "10.0.0.2", NULL));

	log.count = 0;
	l = hosts_list_parse(ctx, "10.0.0.0/8 EXCEPT", record_diag, &log);
	assert_int_equal(log.count, 1);
	assert_true(peer_matches(l, "10.0.0.1", NULL));
	talloc_free(ctx);
}

/* Garbage of every shape: never crash, never leak (ASan checks both). */
static void test_garbage_does_not_crash(void **state)
{
	static const char alphabet[] = "0123456789abcdefABCDEF.:/[]%*?@,- "
				       "EXCEPTALLxyz\t!";
	void *ctx = talloc_new(NULL);
	char value[96];
	unsigned int seed = 12345;
	int i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		size_t len = (size_t)(i % 95), j;
		struct hosts_list *l;
		struct hosts_peer p;

		for (j = 0; j < len; j++) {
			seed = seed * 1103515245u + 12345u;
			value[j] = alphabet[(seed >> 16) %
					    (sizeof(alphabet) - 1)];
		}
		value[len] = '\0';
		l = hosts_list_parse(ctx, value, record_diag,
				     &(struct diag_log){ 0 });
		assert_non_null(l);
		hosts_peer_init(&p, value, value);
		(void)hosts_access_allowed(l, l, &p);
		hosts_peer_init(&p, "10.0.0.1", "h.example");
		(void)hosts_access_allowed(l, NULL, &p);
		talloc_free(l);
	}
	talloc_free(ctx);
}

/* -- the allow/deny decision ------------------------------------------------ */

static void test_decision_no_lists(void **state)
{
	(void)state;
	assert_true(allowed(NULL, NULL, "203.0.113.1", NULL));
	assert_true(allowed("", " ", "203.0.113.1", NULL));
	/* no lists: even an unparsable peer gets in (nothing to check) */
	assert_true(allowed(NULL, NULL, "garbage", NULL));
}

static void test_decision_allow_only(void **state)
{
	(void)state;
	assert_true(allowed("10.0.0.0/8", NULL, "10.1.1.1", NULL));
	assert_false(allowed("10.0.0.0/8", NULL, "192.168.1.1", NULL));
	assert_false(allowed("10.0.0.0/8", NULL, "2001:db8::1", NULL));
}

static void test_decision_deny_only(void **state)
{
	(void)state;
	assert_false(allowed(NULL, "10.0.0.0/8", "10.1.1.1", NULL));
	assert_true(allowed(NULL, "10.0.0.0/8", "192.168.1.1", NULL));
	assert_false(allowed(NULL, "ALL", "192.168.1.1", NULL));
}

static void test_decision_both(void **state)
{
	(void)state;
	/* in allow (and in deny): allowed, allow wins */
	assert_true(allowed("10.1.", "10.0.0.0/8", "10.1.2.3", NULL));
	/* not in allow, in deny: denied */
	assert_false(allowed("10.1.", "10.0.0.0/8", "10.2.0.1", NULL));
	/* in neither: allowed */
	assert_true(allowed("10.1.", "10.0.0.0/8", "192.168.0.1", NULL));
	/* the classic "allow a net, deny everything else" */
	assert_true(allowed("192.168.1.", "ALL", "192.168.1.5", NULL));
	assert_false(allowed("192.168.1.", "ALL", "192.168.2.5", NULL));
	assert_false(allowed("192.168.1.", "ALL", "fe80::1", NULL));
	assert_true(allowed("fe80::/10", "ALL", "fe80::1", NULL));
}

static void test_decision_loopback(void **state)
{
	(void)state;
	/* Samba: loopback is allowed unless specifically denied */
	assert_true(allowed("10.0.0.0/8", NULL, "127.0.0.1", NULL));
	assert_true(allowed("10.0.0.0/8", NULL, "::1", NULL));
	assert_true(allowed("10.0.0.0/8", NULL, "::ffff:127.0.0.1", NULL));
	assert_false(allowed(NULL, "127.0.0.1", "127.0.0.1", NULL));
	assert_false(allowed(NULL, "localhost", "::1", NULL));
	assert_false(allowed("10.0.0.0/8", "ALL", "127.0.0.1", NULL));
	/* matching both: allowed */
	assert_true(allowed("127.0.0.1", "ALL", "127.0.0.1", NULL));
	/* only 127.0.0.1 itself is special, not all of 127/8 */
	assert_false(allowed("10.0.0.0/8", NULL, "127.0.0.2", NULL));
}

static void test_decision_bad_peer(void **state)
{
	(void)state;
	assert_false(allowed("ALL", NULL, "not-an-ip", NULL));
	assert_false(allowed(NULL, "10.0.0.1", "not-an-ip", NULL));
	assert_false(allowed(NULL, "10.0.0.1", NULL, "name"));
}

static void test_decision_names(void **state)
{
	(void)state;
	assert_true(allowed(".corp.example", NULL, "10.0.0.1",
			    "ws1.corp.example"));
	assert_false(allowed(".corp.example", NULL, "10.0.0.1", NULL));
	assert_false(allowed(NULL, "bad.corp.example", "10.0.0.1",
			     "bad.corp.example"));
	assert_true(allowed(NULL, "bad.corp.example", "10.0.0.1",
			    "good.corp.example"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_forms),
		cmocka_unit_test(test_ipv4_exact),
		cmocka_unit_test(test_ipv4_cidr),
		cmocka_unit_test(test_ipv4_netmask),
		cmocka_unit_test(test_ipv4_trailing_dot),
		cmocka_unit_test(test_ipv6_exact),
		cmocka_unit_test(test_ipv6_cidr),
		cmocka_unit_test(test_mapped_ipv4),
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_localhost),
		cmocka_unit_test(test_local_keyword),
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_domain_suffix),
		cmocka_unit_test(test_name_prefix_and_wildcards),
		cmocka_unit_test(test_except),
		cmocka_unit_test(test_list_splitting),
		cmocka_unit_test(test_malformed_entries),
		cmocka_unit_test(test_malformed_among_good),
		cmocka_unit_test(test_except_layout_diagnostics),
		cmocka_unit_test(test_garbage_does_not_crash),
		cmocka_unit_test(test_decision_no_lists),
		cmocka_unit_test(test_decision_allow_only),
		cmocka_unit_test(test_decision_deny_only),
		cmocka_unit_test(test_decision_both),
		cmocka_unit_test(test_decision_loopback),
		cmocka_unit_test(test_decision_bad_peer),
		cmocka_unit_test(test_decision_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
