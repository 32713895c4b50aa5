/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STIR failure codes, reason phrases and verstat values. */

#include <errno.h>
#include <stdio.h>

#include "sip/stir_error.h"

const struct value_string stir_error_names[] = {
	{ STIR_ERR_NONE, "OK" },
	{ STIR_ERR_STALE_DATE, "Stale Date" },
	{ STIR_ERR_USE_IDENTITY, "Use Identity Header" },
	{ STIR_ERR_BAD_IDENTITY_INFO, "Bad Identity Info" },
	/* RFC 8224 §13.2 renamed "Unsupported Certificate" */
	{ STIR_ERR_UNSUPPORTED_CRED, "Unsupported Credential" },
	{ STIR_ERR_INVALID_IDENTITY, "Invalid Identity Header" },
	{ 0, NULL }
};

const struct value_string stir_verstat_names[] = {
	{ STIR_VERSTAT_NO_VALIDATION, "No-TN-Validation" },
	{ STIR_VERSTAT_PASSED, "TN-Validation-Passed" },
	{ STIR_VERSTAT_FAILED, "TN-Validation-Failed" },
	{ 0, NULL }
};

int stir_error_is_valid(int code)
{
	switch (code) {
	case STIR_ERR_STALE_DATE:
	case STIR_ERR_USE_IDENTITY:
	case STIR_ERR_BAD_IDENTITY_INFO:
	case STIR_ERR_UNSUPPORTED_CRED:
	case STIR_ERR_INVALID_IDENTITY:
		return 1;
	default:
		return 0;
	}
}

const char *stir_error_phrase(int code)
{
	if (code != STIR_ERR_NONE && !stir_error_is_valid(code))
		return "Unknown";
	return get_value_string(stir_error_names, code);
}

int stir_reason_format(char *buf, size_t buflen, int code)
{
	int n;

	if (buflen > 0)
		buf[0] = '\0';
	if (!stir_error_is_valid(code))
		return -EINVAL;
	/* RFC 3326 §2: protocol "SIP", cause is the status code, text a
	 * quoted-string; our phrases hold no '"' or '\\' to escape. */
	n = snprintf(buf, buflen, "SIP ;cause=%d;text=\"%s\"", code, stir_error_phrase(code));
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= buflen) {
		if (buflen > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}
