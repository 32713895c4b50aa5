/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: telephone-number canonicalisation (sip/tn.c), which reads
 * From, P-Asserted-Identity and Request-URI values from SIP peers. */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>

#include "src/core/logging.h"
#include "sip/tn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	char out[STIWF_TN_MAX + 1];
	int rc;

	if (!initialised) {
		stiwf_logging_init(NULL);
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		initialised = 1;
	}
	rc = stiwf_tn_normalize((const char *)data, size, out, sizeof(out));
	if (rc < 0) {
		if (out[0] != '\0')
			abort();
		return 0;
	}
	/* digits only, as many as returned */
	if (rc == 0 || rc > STIWF_TN_MAX || strlen(out) != (size_t)rc ||
	    strspn(out, "0123456789") != (size_t)rc)
		abort();
	return 0;
}
