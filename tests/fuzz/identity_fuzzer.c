/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: the Identity header value parser (sip/identity.c). */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>

#include "src/core/logging.h"
#include "sip/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct identity_hdr ih;
	const char *buf = (const char *)data;

	if (!initialised) {
		stiwf_logging_init(NULL);
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		initialised = 1;
	}
	if (identity_hdr_parse(&ih, buf, size) < 0)
		return 0;
	/* every slice lies inside the input */
	if (!ih.token.ptr || !ih.info.ptr ||
	    ih.token.ptr < buf || ih.token.len > size || (size_t)(ih.token.ptr - buf) > size - ih.token.len ||
	    ih.info.ptr < buf || ih.info.len > size || (size_t)(ih.info.ptr - buf) > size - ih.info.len)
		abort();
	if (ih.alg.ptr && (ih.alg.ptr < buf || (size_t)(ih.alg.ptr - buf) > size - ih.alg.len))
		abort();
	if (ih.ppt.ptr && (ih.ppt.ptr < buf || (size_t)(ih.ppt.ptr - buf) > size - ih.ppt.len))
		abort();
	(void)stir_slice_eq(&ih.ppt, "shaken");
	(void)stir_slice_eq(&ih.alg, "ES256");
	return 0;
}
