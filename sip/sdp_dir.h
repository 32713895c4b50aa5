/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stream directions of an SDP offer and answer (RFC 3264 §5.1, §6.1, §8.4):
 * what a hold or resume re-INVITE changes, and the answer to it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*! Streams whose direction a re-INVITE may change; an SDP with more is
 *  compared as opaque text. */
#define SDP_DIR_MEDIA_MAX 8

/*! An SDP as a later offer is compared with it. */
struct sdp_dir_shape {
	/*! SHA-256 of the session printed with every stream sendrecv and
	 *  origin version 0 (parsed), or of the text as it came (not parsed) */
	uint8_t digest[32];
	/*! direction of stream i in bits 2i..2i+1: 0 inactive, 1 sendonly,
	 *  2 recvonly, 3 sendrecv (Sofia's sdp_mode_t) */
	uint16_t modes;
	uint8_t n_media;
	bool parsed;	/*!< false: an m= line off the grammar, Sofia's parser refused it, or too many streams */
};

/*! Whether an SDP of len octets is made of "<a-z>=value" lines whose m=
 *  lines are in RFC 8866 grammar (tokens separated by single SP or "/"),
 *  and holds no NUL: an SDP that is not is never given to Sofia-SIP's
 *  parser, which does not end on some such format lists. */
bool sdp_dir_media_lines_ok(const char *sdp, size_t len);

/*! Shape of an SDP of len octets (need not be NUL-terminated).
 *  \returns 0, -EINVAL (empty or over 8 kB), -EIO (digest) */
int sdp_dir_shape(const char *sdp, size_t len, struct sdp_dir_shape *out);

/*! Whether two shapes differ only in the directions of their streams. */
bool sdp_dir_same_but_modes(const struct sdp_dir_shape *a, const struct sdp_dir_shape *b);

/*! The answer to an offer that changed directions only: \a base (our
 *  first answer, or our offer on an outgoing leg) with each stream's
 *  direction the mirror of the offer's (sendonly -> recvonly, ...) within
 *  what the base allows, and origin version base + \a bump.
 *  \returns the SDP allocated under ctx, or NULL (base unparsable, or its
 *  streams do not pair with the offer's) */
char *sdp_dir_answer(void *ctx, const char *base, const struct sdp_dir_shape *offer, unsigned int bump);

/*! Whether the offerer of \a s holds a stream: offers not to receive on
 *  it (sendonly or inactive, RFC 3264 §8.4). */
bool sdp_dir_on_hold(const struct sdp_dir_shape *s);

/*! "inactive", "sendonly", "recvonly", "sendrecv" */
const char *sdp_dir_mode_name(unsigned int mode);

/*! The directions of a shape as text, "sendonly,sendrecv", into buf. */
const char *sdp_dir_modes_str(const struct sdp_dir_shape *s, char *buf, size_t len);
