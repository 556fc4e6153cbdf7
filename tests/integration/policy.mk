# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tree connect policy and guest sessions with real clients. Included from Makefile.am.
#
# test_policy.py starts ./server/ksmbd.mountd in user mode with
# ./kmod/smbd-user and checks with smbclient (skipped without it) one
# share per rule: valid users, invalid users, read list, write list,
# hosts allow, guest ok, map to guest, @group and supplementary groups.
# As root it creates (and removes) two unix users and two groups; without
# root the @group and supplementary group cases are skipped.
POLICY_INTEGRATION_TESTS = \
	tests/integration/test_policy.py

TESTS += $(POLICY_INTEGRATION_TESTS)
EXTRA_DIST += $(POLICY_INTEGRATION_TESTS)
