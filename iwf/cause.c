/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIP <-> ISUP cause mapping (RFC 3398, Q.1912.5). */

#include <errno.h>
#include <stddef.h>

#include "iwf/cause.h"

struct sip_cause {
	uint16_t sip;
	uint8_t cause;
};

/* RFC 3398 §7.2.4.1: SIP response -> ISUP cause.  STIR failures (RFC 8224)
 * are rejections by policy: cause 21 "call rejected". */
static const struct sip_cause sip_to_isup[] = {
	{ 400, 41 }, { 401, 21 }, { 402, 21 }, { 403, 21 }, { 404, 1 }, { 405, 63 },
	{ 406, 79 }, { 407, 21 }, { 408, 102 }, { 410, 22 }, { 413, 127 }, { 414, 127 },
	{ 415, 79 }, { 416, 127 }, { 420, 127 }, { 421, 127 }, { 423, 127 },
	{ 428, 21 }, { 436, 21 }, { 437, 21 }, { 438, 21 },
	{ 480, 18 }, { 481, 127 }, { 482, 25 }, { 483, 25 }, { 484, 28 }, { 485, 1 },
	{ 486, 17 }, { 487, 31 }, { 488, 127 },
	{ 500, 41 }, { 501, 79 }, { 502, 38 }, { 503, 41 }, { 504, 102 }, { 505, 127 },
	{ 513, 127 },
	{ 600, 17 }, { 603, 21 }, { 604, 1 }, { 606, 58 },
};

/* RFC 3398 §8.2.6.1: ISUP cause -> SIP response.  Causes not listed map by
 * their Q.850 class, as the RFC says for "all others". */
static const struct sip_cause isup_to_sip[] = {
	{ 404, 1 }, { 404, 2 }, { 404, 3 }, { 486, 17 }, { 408, 18 }, { 480, 19 },
	{ 480, 20 }, { 403, 21 }, { 410, 22 }, { 410, 23 }, { 404, 26 }, { 502, 27 },
	{ 484, 28 }, { 501, 29 }, { 480, 31 }, { 503, 34 }, { 503, 38 }, { 503, 41 },
	{ 503, 42 }, { 503, 47 }, { 403, 55 }, { 403, 57 }, { 503, 58 }, { 488, 65 },
	{ 488, 70 }, { 501, 79 }, { 403, 87 }, { 503, 88 }, { 504, 102 }, { 500, 111 },
	{ 500, 127 },
};

uint8_t iwf_cause_from_sip(const struct iwf_cause_map *map, int status)
{
	size_t i;

	if (map) {
		for (i = 0; i < map->n_sip_to_isup; i++) {
			if (map->sip_to_isup[i].sip == status)
				return map->sip_to_isup[i].cause;
		}
	}
	for (i = 0; i < sizeof(sip_to_isup) / sizeof(sip_to_isup[0]); i++) {
		if (sip_to_isup[i].sip == status)
			return sip_to_isup[i].cause;
	}
	/* RFC 3398 §7.2.4.1 has no row: fall back by class. */
	if (status >= 600)
		return IWF_CAUSE_CALL_REJECTED;
	if (status >= 500)
		return IWF_CAUSE_TEMPORARY_FAILURE;
	if (status >= 400)
		return IWF_CAUSE_INTERWORKING;
	/* 3xx the IWF did not follow */
	return IWF_CAUSE_REDIRECTION;
}

int iwf_sip_from_cause(const struct iwf_cause_map *map, uint8_t cause)
{
	size_t i;

	if (map) {
		for (i = 0; i < map->n_isup_to_sip; i++) {
			if (map->isup_to_sip[i].cause == cause)
				return map->isup_to_sip[i].sip;
		}
	}
	for (i = 0; i < sizeof(isup_to_sip) / sizeof(isup_to_sip[0]); i++) {
		if (isup_to_sip[i].cause == cause)
			return isup_to_sip[i].sip;
	}
	/* Q.850 classes: 0-31 normal (480), 32-47 resource unavailable (503),
	 * 48-63 service not available (503), 64-79 not implemented (501),
	 * 80-95 invalid message (400), 96-111 protocol error (500),
	 * 112-127 interworking (500). */
	if (cause <= 31)
		return 480;
	if (cause <= 63)
		return 503;
	if (cause <= 79)
		return 501;
	if (cause <= 95)
		return 400;
	return 500;
}

