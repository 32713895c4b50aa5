/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sip_call.h
 *  One SIP call leg of the B2BUA, in either direction, behind an API that
 *  names no Sofia-SIP type, so that the IWF call layer (iwf/) drives SIP
 *  without including Sofia headers (docs/STYLE.md, rooms).
 *
 *  Ownership: a struct sip_call belongs to the SIP agent, which frees it
 *  once Sofia has closed every transaction of the leg.  The owner (the IWF
 *  call, or the test owner of stiwfd) learns of the end through exactly one
 *  terminal callback, failed() or released(), and must drop its pointer
 *  there.  After the owner itself ends the leg (sip_call_reject(),
 *  sip_call_release()) no callback reaches it any more.
 *
 *  Timers: INVITE client/server transactions, retransmissions and the
 *  wait for ACK are Sofia's (RFC 3261 §17, timers A-K, 32 s for timer B/H);
 *  session timers (RFC 4028) use nua's defaults: we advertise "timer" and
 *  honour a peer's Session-Expires, nua refreshes or sends BYE when the
 *  session expires, which reaches the owner as released(). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <osmocom/core/utils.h>

#include "sip/divert.h"

struct stiwf_sip_agent;
struct sip_call;

/*! Most Identity header values kept per request (RFC 8224 §4 allows
 *  several, e.g. a "shaken" and a "div" PASSporT, RFC 8946). */
#define SIP_CALL_IDENTITY_MAX	4
/*! Longest user part (a telephone number or a user name), octets. */
#define SIP_CALL_USER_MAX	64
/*! Longest host part, octets. */
#define SIP_CALL_HOST_MAX	128
/*! Longest URI as text, octets. */
#define SIP_CALL_URI_MAX	256
/*! Longest display name, octets. */
#define SIP_CALL_DISPLAY_MAX	64
/*! Longest Call-ID, octets. */
#define SIP_CALL_CALLID_MAX	128
/*! Longest SDP body, octets. */
#define SIP_CALL_SDP_MAX	8192
/*! Longest Reason or Warning header value we send or keep, octets. */
#define SIP_CALL_REASON_MAX	256

enum sip_call_dir {
	SIP_CALL_DIR_IN,	/*!< INVITE received: SIP -> ISUP */
	SIP_CALL_DIR_OUT,	/*!< INVITE sent: ISUP -> SIP */
};
extern const struct value_string sip_call_dir_names[];

enum sip_call_state {
	SIP_CALL_ST_INIT,	/*!< INVITE received, or being sent */
	SIP_CALL_ST_EARLY,	/*!< 180/183 sent or received */
	SIP_CALL_ST_ANSWERED,	/*!< 200 sent, ACK not yet received */
	SIP_CALL_ST_CONFIRMED,	/*!< 200 and ACK: the dialog is up */
	SIP_CALL_ST_RELEASING,	/*!< BYE, CANCEL or final error under way */
	SIP_CALL_ST_TERMINATED,	/*!< done, about to be freed */
};
extern const struct value_string sip_call_state_names[];

/*! Why a leg ended, as told to released(). */
enum sip_call_release_cause {
	SIP_CALL_REL_BYE,	/*!< the peer sent BYE */
	SIP_CALL_REL_CANCEL,	/*!< the peer CANCELled the INVITE (we sent 487) */
	SIP_CALL_REL_ERROR,	/*!< session lost: timeout, transport error, no ACK */
	SIP_CALL_REL_SHUTDOWN,	/*!< stiwfd is stopping */
	SIP_CALL_REL_ADMIN,	/*!< cleared from the VTY (clear sip call) */
};
extern const struct value_string sip_call_release_cause_names[];

/*! Privacy header values (RFC 3323 §4.2, RFC 3325 §9.3), as a bit mask. */
enum sip_call_privacy {
	SIP_CALL_PRIV_NONE = 1 << 0,
	SIP_CALL_PRIV_HEADER = 1 << 1,
	SIP_CALL_PRIV_SESSION = 1 << 2,
	SIP_CALL_PRIV_USER = 1 << 3,
	SIP_CALL_PRIV_ID = 1 << 4,
	SIP_CALL_PRIV_CRITICAL = 1 << 5,
};

/*! A name-addr as received: From, To or P-Asserted-Identity. */
struct sip_call_addr {
	bool present;
	char display[SIP_CALL_DISPLAY_MAX];	/*!< without quotes; "" if none */
	char uri[SIP_CALL_URI_MAX];		/*!< the whole URI, e.g. "tel:+1202..." */
	char scheme[8];				/*!< "sip", "sips" or "tel" */
	char user[SIP_CALL_USER_MAX];		/*!< user part; the number of a tel URI */
	char host[SIP_CALL_HOST_MAX];		/*!< "" for tel */
};

/*! What the IWF needs of an incoming INVITE, extracted and bounded. Numbers
 *  are as received; the IWF normalises them with sip/tn.h. */
