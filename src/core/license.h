/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file license.h
 *  The licence notice that "stiwfd --version", "stiwf version" and the VTY
 *  ("show version", the telnet greeting) print after the version, as GNU
 *  programs and the Osmocom network elements do.  \a nl ends each line:
 *  "\n" on a terminal, "\r\n" on the VTY. */

#define STIWF_LICENSE_NOTICE(nl) \
	"License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl-3.0.html>" nl \
	"This is free software: you are free to change and redistribute it." nl \
	"There is NO WARRANTY, to the extent permitted by law." nl
