/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stream directions of SDP offers and answers (sip/sdp_dir.c): what a hold
 * or resume re-INVITE is told apart by, and the answer it gets. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/talloc.h>

#include "sip/sdp_dir.h"
#include "tests/cunit_main.h"

#define SDP(ver, dir, pt) \
	"v=0\r\no=- 1 " ver " IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" \
	"m=audio 4000 RTP/AVP " pt "\r\na=rtpmap:" pt " PCMU/8000\r\n" dir

static const char offer1[] = SDP("1", "a=sendrecv\r\n", "0");
static const char offer1_nodir[] = SDP("1", "", "0");
static const char hold[] = SDP("2", "a=sendonly\r\n", "0");
static const char hold_inactive[] = SDP("2", "a=inactive\r\n", "0");
static const char resume[] = SDP("3", "a=sendrecv\r\n", "0");
static const char codec[] = SDP("3", "a=sendrecv\r\n", "8");
static const char ours[] = "v=0\r\no=stiwfd 7 7 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n"
			   "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
static const char two_streams[] = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
				  "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\nm=audio 4002 RTP/AVP 0\r\n";

static struct sdp_dir_shape shape_of(const char *s)
{
	struct sdp_dir_shape sh;

	CU_ASSERT_EQUAL_FATAL(sdp_dir_shape(s, strlen(s), &sh), 0);
	return sh;
}

static void test_shape(void)
{
	struct sdp_dir_shape a = shape_of(offer1), b = shape_of(offer1_nodir), h = shape_of(hold),
			     r = shape_of(resume), c = shape_of(codec), i = shape_of(hold_inactive);
	char buf[64];

	CU_ASSERT_TRUE(a.parsed);
	CU_ASSERT_EQUAL(a.n_media, 1);
	/* no direction attribute means sendrecv (RFC 3264 §5.1) */
	CU_ASSERT_TRUE(sdp_dir_same_but_modes(&a, &b));
	CU_ASSERT_EQUAL(a.modes, b.modes);
	CU_ASSERT_STRING_EQUAL(sdp_dir_modes_str(&a, buf, sizeof(buf)), "sendrecv");
	/* hold: only the direction and the version changed */
	CU_ASSERT_TRUE(sdp_dir_same_but_modes(&a, &h));
	CU_ASSERT_NOT_EQUAL(a.modes, h.modes);
	CU_ASSERT_STRING_EQUAL(sdp_dir_modes_str(&h, buf, sizeof(buf)), "sendonly");
	CU_ASSERT_TRUE(sdp_dir_on_hold(&h));
	CU_ASSERT_TRUE(sdp_dir_on_hold(&i));
	CU_ASSERT_FALSE(sdp_dir_on_hold(&r));
	/* resume: same as the first offer apart from the version */
	CU_ASSERT_TRUE(sdp_dir_same_but_modes(&a, &r));
	CU_ASSERT_EQUAL(a.modes, r.modes);
	/* another codec is a media change */
	CU_ASSERT_FALSE(sdp_dir_same_but_modes(&a, &c));
}

static void test_answer(void)
{
	void *ctx = talloc_named_const(NULL, 0, "sdp_dir_test");
	struct sdp_dir_shape h = shape_of(hold), i = shape_of(hold_inactive), r = shape_of(resume),
			     two = shape_of(two_streams), ans;
	char *s;

	s = sdp_dir_answer(ctx, ours, &h, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "a=recvonly"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "o=stiwfd 7 8 IN IP4 198.51.100.1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "m=audio 5000 RTP/AVP 0"));
	ans = shape_of(s);
	CU_ASSERT_EQUAL(ans.modes, 2);

	s = sdp_dir_answer(ctx, ours, &i, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "a=inactive"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "o=stiwfd 7 9 "));

	s = sdp_dir_answer(ctx, ours, &r, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "a=sendrecv"));

	/* our SDP sends only: a sendrecv offer gets sendonly, never more */
	{
		char base[sizeof(ours) + 16];

		snprintf(base, sizeof(base), "%sa=sendonly\r\n", ours);
		s = sdp_dir_answer(ctx, base, &r, 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT_PTR_NOT_NULL(strstr(s, "a=sendonly"));
	}
	/* streams that do not pair: no answer */
	CU_ASSERT_PTR_NULL(sdp_dir_answer(ctx, ours, &two, 1));
	CU_ASSERT_PTR_NULL(sdp_dir_answer(ctx, "not sdp", &h, 1));
	talloc_free(ctx);
}

