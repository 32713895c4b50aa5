/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: the SIP Date header parser of the STI-VS
 * (stir_sip_date_parse(), sip/stir_vs.c), which reads the Date header of
 * every INVITE when the peer's Date check is on (RFC 8224 §6.2.1).
 * Whatever it accepts must be a real calendar time that formats back to
 * the same fields (a leap second aside). */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>

#include "src/core/logging.h"
#include "sip/stir_vs.h"

static int num(const char *p, size_t n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*p++ - '0');
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static int initialised;
	char s[128];
	const char *p;
	struct tm tm;
	time_t t = 0;

	if (!initialised) {
		stiwf_logging_init(NULL);
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		initialised = 1;
	}
	/* a header value as Sofia hands it: NUL-terminated */
	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	if (stir_sip_date_parse(s, &t) < 0)
		return 0;
	/* "Www, DD Mmm YYYY HH:MM:SS GMT" after leading white space */
	p = s + strspn(s, " \t");
	/* 23:59:60 is the leap second the parser allows: it reads as the
	 * next second, so compare the date and time up to the minute */
	if (num(p + 23, 2) == 60)
		t -= 1;
	if (!gmtime_r(&t, &tm))
		abort();
	if (tm.tm_mday != num(p + 5, 2) || strncmp(months + 3 * tm.tm_mon, p + 8, 3) ||
	    tm.tm_year + 1900 != num(p + 12, 4) || tm.tm_hour != num(p + 17, 2) ||
	    tm.tm_min != num(p + 20, 2))
		abort();
	return 0;
}
