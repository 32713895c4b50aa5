/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of the ISUP codec: decode; what decodes must re-encode and
 * decode again to the same message; segmentation and reassembly of it must
 * not crash.  A message type the codec does not lay out is read as an
 * optional part (isup_msg_decode_unrecognized()), within its octets. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/isup.h"

static struct isup_msg m1, m2, first, sgm, rx1, rx2;
static uint8_t out[8192], out1[8192], out2[8192];

static void quiet_logging(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (stiwf_logging_init(talloc_named_const(NULL, 0, "isup_fuzzer")) < 0)
		abort();
	log_set_category_filter(osmo_stderr_target, DSS7, 0, LOGL_FATAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rc, rc1, rc2;

	quiet_logging();
	rc = isup_msg_decode(&m1, data, size);
	if (rc == -ENOTSUP) {
		rc = isup_msg_decode_unrecognized(&m1, data, size);
		if (rc > (int)size || (rc >= 0 && m1.num_mand))
			abort();
		return 0;
	}
	if (rc < 0)
		return 0;
	if ((size_t)rc > size)
		abort();
	rc = isup_msg_encode(out, sizeof(out), &m1);
	if (rc < 0)
		return 0;
	if (isup_msg_decode(&m2, out, rc) != rc)
		abort();
	if (memcmp(&m1, &m2, sizeof(m1)))
		abort();

	/* segment for the MTP3 limit, then reassemble what was sent */
	if (isup_msg_segment(&m1, ISUP_MTP3_SIF_MAX, &first, &sgm) != 1)
		return 0;
	rc1 = isup_msg_encode(out1, sizeof(out1), &first);
	rc2 = isup_msg_encode(out2, sizeof(out2), &sgm);
	if (rc1 < 0 || rc2 < 0 || rc1 + ISUP_MTP3_ROUTING_LABEL_LEN > ISUP_MTP3_SIF_MAX ||
	    rc2 + ISUP_MTP3_ROUTING_LABEL_LEN > ISUP_MTP3_SIF_MAX)
		abort();
	if (isup_msg_decode(&rx1, out1, rc1) != rc1 || isup_msg_decode(&rx2, out2, rc2) != rc2)
		abort();
	if (!isup_msg_awaits_sgm(&rx1) || isup_msg_reassemble(&rx1, &rx2) < 0)
		abort();
	return 0;
}
