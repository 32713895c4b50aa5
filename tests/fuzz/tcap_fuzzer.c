/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of the TCAP codec (ss7/tcap.c): decode; what decodes must
 * re-encode and decode to the same message; inserting the signature
 * EXTERNAL and stripping it must give back the input octet for octet. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/tcap.h"
#include "tests/ss7/tcap_util.h"

static struct tcap_msg m1, m2, m3;
static uint8_t out[8192], ins[8192], back[8192];
static const uint8_t token[] = "\x01\x01\x0d\x01 token";

static void quiet_logging(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (stiwf_logging_init(talloc_named_const(NULL, 0, "tcap_fuzzer")) < 0)
		abort();
	log_set_category_filter(osmo_stderr_target, DSS7, 0, LOGL_FATAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rc, n;

	quiet_logging();
	rc = tcap_msg_decode(&m1, data, size);
	if (rc < 0)
		return 0;
	if ((size_t)rc != size)
		abort();
	rc = tcap_msg_encode(out, sizeof(out), &m1);
	if (rc < 0)
		abort();
	if (tcap_msg_decode(&m2, out, rc) != rc || !tcap_msg_same(&m1, &m2))
		abort();

	n = tcap_userinfo_insert(ins, sizeof(ins), data, size, (const uint8_t *)TCAP_STIWF_SIG_OID,
				 TCAP_STIWF_SIG_OID_LEN, token, sizeof(token) - 1);
	if (n < 0)
		return 0;
	if (tcap_msg_decode(&m3, ins, n) != n || m3.num_userinfo != m1.num_userinfo + 1 ||
	    !tcap_slice_same(&m3.components, &m1.components))
		abort();
	rc = tcap_userinfo_strip(back, sizeof(back), ins, n, (const uint8_t *)TCAP_STIWF_SIG_OID,
				 TCAP_STIWF_SIG_OID_LEN);
	if (rc != (int)size || memcmp(back, data, size))
		abort();
	return 0;
}