static void test_bounds(void)
{
	struct sdp_dir_shape sh;
	char *big;
	size_t n, len = strlen(offer1);

	CU_ASSERT_EQUAL(sdp_dir_shape(offer1, 0, &sh), -EINVAL);
	CU_ASSERT_EQUAL(sdp_dir_shape(NULL, 3, &sh), -EINVAL);
	big = malloc(8193);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'a', 8193);
	CU_ASSERT_EQUAL(sdp_dir_shape(big, 8193, &sh), -EINVAL);
	free(big);
	/* every prefix: a shape (parsed or opaque), never a read past it
	 * (run under valgrind and ASAN: each prefix is its own allocation) */
	for (n = 1; n <= len; n++) {
		char *p = malloc(n);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		memcpy(p, offer1, n);
		CU_ASSERT_EQUAL(sdp_dir_shape(p, n, &sh), 0);
		CU_ASSERT_TRUE(sh.n_media <= 1);
		free(p);
	}
	/* more streams than the bits hold: compared as opaque text */
	{
		char many[2048];
		size_t off = (size_t)snprintf(many, sizeof(many), "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
						 "c=IN IP4 192.0.2.1\r\nt=0 0\r\n");
		unsigned int k;

		for (k = 0; k < SDP_DIR_MEDIA_MAX + 1; k++)
			off += (size_t)snprintf(many + off, sizeof(many) - off, "m=audio %u RTP/AVP 0\r\n", 4000 + 2 * k);
		CU_ASSERT_EQUAL(sdp_dir_shape(many, off, &sh), 0);
		CU_ASSERT_FALSE(sh.parsed);
	}
}

/* An m= line whose format list leaves the grammar (a tab, "(", an octet
 * over 0x7f, for a transport Sofia-SIP does not know) made its parser
 * allocate without end: such an SDP is compared as opaque text and never
 * parsed, and one in the grammar still is. */
static void test_hostile_media_line(void)
{
	static const char head[] = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
	static const char *const bad[] = {
		"m=audio 4000 RT\xff\xff\r\n", "m=audio 4000 RT 0 (\r\n", "m=audio 4000 udp \x80\r\n",
		"m=audio 4000 RT \t\r\n", "m=audio 4000 RTP/AVP  0\r\n", "m=audio 4000 RTP/AVP 0 \r\n",
		"m=\r\n", "m=audio 4000 RTP//AVP 0\r\n", "m=audio 4000 RTP/AVP 0\rm=audio 4002 RT 0 (\r\n",
		"\tm=audio 4000 RT 0 (\r\n", " m=audio 4000 RTP/AVP 0\r\n", "M=audio 4000 RTP/AVP 0\r\n",
		"x\r\n",
	};
	static const char *const good[] = {
		"m=audio 4000 RTP/AVP 0 8\r\n", "m=audio 4000/2 RTP/AVP 0\r\n", "m=message 7394 TCP/MSRP *\r\n",
		"m=audio 4000 RTP/AVP 0\n",
	};
	struct sdp_dir_shape sh;
	char buf[256];
	unsigned int k;
	int n;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		n = snprintf(buf, sizeof(buf), "%s%s", head, bad[k]);
		CU_ASSERT_FALSE(sdp_dir_media_lines_ok(buf, (size_t)n));
		CU_ASSERT_EQUAL(sdp_dir_shape(buf, (size_t)n, &sh), 0);
		CU_ASSERT_FALSE(sh.parsed);
		CU_ASSERT_PTR_NULL(sdp_dir_answer(NULL, buf, &sh, 1));
	}
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		n = snprintf(buf, sizeof(buf), "%s%s", head, good[k]);
		CU_ASSERT_TRUE(sdp_dir_media_lines_ok(buf, (size_t)n));
		CU_ASSERT_EQUAL(sdp_dir_shape(buf, (size_t)n, &sh), 0);
		CU_ASSERT_TRUE(sh.parsed);
		CU_ASSERT_EQUAL(sh.n_media, 1);
	}
	/* a NUL inside the length */
	n = snprintf(buf, sizeof(buf), "%s%s", head, good[0]);
	buf[10] = '\0';
	CU_ASSERT_FALSE(sdp_dir_media_lines_ok(buf, (size_t)n));
}

static const struct cunit_test tests[] = {
	{ "hold, resume and codec change told apart", test_shape },
	{ "answer mirrors directions within ours, next version", test_answer },
	{ "bounds, prefixes, too many streams", test_bounds },
	{ "m= lines off the grammar are never parsed", test_hostile_media_line },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "sdp_dir", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "sdp_dir_test",
	.log = CUNIT_LOG_FATAL,
	.suites = suites,
};