static const struct {
	uint16_t status;
	const char *phrase;
} phrases[] = {
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 402, "Payment Required" },
	{ 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" }, { 407, "Proxy Authentication Required" },
	{ 408, "Request Timeout" }, { 410, "Gone" }, { 413, "Request Entity Too Large" },
	{ 414, "Request-URI Too Long" }, { 415, "Unsupported Media Type" },
	{ 416, "Unsupported URI Scheme" }, { 420, "Bad Extension" },
	{ 421, "Extension Required" }, { 423, "Interval Too Brief" },
	{ 428, "Use Identity Header" }, { 436, "Bad Identity Info" },
	{ 437, "Unsupported Credential" }, { 438, "Invalid Identity Header" },
	{ 480, "Temporarily Unavailable" }, { 481, "Call/Transaction Does Not Exist" },
	{ 482, "Loop Detected" }, { 483, "Too Many Hops" }, { 484, "Address Incomplete" },
	{ 485, "Ambiguous" }, { 486, "Busy Here" }, { 487, "Request Terminated" },
	{ 488, "Not Acceptable Here" }, { 500, "Server Internal Error" },
	{ 501, "Not Implemented" }, { 502, "Bad Gateway" }, { 503, "Service Unavailable" },
	{ 504, "Server Time-out" }, { 505, "Version Not Supported" },
	{ 513, "Message Too Large" }, { 600, "Busy Everywhere" }, { 603, "Decline" },
	{ 604, "Does Not Exist Anywhere" }, { 606, "Not Acceptable" },
};

const char *iwf_sip_reason_phrase(int status)
{
	size_t i;

	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		if (phrases[i].status == status)
			return phrases[i].phrase;
	}
	return "Unknown";
}

int iwf_cause_map_set_sip_to_isup(struct iwf_cause_map *map, int status, int cause)
{
	unsigned int i;

	if (status < 300 || status > 699 || cause < 1 || cause > 127)
		return -EINVAL;
	for (i = 0; i < map->n_sip_to_isup; i++) {
		if (map->sip_to_isup[i].sip == status) {
			map->sip_to_isup[i].cause = (uint8_t)cause;
			return 0;
		}
	}
	if (map->n_sip_to_isup >= IWF_CAUSE_MAP_MAX_OVERRIDES)
		return -ENOSPC;
	map->sip_to_isup[map->n_sip_to_isup].sip = (uint16_t)status;
	map->sip_to_isup[map->n_sip_to_isup].cause = (uint8_t)cause;
	map->n_sip_to_isup++;
	return 0;
}

int iwf_cause_map_set_isup_to_sip(struct iwf_cause_map *map, int cause, int status)
{
	unsigned int i;

	if (status < 400 || status > 699 || cause < 1 || cause > 127)
		return -EINVAL;
	for (i = 0; i < map->n_isup_to_sip; i++) {
		if (map->isup_to_sip[i].cause == cause) {
			map->isup_to_sip[i].sip = (uint16_t)status;
			return 0;
		}
	}
	if (map->n_isup_to_sip >= IWF_CAUSE_MAP_MAX_OVERRIDES)
		return -ENOSPC;
	map->isup_to_sip[map->n_isup_to_sip].cause = (uint8_t)cause;
	map->isup_to_sip[map->n_isup_to_sip].sip = (uint16_t)status;
	map->n_isup_to_sip++;
	return 0;
}

bool iwf_cause_reroutable(uint8_t cause)
{
	switch (cause) {
	case IWF_CAUSE_NO_CIRCUIT_AVAILABLE:
	case IWF_CAUSE_NETWORK_OUT_OF_ORDER:
	case IWF_CAUSE_TEMPORARY_FAILURE:
	case IWF_CAUSE_SWITCH_CONGESTION:
	case IWF_CAUSE_REQ_CIRCUIT_UNAVAILABLE:
	case IWF_CAUSE_RESOURCE_UNAVAILABLE:
		return true;
	default:
		return false;
	}
}
