# SPDX-License-Identifier: GPL-2.0-or-later
"""The IDL compiler: parse -> check -> model -> C back-ends."""
