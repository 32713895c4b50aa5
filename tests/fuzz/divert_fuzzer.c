/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: the Diversion and History-Info parsers (sip/divert.c);
 * what parses is written back and parsed again. */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>

#include "src/core/logging.h"
#include "sip/divert.h"

static void check(const struct sip_divert *d)
{
	struct sip_divert back;
	char buf[512];
	int n;

	if (!d->present)
		return;
	if (!d->orig_called[0] || !d->redirecting[0] || d->counter < 1 || d->counter > SIP_DIVERT_COUNTER_MAX)
		abort();
	n = sip_diversion_format(buf, sizeof(buf), d);
	if (n < 0)
		return;		/* a national number, longer than E.164 */
	memset(&back, 0, sizeof(back));
	if (sip_diversion_parse(&back, buf, n) < 0 || strcmp(back.redirecting, d->redirecting) ||
	    strcmp(back.orig_called, d->orig_called))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct sip_divert d;

	if (!initialised) {
		stiwf_logging_init(NULL);
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		initialised = 1;
	}
	memset(&d, 0, sizeof(d));
	if (sip_diversion_parse(&d, (const char *)data, size) == 0)
		check(&d);
	if (sip_history_info_parse(&d, (const char *)data, size) == 0)
		check(&d);
	return 0;
}
