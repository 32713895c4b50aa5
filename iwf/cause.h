/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file cause.h
 *  SIP status codes <-> ISUP cause values (Q.850), after RFC 3398 §7.2.4.1
 *  and §8.2.6.1 (the tables Q.1912.5 follows with a few differences), with
 *  per-peer overrides: operators disagree on a handful of entries. */

#include <stdbool.h>
#include <stdint.h>

/*! Q.850 cause values used by the defaults below */
enum iwf_q850_cause {
	IWF_CAUSE_UNALLOCATED_NUMBER = 1,
	IWF_CAUSE_NO_ROUTE_TO_NETWORK = 2,
	IWF_CAUSE_NO_ROUTE_TO_DEST = 3,
	IWF_CAUSE_NORMAL_CLEARING = 16,
	IWF_CAUSE_USER_BUSY = 17,
	IWF_CAUSE_NO_USER_RESPONDING = 18,
	IWF_CAUSE_NO_ANSWER = 19,
	IWF_CAUSE_SUBSCRIBER_ABSENT = 20,
	IWF_CAUSE_CALL_REJECTED = 21,
	IWF_CAUSE_NUMBER_CHANGED = 22,
	IWF_CAUSE_REDIRECTION = 23,
	IWF_CAUSE_EXCHANGE_ROUTING_ERROR = 25,
	IWF_CAUSE_NON_SELECTED_USER_CLEARING = 26,
	IWF_CAUSE_DEST_OUT_OF_ORDER = 27,
	IWF_CAUSE_INVALID_NUMBER_FORMAT = 28,
	IWF_CAUSE_FACILITY_REJECTED = 29,
	IWF_CAUSE_NORMAL_UNSPECIFIED = 31,
	IWF_CAUSE_NO_CIRCUIT_AVAILABLE = 34,
	IWF_CAUSE_NETWORK_OUT_OF_ORDER = 38,
	IWF_CAUSE_TEMPORARY_FAILURE = 41,
	IWF_CAUSE_SWITCH_CONGESTION = 42,
	IWF_CAUSE_REQ_CIRCUIT_UNAVAILABLE = 44,
	IWF_CAUSE_RESOURCE_UNAVAILABLE = 47,
	IWF_CAUSE_INCOMING_BARRED_CUG = 55,
	IWF_CAUSE_BEARER_NOT_AUTHORIZED = 57,
	IWF_CAUSE_BEARER_NOT_AVAILABLE = 58,
	IWF_CAUSE_SERVICE_NOT_AVAILABLE = 63,
	IWF_CAUSE_BEARER_NOT_IMPLEMENTED = 65,
	IWF_CAUSE_ONLY_RESTRICTED_DIGITAL = 70,
	IWF_CAUSE_SERVICE_NOT_IMPLEMENTED = 79,
	IWF_CAUSE_USER_NOT_MEMBER_OF_CUG = 87,
	IWF_CAUSE_INCOMPATIBLE_DESTINATION = 88,
	IWF_CAUSE_INVALID_MESSAGE = 95,
	IWF_CAUSE_RECOVERY_ON_TIMER_EXPIRY = 102,
	IWF_CAUSE_PROTOCOL_ERROR = 111,
	IWF_CAUSE_INTERWORKING = 127,
};

#define IWF_CAUSE_MAP_MAX_OVERRIDES 32

/*! A peer's departures from the default tables. */
struct iwf_cause_map {
	unsigned int n_sip_to_isup;
	struct {
		uint16_t sip;
		uint8_t cause;
	} sip_to_isup[IWF_CAUSE_MAP_MAX_OVERRIDES];
	unsigned int n_isup_to_sip;
	struct {
		uint8_t cause;
		uint16_t sip;
	} isup_to_sip[IWF_CAUSE_MAP_MAX_OVERRIDES];
};

/*! ISUP cause for a SIP final response (RFC 3398 §7.2.4.1).
 *  \param[in] map a peer's overrides, or NULL for the defaults
 *  \param[in] status 300..699
 *  \returns the Q.850 cause value (1..127) */
uint8_t iwf_cause_from_sip(const struct iwf_cause_map *map, int status);

/*! May an exchange that gets REL with \a cause before the answer offer the
 *  same IAM again, on another route (perhaps through another IWF of ours)?
 *  Q.850 §2.2.7 class 010 "resource unavailable": 34, 38, 41, 42, 44, 47.
 *  The fault lies with the resources of this route, not with the called
 *  party or the call itself, which is when Q.764 exchanges try an
 *  alternative route; 39, 40, 43 and 46 of the class are not about this
 *  route's resources.  A REL 21 (refused) or 1..31 (the called side) is
 *  final. */
bool iwf_cause_reroutable(uint8_t cause);

/*! SIP final response for an ISUP cause (RFC 3398 §8.2.6.1).
 *  \param[in] map a peer's overrides, or NULL for the defaults
 *  \param[in] cause Q.850 cause value
 *  \returns the SIP status code (4xx..6xx) */
int iwf_sip_from_cause(const struct iwf_cause_map *map, uint8_t cause);

/*! The RFC 3261 reason phrase for a SIP status, or "Unknown". */
const char *iwf_sip_reason_phrase(int status);

/*! Add or replace an override.  \returns 0, -ENOSPC, -EINVAL */
int iwf_cause_map_set_sip_to_isup(struct iwf_cause_map *map, int status, int cause);
int iwf_cause_map_set_isup_to_sip(struct iwf_cause_map *map, int cause, int status);
