/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of ss7/sigtoken.c: the input is tried as a token and as an
 * ISUP message carrying one.  What decodes must re-encode to a token that
 * decodes to the same thing; a token found in an IAM must survive being
 * put back (segmented as needed) and found again. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "iwf/isup_identity.h"
#include "src/core/logging.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

static struct isup_msg msg;
static struct sigtoken t1, t2;
static uint8_t out[1024];

static void quiet_logging(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (stiwf_logging_init(talloc_named_const(NULL, 0, "sigtoken_fuzzer")) < 0)
		abort();
	log_set_category_filter(osmo_stderr_target, DSS7, 0, LOGL_FATAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigtoken_call call;
	int rc;

	quiet_logging();

	rc = sigtoken_decode(&t1, data, size);
	if (rc >= 0) {
		if ((size_t)rc != size)
			abort();
		rc = sigtoken_encode(out, sizeof(out), &t1);
		if (rc < 0 || sigtoken_decode(&t2, out, rc) != rc || memcmp(&t1, &t2, sizeof(t1)))
			abort();
	} else if (rc != -EBADMSG) {
		abort();
	}

	if (isup_msg_decode(&msg, data, size) < 0 || msg.type != ISUP_MSG_IAM)
		return 0;
	sigtoken_call_from_iam(&call, &msg, "49");
	if (sigtoken_iam_get(&t1, &msg, SIGTOKEN_ACI_DEFAULT) < 0)
		return 0;
	rc = sigtoken_iam_put(&msg, &t1, SIGTOKEN_ACI_DEFAULT);
	if (rc == -EMSGSIZE)
		return 0;
	if (rc < 0 || sigtoken_iam_get(&t2, &msg, SIGTOKEN_ACI_DEFAULT) < 0 || memcmp(&t1, &t2, sizeof(t1)))
		abort();
	return 0;
}
