/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of the MAP field extraction (ss7/gsm_map.c): the input as a
 * TCAP message whose components go through the extraction, and as an
 * operation code octet (bit 8: a result) followed by a parameter. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/gsm_map.h"
#include "ss7/tcap.h"

static struct tcap_msg msg;
static struct gsm_map_info info;

static void quiet_logging(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (stiwf_logging_init(talloc_named_const(NULL, 0, "gsm_map_fuzzer")) < 0)
		abort();
	log_set_category_filter(osmo_stderr_target, DSS7, 0, LOGL_FATAL);
}

/* what screening reads is digits, bounded */
static void check(const struct gsm_map_info *i)
{
	unsigned int r;

	if (strlen(i->imsi) > GSM_MAP_IMSI_MAX_DIGITS ||
	    strspn(i->imsi, "0123456789") != strlen(i->imsi) || (i->has_imsi && !i->imsi[0]))
		abort();
	for (r = 0; r < _NUM_GSM_MAP_ADDR; r++) {
		if (strlen(i->addr[r].digits) > GSM_MAP_ADDR_MAX_DIGITS ||
		    strspn(i->addr[r].digits, "0123456789*#abc") != strlen(i->addr[r].digits))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int i;

	quiet_logging();
	if (tcap_msg_decode(&msg, data, size) >= 0) {
		for (i = 0; i < msg.num_components; i++) {
			if (gsm_map_component_decode(&info, &msg, &msg.comp[i]) == 0)
				check(&info);
		}
	}
	if (size >= 1) {
		int rc;

		if (data[0] & 0x80)
			rc = gsm_map_res_decode(&info, data[0] & 0x7f, data + 1, size - 1);
		else
			rc = gsm_map_arg_decode(&info, data[0], data + 1, size - 1);
		if (rc == 0)
			check(&info);
		else if (rc != -EBADMSG && rc != -ENOTSUP)
			abort();
	}
	return 0;
}
