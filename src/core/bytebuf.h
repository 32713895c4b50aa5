/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file bytebuf.h
 *  Bounded reading and writing of octet strings: a reader over
 *  buf[0..len) and a writer into out[0..size), each with its position.
 *  The habits of docs/STYLE.md "Decoders" in one place: every get checks
 *  what is left before it reads and every put checks the room before it
 *  writes; a get that fails clears its output and consumes nothing, a put
 *  that fails writes nothing; neither ever moves past the end.
 *
 *	struct bytebuf_rd r;
 *	uint8_t type;
 *	const uint8_t *v;
 *	size_t vlen;
 *
 *	bytebuf_rd_init(&r, buf, len);
 *	while (bytebuf_left(&r)) {
 *		if (bytebuf_get_u8(&r, &type) < 0 || bytebuf_get_lv(&r, &v, &vlen) < 0)
 *			return -EBADMSG;
 *		...
 *	}
 *
 *  Integers are big-endian (network order); a length-value (lv) is a
 *  1-octet length followed by that many octets, a TLV a type octet and
 *  an lv.  Gets return 0 or -EBADMSG (too few octets left), puts 0,
 *  -ENOSPC (too little room) or -EINVAL (a value an lv cannot carry). */

#include <stddef.h>
#include <stdint.h>

/*! A reader: octets ptr[pos..len) are still to be read */
struct bytebuf_rd {
	const uint8_t *ptr;
	size_t len;
	size_t pos;
};

/*! A writer: octets ptr[0..pos) are written, ptr[pos..len) is the room */
struct bytebuf_wr {
	uint8_t *ptr;
	size_t len;
	size_t pos;
};

/*! Read buf[0..len) from its start */
void bytebuf_rd_init(struct bytebuf_rd *r, const uint8_t *buf, size_t len);
/*! Write into out[0..size) from its start */
void bytebuf_wr_init(struct bytebuf_wr *w, uint8_t *out, size_t size);

/*! \returns the octets still to be read */
size_t bytebuf_left(const struct bytebuf_rd *r);
/*! \returns the octets that can still be written */
size_t bytebuf_room(const struct bytebuf_wr *w);

/*! \returns 0 or -EBADMSG */
int bytebuf_get_u8(struct bytebuf_rd *r, uint8_t *v);
/*! \returns 0 or -EBADMSG */
int bytebuf_get_u16be(struct bytebuf_rd *r, uint16_t *v);
/*! \returns 0 or -EBADMSG */
int bytebuf_get_u32be(struct bytebuf_rd *r, uint32_t *v);
/*! Copy the next \a n octets to \a out.
 *  \returns 0 or -EBADMSG (then \a out is zeroed) */
int bytebuf_get_bytes(struct bytebuf_rd *r, void *out, size_t n);
/*! The next \a n octets in place: *\a p points into the reader's buffer.
 *  \returns 0 or -EBADMSG (then *\a p is NULL) */
int bytebuf_get_ptr(struct bytebuf_rd *r, const uint8_t **p, size_t n);
/*! A 1-octet length and that many octets, in place.
 *  \returns 0 or -EBADMSG (the length octet is not consumed either) */
int bytebuf_get_lv(struct bytebuf_rd *r, const uint8_t **v, size_t *vlen);

/*! \returns 0 or -ENOSPC */
int bytebuf_put_u8(struct bytebuf_wr *w, uint8_t v);
/*! \returns 0 or -ENOSPC */
int bytebuf_put_u16be(struct bytebuf_wr *w, uint16_t v);
/*! \returns 0 or -ENOSPC */
int bytebuf_put_u32be(struct bytebuf_wr *w, uint32_t v);
/*! \returns 0 or -ENOSPC */
int bytebuf_put_bytes(struct bytebuf_wr *w, const void *v, size_t n);
/*! A 1-octet length \a n and the \a n octets of \a v.
 *  \returns 0, -EINVAL (\a n above 255) or -ENOSPC */
int bytebuf_put_lv(struct bytebuf_wr *w, const void *v, size_t n);
/*! A type octet, a 1-octet length \a n and the \a n octets of \a v.
 *  \returns 0, -EINVAL (\a n above 255) or -ENOSPC */
int bytebuf_put_tlv(struct bytebuf_wr *w, uint8_t type, const void *v, size_t n);
/*! The octets that the \a n hex digits (either case) of \a hex stand for.
 *  \returns 0, -EINVAL (\a n odd, or a character that is no hex digit) or
 *  -ENOSPC; nothing is written unless all of it is */
int bytebuf_put_hex(struct bytebuf_wr *w, const char *hex, size_t n);