/*! Headers a proxy in front of stiwfd sets (sip_call_info_trust_headers()):
 *  at most this many names, each value up to this long */
#define SIP_CALL_TRUSTED_HDR_MAX	4
#define SIP_CALL_TRUSTED_NAME_MAX	32
#define SIP_CALL_TRUSTED_VALUE_MAX	64

/*! A header named by sip_call_info_trust_headers(), as received.  Whose
 *  it is, and whether to believe it, is for the owner to say (only from
 *  the proxy's address). */
struct sip_call_trusted_hdr {
	char name[SIP_CALL_TRUSTED_NAME_MAX + 1];
	char value[SIP_CALL_TRUSTED_VALUE_MAX + 1];
	/*! the header came more than once, or with a value too long or
	 *  empty: it names nobody */
	bool invalid;
};

struct sip_call_info {
	char call_id[SIP_CALL_CALLID_MAX];
	char ruri_user[SIP_CALL_USER_MAX];	/*!< Request-URI user: the called number */
	char ruri_host[SIP_CALL_HOST_MAX];
	struct sip_call_addr from;
	struct sip_call_addr to;
	/*! the first tel or sip/sips URI of P-Asserted-Identity (RFC 3325 §9.1) */
	struct sip_call_addr pai;
	unsigned int privacy;			/*!< enum sip_call_privacy bits */
	/*! Identity header values in the order received (RFC 8224 §4) */
	unsigned int n_identity;
	char *identity[SIP_CALL_IDENTITY_MAX];
	/*! Identity headers beyond SIP_CALL_IDENTITY_MAX, ignored */
	unsigned int n_identity_dropped;
	bool has_date;
	time_t date;				/*!< Date header, Unix time (RFC 8224 §4.1) */
	int max_forwards;			/*!< -1 when absent */
	char *sdp;				/*!< the SDP offer, NUL-terminated, or NULL */
	size_t sdp_len;
	char peer_addr[48];			/*!< numeric source address */
	uint16_t peer_port;
	/*! arrived on a connection (TCP or TLS), not in a UDP datagram;
	 *  with no plain TCP listener (sip_agent_tls_only_stream()) that
	 *  means TLS, its certificate verified by Sofia */
	bool stream;
	/*! Diversion (RFC 5806), else History-Info (RFC 7044): the call's
	 *  forwarding history (sip/divert.h); a malformed one is ignored with
	 *  a log line naming the field */
	struct sip_divert divert;
	/*! the headers of sip_call_info_trust_headers() that came */
	struct sip_call_trusted_hdr trusted[SIP_CALL_TRUSTED_HDR_MAX];
	unsigned int n_trusted;
};

/*! The names of the headers a proxy sets that are to be collected into
 *  sip_call_info.trusted (case-insensitive, at most
 *  SIP_CALL_TRUSTED_HDR_MAX, copied).  Call before the agent starts.
 *  \returns 0, -EINVAL (too many, too long) */
int sip_call_info_trust_headers(const char *const *names, unsigned int n);

/*! The value of trusted header \a name in \a info, or NULL when it did not
 *  come or came invalid. */
const char *sip_call_info_trusted(const struct sip_call_info *info, const char *name);

/*! How an owner learns what happens on SIP.  Every member may be NULL. */
struct sip_call_ops {
	/*! A new INVITE.  Return 0 to take the call: the owner must then
	 *  answer or reject it, and may attach its state with
	 *  sip_call_set_priv().  A negative return declines it; the agent then
	 *  answers 501 "no call routing is configured".  info is valid only
	 *  during the call; copy what you keep. */
	int (*incoming)(struct sip_call *call, const struct sip_call_info *info, void *agent_priv);
	/*! Outgoing leg: 180/183, sdp the early media answer or NULL. */
	void (*progress)(struct sip_call *call, int status, const char *sdp, void *priv);
	/*! Outgoing leg: 200 received (nua has ACKed it); incoming leg: the
	 *  ACK to our 200 arrived.  sdp: the answer (outgoing) or NULL. */
	void (*connected)(struct sip_call *call, const char *sdp, void *priv);
	/*! Outgoing leg: a final error response (or a local timeout, 408).
	 *  reason: the Reason header value (RFC 3326) or NULL.  Terminal. */
	void (*failed)(struct sip_call *call, int status, const char *phrase, const char *reason,
		       void *priv);
	/*! The peer or the network ended the leg.  reason: the Reason header
	 *  of the BYE or CANCEL, or NULL.  Terminal. */
	void (*released)(struct sip_call *call, enum sip_call_release_cause cause, const char *reason,
			 void *priv);
	/*! A re-INVITE held (true) or resumed (false) the streams, and was
	 *  answered 200 with the mirrored directions (RFC 3264 §8.4). */
	void (*hold)(struct sip_call *call, bool held, void *priv);
};

