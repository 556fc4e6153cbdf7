# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tree-connect policy and hosts allow/deny matching (server/policy.[ch],
# server/hosts.[ch]). Included from Makefile.am after UNIT_TESTS is defined.
#
# The daemon links the library code by adding $(POLICY_SOURCES) to its
# _SOURCES and $(TALLOC_CFLAGS) / $(TALLOC_LIBS) to its flags.

POLICY_SOURCES = \
	server/hosts.c \
	server/hosts.h \
	server/policy.c \
	server/policy.h

UNIT_TESTS += tests/unit/test_hosts tests/unit/test_policy

tests_unit_test_hosts_SOURCES = tests/unit/test_hosts.c \
	server/hosts.c server/hosts.h
tests_unit_test_hosts_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS)
tests_unit_test_hosts_LDADD = $(CMOCKA_LIBS) $(TALLOC_LIBS)

tests_unit_test_policy_SOURCES = tests/unit/test_policy.c $(POLICY_SOURCES)
tests_unit_test_policy_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS)
tests_unit_test_policy_LDADD = $(CMOCKA_LIBS) $(TALLOC_LIBS)
