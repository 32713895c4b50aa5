/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of sip/sip_call_info.c: what an incoming INVITE hands the IWF,
 * from raw SIP parsed by Sofia's own message parser (with the extra header
 * classes stiwfd enables), and the refusals of what we cannot carry. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <CUnit/Basic.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_util.h>
#include <sofia-sip/su_alloc.h>

#include "sip/identity.h"
#include "sip/sip_call_internal.h"
#include "tests/cunit_main.h"

#define ID_SHAKEN "eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln;info=<https://c.example/a.pem>;ppt=shaken"
#define ID_DIV "eyJhbGciOiJFUzI1NiJ9.eyJiIjoxfQ.ZGl2;info=<https://c.example/b.pem>;ppt=div"
#define SDP "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"

static msg_mclass_t *mclass;

/* An INVITE with the given extra header lines (CRLF-terminated) and body,
 * parsed by Sofia; NULL when Sofia's parser refuses it. */
static msg_t *parse(const char *from, const char *ruri, const char *extra, const char *ctype, const char *body)
{
	char buf[40000];
	msg_t *msg;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "INVITE %s SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
		     "%s"
		     "To: <sip:12025550001@192.0.2.2>\r\n"
		     "Call-ID: abc@192.0.2.1\r\n"
		     "CSeq: 1 INVITE\r\n"
		     "%s"
		     "%s%s%s"
		     "Content-Length: %zu\r\n"
		     "\r\n%s",
		     ruri, from, extra, ctype ? "Content-Type: " : "", ctype ? ctype : "", ctype ? "\r\n" : "",
		     body ? strlen(body) : 0, body ? body : "");
	CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(buf));
	msg = msg_make(mclass, 0, buf, n);
	return msg;
}

static int extract(msg_t *msg, struct sip_call_info *info, struct sip_call_reject *rej, void *ctx)
{
	return sip_call_info_extract(ctx, info, msg, sip_object(msg), rej);
}

#define FROM_OK "From: \"Alice\" <sip:+12025550002@192.0.2.1;user=phone>;tag=1\r\n"

static void test_full(void)
{
	struct sip_call_info info;
	struct sip_call_reject rej;
	void *ctx = talloc_new(NULL);
	su_sockaddr_t su;
	msg_t *msg;

	msg = parse(FROM_OK, "sip:12025550001@192.0.2.2;user=phone",
		    "P-Asserted-Identity: \"A\" <sip:+12025550002@192.0.2.1;user=phone>, <tel:+12025550002>\r\n"
		    "Privacy: id; header\r\n"
		    "Identity: " ID_SHAKEN "\r\n"
		    "Max-Forwards: 69\r\n"
		    "Identity: " ID_DIV "\r\n"
		    "Date: Tue, 01 Jun 2021 10:00:00 GMT\r\n", "application/sdp", SDP);
	CU_ASSERT_FATAL(msg != NULL);
	memset(&su, 0, sizeof(su));
	su.su_sin.sin_family = AF_INET;
	su.su_sin.sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.1", &su.su_sin.sin_addr);
	msg_set_address(msg, &su, sizeof(su.su_sin));

	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_STRING_EQUAL(info.call_id, "abc@192.0.2.1");
	CU_ASSERT_STRING_EQUAL(info.ruri_user, "12025550001");
	CU_ASSERT_STRING_EQUAL(info.ruri_host, "192.0.2.2");
	CU_ASSERT_TRUE(info.from.present);
	CU_ASSERT_STRING_EQUAL(info.from.display, "Alice");
	CU_ASSERT_STRING_EQUAL(info.from.user, "+12025550002");
	CU_ASSERT_STRING_EQUAL(info.from.scheme, "sip");
	CU_ASSERT_STRING_EQUAL(info.from.uri, "sip:+12025550002@192.0.2.1;user=phone");
	CU_ASSERT_STRING_EQUAL(info.to.user, "12025550001");
	/* the first of the two asserted identities */
	CU_ASSERT_STRING_EQUAL(info.pai.scheme, "sip");
	CU_ASSERT_STRING_EQUAL(info.pai.user, "+12025550002");
	CU_ASSERT_STRING_EQUAL(info.pai.display, "A");
	CU_ASSERT_EQUAL(info.privacy, SIP_CALL_PRIV_ID | SIP_CALL_PRIV_HEADER);
	/* both Identity headers, in order, raw */
	CU_ASSERT_EQUAL_FATAL(info.n_identity, 2);
	CU_ASSERT_STRING_EQUAL(info.identity[0], ID_SHAKEN);
	CU_ASSERT_STRING_EQUAL(info.identity[1], ID_DIV);
	CU_ASSERT_EQUAL(info.n_identity_dropped, 0);
	CU_ASSERT_TRUE(info.has_date);
	CU_ASSERT_EQUAL(info.date, 1622541600);
	CU_ASSERT_EQUAL(info.max_forwards, 69);
	CU_ASSERT_PTR_NOT_NULL_FATAL(info.sdp);
	CU_ASSERT_STRING_EQUAL(info.sdp, SDP);
	CU_ASSERT_EQUAL(info.sdp_len, strlen(SDP));
	CU_ASSERT_STRING_EQUAL(info.peer_addr, "192.0.2.1");
	CU_ASSERT_EQUAL(info.peer_port, 5062);
	msg_destroy(msg);
	talloc_free(ctx);
}