/*! Parameters of an outgoing INVITE (ISUP -> SIP). */
struct sip_call_out_params {
	const char *peer_uri;		/*!< "sip:host[:port][;transport=...]" */
	const char *called;		/*!< Request-URI and To user part */
	/*! P-Asserted-Identity number; "+" for E.164.  NULL: no number to
	 *  assert (no P-Asserted-Identity; From anonymous unless from_user) */
	const char *calling;
	const char *from_user;		/*!< From user part; NULL: calling */
	const char *display;		/*!< From display name or NULL */
	/*! presentation restricted: Privacy: id and an anonymous From
	 *  (RFC 3323 §4.1.1.3, RFC 3325 §9.3) */
	bool restricted;
	/*! verstat for P-Asserted-Identity, e.g. "TN-Validation-Passed"
	 *  (3GPP TS 24.229 §7.2A.20), or NULL */
	const char *verstat;
	/*! Identity header values, pre-formatted by the STI-AS */
	const char *identity[SIP_CALL_IDENTITY_MAX];
	unsigned int n_identity;
	const char *sdp;		/*!< the SDP offer (the trunk's template) */
	/*! Diversion header value of a forwarded call (sip_diversion_format()),
	 *  or NULL */
	const char *diversion;
};

/*! Register the owner of calls: ops for both directions, agent_priv for
 *  incoming().  ops NULL: every INVITE gets 501. */
void sip_agent_set_call_ops(struct stiwf_sip_agent *agent, const struct sip_call_ops *ops,
			    void *agent_priv);

/*! Attach the owner's state to a leg; callbacks get it as priv. */
void sip_call_set_priv(struct sip_call *call, void *priv);

/*! Incoming leg: send 180 or 183 (status), with an SDP body or none.
 *  \returns 0, -EINVAL (status or SDP), -EBUSY (not in a state to ring) */
int sip_call_ring(struct sip_call *call, int status, const char *sdp);

/*! Incoming leg: send 200 with the SDP answer.
 *  \returns 0, -EINVAL, -EBUSY */
int sip_call_answer(struct sip_call *call, const char *sdp);

/*! Incoming leg before the 200: final error response.
 *  \param status 300..699
 *  \param phrase reason phrase; NULL: the standard one
 *  \param reason value of a Reason header (RFC 3326) or NULL, e.g.
 *         "SIP ;cause=438;text=\"Invalid Identity Header\""
 *  \returns 0, -EINVAL, -EBUSY.  No further callback. */
int sip_call_reject(struct sip_call *call, int status, const char *phrase, const char *reason);

/*! End a leg whatever its state: BYE once answered, CANCEL for an
 *  outgoing leg not yet answered, 480 for an incoming one not answered.
 *  \param reason Reason header value (RFC 3326), e.g. "Q.850;cause=16", or NULL
 *  \returns 0, -EINVAL, -EALREADY.  No further callback. */
int sip_call_release(struct sip_call *call, const char *reason);

/*! End a leg as sip_call_release() does with "Q.850;cause=16", and tell
 *  its owner through released(SIP_CALL_REL_ADMIN): the VTY's "clear sip
 *  call", which acts behind the owner's back.
 *  \returns 0, -EALREADY */
int sip_call_clear(struct sip_call *call);

/*! Send an INVITE (ISUP -> SIP).
 *  \returns the leg or NULL (-errno in *err: -EINVAL for a bad parameter,
 *  -ENOMEM, -ENOTCONN when the agent is not running) */
struct sip_call *sip_call_place(struct stiwf_sip_agent *agent, const struct sip_call_out_params *p,
				void *priv, int *err);

/*! The INVITE that sip_call_place() would send for \a p, as text: built
 *  as a Sofia message with the headers nua adds (Via, Max-Forwards, From
 *  tag, CSeq, Contact) and serialized.  For measuring the daemon's work
 *  per outgoing call (stiwf bench) and for tests.
 *  \param[in] call_id the Call-ID (also the From tag and branch)
 *  \returns length written (NUL-terminated), -EINVAL, -ENOMEM, -ENOSPC */
int sip_call_invite_encode(char *buf, size_t size, const struct sip_call_out_params *p, const char *call_id);

/*! An INVITE received as text, parsed with Sofia's SIP parser as nta parses
 *  what arrives, then reduced to what the IWF needs as an incoming call's
 *  info is (the same checks; no source address).
 *  \param[in] ctx talloc parent of the Identity values and SDP in \a info
 *  \param[out] status the SIP status a refusal would answer, or 0
 *  \returns 0, -EBADMSG (refused, *status says why), -ENOMEM */
int sip_call_info_parse(void *ctx, struct sip_call_info *info, const char *text, size_t len, int *status);

enum sip_call_dir sip_call_dir(const struct sip_call *call);
enum sip_call_state sip_call_state(const struct sip_call *call);
const char *sip_call_get_id(const struct sip_call *call);
/*! Find a live leg by its Call-ID. \returns the leg or NULL */
struct sip_call *sip_call_find(struct stiwf_sip_agent *agent, const char *call_id);

/*! Install "show sip calls" and "clear sip call CALL-ID". */
void sip_call_vty_init(void);
