/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounds on accepted connections (src/core/accept_limit.c): the accept() that
 * Sofia-SIP and libosmovty call gives out at most the bound, closes the
 * rest at once, and counts a slot free again once its connection closed. */

#define _GNU_SOURCE		/* accept4() */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <osmocom/core/select.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/talloc.h>

#include "src/core/accept_limit.h"
#include "src/core/logging.h"
#include "tests/cunit_main.h"

static int listener(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		close(fd);
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static int dial(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
	}
	return fd;
}

/* the server closed it: a read sees the end at once */
static bool closed_by_peer(int fd)
{
	char c;

	return read(fd, &c, 1) == 0;
}

static void test_bound(void)
{
	int lfd, c[4], a[4], i;
	uint16_t port = 0;

	lfd = listener(&port);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL_FATAL(stiwf_accept_limit_set("TEST", "127.0.0.1", port, 2, 0), 0);
	for (i = 0; i < 4; i++) {
		c[i] = dial(port);
		CU_ASSERT_FATAL(c[i] >= 0);
	}
	/* two given out, two closed at once and reported as nothing */
	a[0] = accept(lfd, NULL, NULL);
	a[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	CU_ASSERT(a[0] >= 0 && a[1] >= 0);
	errno = 0;
	CU_ASSERT_EQUAL(accept(lfd, NULL, NULL), -1);
	CU_ASSERT_EQUAL(errno, EAGAIN);
	CU_ASSERT_EQUAL(accept(lfd, NULL, NULL), -1);
	CU_ASSERT_TRUE(closed_by_peer(c[2]));
	CU_ASSERT_TRUE(closed_by_peer(c[3]));
	CU_ASSERT_EQUAL(stiwf_accept_limit_refused("127.0.0.1", port), 2);

	/* one closed by its owner: a slot is free again */
	close(c[2]);
	c[2] = dial(port);
	close(a[0]);
	a[2] = accept(lfd, NULL, NULL);
	CU_ASSERT(a[2] >= 0);
	/* a[2] took a[0]'s number (the only one free): a[0]'s entry is
	 * stale all the same, and two are open */
	CU_ASSERT_EQUAL(a[2], a[0]);
	close(c[3]);
	c[3] = dial(port);
	CU_ASSERT_EQUAL(accept(lfd, NULL, NULL), -1);
	CU_ASSERT_EQUAL(stiwf_accept_limit_refused("127.0.0.1", port), 3);

	/* lifted: no bound at all */
	CU_ASSERT_EQUAL(stiwf_accept_limit_set("TEST", "127.0.0.1", port, 0, 0), 0);
	close(c[3]);
	c[3] = dial(port);
	a[3] = accept(lfd, NULL, NULL);
	CU_ASSERT(a[3] >= 0);

	/* another listener is not bounded */
	CU_ASSERT_EQUAL(stiwf_accept_limit_set("TEST", "127.0.0.2", port, 1, 0), 0);
	CU_ASSERT_EQUAL(stiwf_accept_limit_set("TEST", "localhost", port, 1, 0), -EINVAL);

	for (i = 0; i < 4; i++)
		close(c[i]);
	close(a[1]);
	close(a[2]);
	close(a[3]);
	close(lfd);
	stiwf_accept_limits_clear();
}

/* A connection that never sends a word is shut down after the silence
 * timeout; one that did is left alone. */
static void tick_cb(void *data)
{
}

static void test_silent(void)
{
	struct osmo_timer_list tick = { 0 };
	struct timespec t0, t1;
	int lfd, quiet, talker, a[2], guard;
	uint16_t port = 0;
	char c;

	lfd = listener(&port);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL_FATAL(stiwf_accept_limit_set("TEST", "127.0.0.1", port, 0, 1), 0);
	quiet = dial(port);
	talker = dial(port);
	CU_ASSERT_FATAL(quiet >= 0 && talker >= 0);
	a[0] = accept(lfd, NULL, NULL);
	a[1] = accept(lfd, NULL, NULL);
	CU_ASSERT_FATAL(a[0] >= 0 && a[1] >= 0);
	CU_ASSERT_EQUAL(write(talker, "x", 1), 1);
	CU_ASSERT_EQUAL(read(a[1], &c, 1), 1);

	/* the osmo_timer checks once a second; a tick of our own makes each
	 * loop turn return within 100 ms, and a deadline of 30 s bounds the
	 * wait whatever the machine's load */
	osmo_timer_setup(&tick, tick_cb, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (guard = 0;; guard++) {
		osmo_timer_schedule(&tick, 0, 100000);
		osmo_select_main(0);
		if (recv(a[0], &c, 1, MSG_DONTWAIT) == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec > 30)
			break;
	}
	osmo_timer_del(&tick);
	/* shut down: the owner (here, a[0]) reads the end of the stream, and
	 * so does the quiet client (never a blocking read: a failure must
	 * not hang the test) */
	CU_ASSERT_EQUAL(recv(a[0], &c, 1, MSG_DONTWAIT), 0);
	CU_ASSERT_EQUAL(recv(quiet, &c, 1, MSG_DONTWAIT), 0);
	/* the talker's connection still works */
	errno = 0;
	CU_ASSERT_EQUAL(recv(a[1], &c, 1, MSG_DONTWAIT), -1);
	CU_ASSERT_EQUAL(errno, EAGAIN);
	CU_ASSERT_EQUAL(write(talker, "y", 1), 1);
	CU_ASSERT_EQUAL(read(a[1], &c, 1), 1);

	close(quiet);
	close(talker);
	close(a[0]);
	close(a[1]);
	close(lfd);
	stiwf_accept_limits_clear();
}

static const struct cunit_test tests[] = {
	{ "at most the bound, the rest closed, slots freed on close", test_bound },
	{ "a silent connection shut down after the timeout", test_silent },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "accept_limit", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "accept_limit_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