static void test_tel_and_minimal(void)
{
	struct sip_call_info info;
	struct sip_call_reject rej;
	void *ctx = talloc_new(NULL);
	msg_t *msg;

	/* tel Request-URI and PAI; no Max-Forwards, Date, body, Privacy */
	msg = parse("From: <tel:+12025550002>;tag=1\r\n", "tel:+12025550001",
		    "P-Asserted-Identity: <tel:+12025550009>\r\n", NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_STRING_EQUAL(info.ruri_user, "+12025550001");
	CU_ASSERT_STRING_EQUAL(info.ruri_host, "");
	CU_ASSERT_STRING_EQUAL(info.from.scheme, "tel");
	CU_ASSERT_STRING_EQUAL(info.from.user, "+12025550002");
	CU_ASSERT_STRING_EQUAL(info.pai.uri, "tel:+12025550009");
	CU_ASSERT_STRING_EQUAL(info.pai.user, "+12025550009");
	CU_ASSERT_EQUAL(info.privacy, 0);
	CU_ASSERT_EQUAL(info.n_identity, 0);
	CU_ASSERT_FALSE(info.has_date);
	CU_ASSERT_EQUAL(info.max_forwards, -1);
	CU_ASSERT_PTR_NULL(info.sdp);
	CU_ASSERT_STRING_EQUAL(info.peer_addr, "");
	msg_destroy(msg);
	talloc_free(ctx);
}

/* a forwarded INVITE: Diversion wins over History-Info; History-Info split
 * over two headers is one list; a malformed one is ignored, the call kept */
static void test_divert(void)
{
	struct sip_call_info info;
	struct sip_call_reject rej;
	void *ctx = talloc_new(NULL);
	msg_t *msg;

	msg = parse("From: <tel:+12025550002>;tag=1\r\n", "tel:+12025550177",
		    "Diversion: <tel:+12025550100>;reason=user-busy;counter=1\r\n"
		    "History-Info: <sip:+12025550999@a.example>;index=1\r\n", NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT(info.divert.present);
	CU_ASSERT_STRING_EQUAL(info.divert.redirecting, "12025550100");
	CU_ASSERT_EQUAL(info.divert.reason, SIP_DIVERT_USER_BUSY);
	msg_destroy(msg);

	msg = parse("From: <tel:+12025550002>;tag=1\r\n", "tel:+12025550177",
		    "History-Info: <sip:+12025550100@a.example;user=phone>;index=1\r\n"
		    "History-Info: <sip:+12025550177@b.example;user=phone;cause=408>;index=1.1;mp=1\r\n",
		    NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT(info.divert.present);
	CU_ASSERT_STRING_EQUAL(info.divert.orig_called, "12025550100");
	CU_ASSERT_EQUAL(info.divert.reason, SIP_DIVERT_NO_REPLY);
	msg_destroy(msg);

	msg = parse("From: <tel:+12025550002>;tag=1\r\n", "tel:+12025550177",
		    "Diversion: <tel:+12025550100>;counter=x\r\n", NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT(!info.divert.present);
	msg_destroy(msg);
	talloc_free(ctx);
}

static void test_identity_limit(void)
{
	struct sip_call_info info;
	struct sip_call_reject rej;
	void *ctx = talloc_new(NULL);
	char extra[4096] = "";
	unsigned int i;
	msg_t *msg;

	for (i = 0; i < SIP_CALL_IDENTITY_MAX + 2; i++)
		strncat(extra, "Identity: " ID_SHAKEN "\r\n", sizeof(extra) - strlen(extra) - 1);
	/* the compact form "y" counts too (RFC 8224 §4) */
	strncat(extra, "y: " ID_DIV "\r\n", sizeof(extra) - strlen(extra) - 1);
	msg = parse(FROM_OK, "sip:1@192.0.2.2", extra, NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_EQUAL(info.n_identity, SIP_CALL_IDENTITY_MAX);
	CU_ASSERT_EQUAL(info.n_identity_dropped, 3);
	msg_destroy(msg);
	talloc_free(ctx);
}

/* The headers a proxy sets: collected only when named, each once; a
 * second copy or an overlong value makes it name nobody */
static void test_trusted_headers(void)
{
	static const char *const names[] = { "X-Carrier", "X-Other" };
	const char *too_many[SIP_CALL_TRUSTED_HDR_MAX + 1] = { "a", "b", "c", "d", "e" };
	struct sip_call_info info;
	struct sip_call_reject rej;
	void *ctx = talloc_new(NULL);
	char extra[512];
	msg_t *msg;

	CU_ASSERT_EQUAL(sip_call_info_trust_headers(too_many, SIP_CALL_TRUSTED_HDR_MAX + 1), -EINVAL);
	CU_ASSERT_EQUAL(sip_call_info_trust_headers(names, 2), 0);

	msg = parse(FROM_OK, "sip:1@192.0.2.2", "x-carrier: acme\r\nX-Unrelated: zz\r\n", NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_EQUAL(info.n_trusted, 1);
	CU_ASSERT_STRING_EQUAL(sip_call_info_trusted(&info, "X-Carrier"), "acme");
	CU_ASSERT_PTR_NULL(sip_call_info_trusted(&info, "X-Other"));
	CU_ASSERT_PTR_NULL(sip_call_info_trusted(&info, "X-Unrelated"));
	msg_destroy(msg);

	/* twice: nobody (the proxy must replace what the caller sent) */
	msg = parse(FROM_OK, "sip:1@192.0.2.2", "X-Carrier: acme\r\nX-Carrier: evil\r\n", NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_PTR_NULL(sip_call_info_trusted(&info, "X-Carrier"));
	msg_destroy(msg);

	snprintf(extra, sizeof(extra), "X-Other: %0*d\r\n", SIP_CALL_TRUSTED_VALUE_MAX + 1, 7);
	msg = parse(FROM_OK, "sip:1@192.0.2.2", extra, NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_PTR_NULL(sip_call_info_trusted(&info, "X-Other"));
	msg_destroy(msg);

	/* no names: nothing collected */
	CU_ASSERT_EQUAL(sip_call_info_trust_headers(NULL, 0), 0);
	msg = parse(FROM_OK, "sip:1@192.0.2.2", "X-Carrier: acme\r\n", NULL, NULL);
	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), 0);
	CU_ASSERT_EQUAL(info.n_trusted, 0);
	msg_destroy(msg);
	talloc_free(ctx);
}

struct bad_vec {
	const char *name;
	const char *from, *ruri, *extra, *ctype, *body;
	int status;
	const char *phrase;	/* NULL: the standard one */
	const char *warning;	/* a prefix of the Warning text */
};

static char long_user[200], long_identity[IDENTITY_HDR_MAX + 100], long_sdp[SIP_CALL_SDP_MAX + 100];
static char from_long[300], ruri_long[300], extra_long_id[IDENTITY_HDR_MAX + 200];

static void test_refusals(void)
{
	const struct bad_vec vecs[] = {
		{ "From user part", from_long, "sip:1@192.0.2.2", "", NULL, NULL, 400, "Bad From Header",
		  "From: user part longer than 63" },
		{ "From scheme", "From: <mailto:a@example.org>;tag=1\r\n", "sip:1@192.0.2.2", "", NULL, NULL,
		  400, "Bad From Header", "From: URI scheme" },
		{ "Request-URI scheme", FROM_OK, "mailto:a@example.org", "", NULL, NULL, 416, NULL,
		  "Request-URI: scheme" },
		{ "Request-URI user", FROM_OK, ruri_long, "", NULL, NULL, 400, "Bad Request-URI",
		  "Request-URI: user part longer" },
		{ "Identity length", FROM_OK, "sip:1@192.0.2.2", extra_long_id, NULL, NULL, 400,
		  "Bad Identity Header", "Identity: value of" },
		{ "Max-Forwards 0", FROM_OK, "sip:1@192.0.2.2", "Max-Forwards: 0\r\n", NULL, NULL, 483, NULL,
		  "Max-Forwards: 0" },
		{ "body type", FROM_OK, "sip:1@192.0.2.2", "", "application/isup", "xx", 415, NULL,
		  "Content-Type" },
		{ "SDP length", FROM_OK, "sip:1@192.0.2.2", "", "application/sdp", long_sdp, 413, NULL,
		  "body: SDP of" },
		{ "PAI display", FROM_OK, "sip:1@192.0.2.2",
		  "P-Asserted-Identity: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" "
		  "<tel:+1>\r\n", NULL, NULL, 400, "Bad P-Asserted-Identity Header",
		  "P-Asserted-Identity: display name" },
	};
	struct sip_call_info info;
	struct sip_call_reject rej;
	unsigned int i;

	memset(long_user, '1', sizeof(long_user) - 1);
	snprintf(from_long, sizeof(from_long), "From: <sip:%s@192.0.2.1>;tag=1\r\n", long_user);
	snprintf(ruri_long, sizeof(ruri_long), "sip:%s@192.0.2.2", long_user);
	memset(long_identity, 'A', sizeof(long_identity) - 1);
	memcpy(long_identity, "a.b.", 4);
	snprintf(extra_long_id, sizeof(extra_long_id), "Identity: %s\r\n", long_identity);
	memset(long_sdp, 'v', sizeof(long_sdp) - 1);

	for (i = 0; i < ARRAY_SIZE(vecs); i++) {
		void *ctx = talloc_new(NULL);
		msg_t *msg = parse(vecs[i].from, vecs[i].ruri, vecs[i].extra, vecs[i].ctype, vecs[i].body);
		int rc;

		CU_ASSERT_FATAL(msg != NULL);
		rc = extract(msg, &info, &rej, ctx);
		if (rc != -EBADMSG || rej.status != vecs[i].status)
			fprintf(stderr, "%s: rc %d status %d (%s)\n", vecs[i].name, rc, rej.status, rej.warning);
		CU_ASSERT_EQUAL(rc, -EBADMSG);
		CU_ASSERT_EQUAL(rej.status, vecs[i].status);
		if (vecs[i].phrase) {
			CU_ASSERT_TRUE(rej.phrase && !strcmp(rej.phrase, vecs[i].phrase));
		} else {
			CU_ASSERT_PTR_NULL(rej.phrase);
		}
		CU_ASSERT_TRUE(!strncmp(rej.warning, vecs[i].warning, strlen(vecs[i].warning)));
		msg_destroy(msg);
		talloc_free(ctx);
	}
}

/* Sofia itself refuses a request without From (nta answers 400 before the
 * application sees it); the extractor refuses it as well, naming From. */
static void test_missing_from(void)
{
	struct sip_call_info info;
	struct sip_call_reject rej;
	void *ctx = talloc_new(NULL);
	msg_t *msg = parse("", "sip:1@192.0.2.2", "", NULL, NULL);

	CU_ASSERT_FATAL(msg != NULL);
	CU_ASSERT_TRUE(sip_sanity_check(sip_object(msg)) < 0);
	CU_ASSERT_EQUAL(extract(msg, &info, &rej, ctx), -EBADMSG);
	CU_ASSERT_EQUAL(rej.status, 400);
	CU_ASSERT_STRING_EQUAL(rej.warning, "From: missing");
	msg_destroy(msg);
	CU_ASSERT_EQUAL(sip_call_info_extract(ctx, &info, NULL, NULL, &rej), -EBADMSG);
	talloc_free(ctx);
}

/* Every truncation of a good INVITE that Sofia still parses is either
 * extracted or refused, never read out of bounds (ASan/valgrind judge). */
static void test_truncation(void)
{
	static const char raw[] =
		"INVITE sip:12025550001@192.0.2.2 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
		FROM_OK
		"To: <sip:12025550001@192.0.2.2>\r\n"
		"Call-ID: abc@192.0.2.1\r\n"
		"CSeq: 1 INVITE\r\n"
		"P-Asserted-Identity: <tel:+12025550002>\r\n"
		"Identity: " ID_SHAKEN "\r\n"
		"Content-Type: application/sdp\r\n"
		"\r\n" SDP;
	struct sip_call_info info;
	struct sip_call_reject rej;
	size_t len;

	for (len = 0; len <= sizeof(raw) - 1; len++) {
		void *ctx = talloc_new(NULL);
		msg_t *msg = msg_make(mclass, 0, raw, len);

		if (msg) {
			int rc = extract(msg, &info, &rej, ctx);

			CU_ASSERT_TRUE(rc == 0 || (rc == -EBADMSG && rej.status >= 400));
			msg_destroy(msg);
		}
		talloc_free(ctx);
	}
}

/* The outgoing INVITE as text (sip_call_invite_encode()) reads back with
 * sip_call_info_parse() as the far end's parser would read it. */
static void test_invite_encode_parse(void)
{
	struct sip_call_out_params p = {
		.peer_uri = "sip:192.0.2.2:5060;transport=udp",
		.called = "+12025550001",
		.calling = "+12025550002",
		.verstat = "TN-Validation-Passed",
		.identity = { "eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln;info=<https://x.example/c.pem>;alg=ES256;ppt=shaken" },
		.n_identity = 1,
		.sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		       "m=audio 4000 RTP/AVP 0\r\n",
	};
	struct sip_call_info info;
	char buf[4096], small[64];
	void *ctx = talloc_named_const(NULL, 0, "invite");
	unsigned int len;
	int rc, status;

	rc = sip_call_invite_encode(buf, sizeof(buf), &p, "0123456789abcdef@stiwf");
	CU_ASSERT_FATAL(rc > 0);
	CU_ASSERT_EQUAL((size_t)rc, strlen(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "INVITE sip:+12025550001@192.0.2.2:5060;transport=udp;user=phone SIP/2.0\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "branch=z9hG4bK0123456789abcdef"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Call-ID: 0123456789abcdef@stiwf\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Content-Length: 87\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\r\n\r\nv=0\r\n"));
	rc = sip_call_info_parse(ctx, &info, buf, rc, &status);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(info.ruri_user, "+12025550001");
	CU_ASSERT_STRING_EQUAL(info.pai.uri, "tel:+12025550002;verstat=TN-Validation-Passed");
	CU_ASSERT_EQUAL_FATAL(info.n_identity, 1);
	CU_ASSERT_STRING_EQUAL(info.identity[0], p.identity[0]);
	CU_ASSERT_STRING_EQUAL(info.call_id, "0123456789abcdef@stiwf");
	CU_ASSERT_PTR_NOT_NULL_FATAL(info.sdp);
	CU_ASSERT_STRING_EQUAL(info.sdp, p.sdp);
	CU_ASSERT(!info.divert.present);

	/* a forwarded call: the Diversion header goes out and reads back */
	p.diversion = "<tel:+12025550100>;reason=user-busy;counter=1;privacy=off";
	rc = sip_call_invite_encode(buf, sizeof(buf), &p, "0123456789abcdef@stiwf");
	CU_ASSERT_FATAL(rc > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\r\nDiversion: <tel:+12025550100>;reason=user-busy;counter=1;privacy=off\r\n"));
	CU_ASSERT_EQUAL_FATAL(sip_call_info_parse(ctx, &info, buf, rc, &status), 0);
	CU_ASSERT(info.divert.present);
	CU_ASSERT_STRING_EQUAL(info.divert.redirecting, "12025550100");
	p.diversion = "<tel:+1>\r\nX: y";
	CU_ASSERT_EQUAL(sip_call_invite_encode(buf, sizeof(buf), &p, "0123456789abcdef@stiwf"), -EINVAL);
	p.diversion = NULL;

	/* no room, a bad Call-ID, a bad parameter */
	CU_ASSERT_EQUAL(sip_call_invite_encode(small, sizeof(small), &p, "1@stiwf"), -ENOSPC);
	CU_ASSERT_EQUAL(sip_call_invite_encode(buf, sizeof(buf), &p, "a b"), -EINVAL);
	CU_ASSERT_EQUAL(sip_call_invite_encode(buf, sizeof(buf), &p, "@x"), -EINVAL);
	p.called = "+1202;x";
	CU_ASSERT_EQUAL(sip_call_invite_encode(buf, sizeof(buf), &p, "1@stiwf"), -EINVAL);
	p.called = "+12025550001";

	/* every truncation of the text parses or is refused, never crashes */
	rc = sip_call_invite_encode(buf, sizeof(buf), &p, "1@stiwf");
	CU_ASSERT_FATAL(rc > 0);
	for (len = 0; len < (unsigned int)rc; len++) {
		int r = sip_call_info_parse(ctx, &info, buf, len, &status);

		CU_ASSERT_TRUE(r == 0 || (r == -EBADMSG && status >= 400));
	}
	CU_ASSERT_EQUAL(sip_call_info_parse(ctx, &info, "garbage", 7, &status), -EBADMSG);
	CU_ASSERT_EQUAL(status, 400);
	talloc_free(ctx);
}

static int setup(void *root)
{
	mclass = sip_extend_mclass(NULL);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "INVITE with every field", test_full },
	{ "tel URIs, optional headers absent", test_tel_and_minimal },
	{ "Identity headers beyond the limit", test_identity_limit },
	{ "Diversion and History-Info of a forwarded INVITE", test_divert },
	{ "headers a proxy sets", test_trusted_headers },
	{ "refusals name the header", test_refusals },
	{ "missing From", test_missing_from },
	{ "truncated INVITEs", test_truncation },
	{ "outgoing INVITE as text, parsed back", test_invite_encode_parse },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "sip_call_info", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "sip_call_info_test",
	.log = CUNIT_LOG_FATAL,
	.setup = setup,
	.suites = suites,
};
