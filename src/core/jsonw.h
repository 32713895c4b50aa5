/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file jsonw.h
 *  A bounded writer of one compact JSON object into a caller's buffer:
 *  for the call-log line and the PASSporT's canonical JSON (sip/passport.c),
 *  both built on every call, where a jansson tree and json_dumps() cost far
 *  more than the text itself.  The output is byte
 *  for byte what json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) prints
 *  for the same members set in the same order (no spaces, strings
 *  escaped as jansson escapes them by default: '"' and '\\', \b \f \n \r
 *  \t, other control characters as \u00XX with upper-case hex digits;
 *  '/' and DEL as they are; valid UTF-8 passed through).
 *
 *	char buf[512];
 *	struct jsonw w;
 *
 *	jsonw_init(&w, buf, sizeof(buf));
 *	jsonw_open(&w, NULL);
 *	jsonw_int(&w, "call", id);
 *	jsonw_str(&w, "call_id", call_id);
 *	jsonw_open(&w, "sip_in");
 *	jsonw_bool(&w, "passport", true);
 *	jsonw_close(&w);
 *	jsonw_close(&w);
 *	if (jsonw_end(&w) < 0)
 *		... did not fit: buf holds "" ...
 *
 *  Keys are the caller's own literals and are written as they are: they
 *  must need no escaping.  Nothing is ever written past buf[size - 1];
 *  once a member does not fit the writer stops and jsonw_end() says so. */

#include <stdbool.h>
#include <stddef.h>

struct jsonw {
	char *buf;
	size_t size;
	size_t len;		/* buf[0..len) written, buf[len] is '\0' */
	bool comma;		/* the next member needs a ',' before it */
	bool full;		/* something did not fit: nothing more is written */
};

/*! The worst case of jsonw_str() for a string of \a n bytes: every byte a
 *  control character (\u00XX), and the two quotes */
#define JSONW_STR_MAX(n)	(6 * (n) + 2)

/*! Write into buf[0..size) from its start (\a size at least 1) */
void jsonw_init(struct jsonw *w, char *buf, size_t size);
/*! Open an object: the top one (\a key NULL) or a member \a key */
void jsonw_open(struct jsonw *w, const char *key);
/*! Close the innermost object */
void jsonw_close(struct jsonw *w);
/*! Open an array: a member \a key, or an element of an array (NULL) */
void jsonw_array_open(struct jsonw *w, const char *key);
/*! Close the innermost array */
void jsonw_array_close(struct jsonw *w);
/*! Member \a key: the string \a s escaped; null when \a s is NULL or is
 *  not valid UTF-8 (json_string() refuses such a string).  Inside an
 *  array \a key is NULL, for jsonw_strn() and the others alike. */
void jsonw_str(struct jsonw *w, const char *key, const char *s);
/*! jsonw_str() of the \a n bytes at \a s (no NUL among them) */
void jsonw_strn(struct jsonw *w, const char *key, const char *s, size_t n);
/*! \returns whether s[0..n) is valid UTF-8 (RFC 3629), as jansson checks
 *  it: for a caller that must refuse, not null, such a string */
bool jsonw_utf8_valid(const char *s, size_t n);
/*! Member \a key: the integer \a v */
void jsonw_int(struct jsonw *w, const char *key, long long v);
/*! Member \a key: true or false */
void jsonw_bool(struct jsonw *w, const char *key, bool v);
/*! Member \a key: null */
void jsonw_null(struct jsonw *w, const char *key);
/*! Member \a key: \a json, JSON text the caller made, inserted as it is */
void jsonw_raw(struct jsonw *w, const char *key, const char *json);
/*! \returns the length of the text in buf, or -ENOSPC when something did
 *  not fit (buf then holds "") */
int jsonw_end(struct jsonw *w);
