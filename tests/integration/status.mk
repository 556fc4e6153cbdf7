# SPDX-License-Identifier: GPL-2.0-or-later
#
# The status view (ksmbd.control --status). Included from Makefile.am.

# ksmbd.control --status decodes the data path's snapshot (idl/status.idl)
# with the generated decoders. (This belongs with the tool in
# server/tools.mk; it is here because status.mk is included after it.)

# Needs ./server/ksmbd.mountd, ./server/ksmbd.adduser, ./server/ksmbd.control,
# ./kmod/smbd-user and /usr/bin/python3 with python3-smbc (skipped without).
# test_control_user.py: ksmbd.control -l, -c, -d against smbd-user's status
# socket (needs the same programs, no client; imports smbdtest.py).
TESTS += tests/integration/test_status.py tests/integration/test_control_user.py
EXTRA_DIST += tests/integration/test_status.py \
	tests/integration/test_control_user.py
