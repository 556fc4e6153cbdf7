# SPDX-License-Identifier: GPL-2.0-or-later
# ksmbd.conf parser (server/config.c) and its unit test.
# Included from Makefile.am after UNIT_TESTS and EXTRA_DIST are defined.

CONFIG_PARSER = server/config.c server/config.h

UNIT_TESTS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c $(CONFIG_PARSER)
tests_unit_test_config_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/server \
	$(TALLOC_CFLAGS) \
	-DCONF_DATA_DIR='"$(abs_top_srcdir)/tests/unit/data/conf"'
tests_unit_test_config_LDADD = $(CMOCKA_LIBS) $(TALLOC_LIBS)

EXTRA_DIST += \
	tests/unit/data/conf/bad-bool.conf \
	tests/unit/data/conf/defaults.conf \
	tests/unit/data/conf/empty.conf \
	tests/unit/data/conf/full.conf \
	tests/unit/data/conf/unknown.conf
