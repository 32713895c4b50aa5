/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shared HOP replay store against a real Redis server, started here on
 * a free port in a directory of its own: first seen, replay (also from a
 * second IWF's connection), no answer in time, the server down and back,
 * cancelled requests, and the compare-and-delete of replay_store_forget().
 * redis-server is a dependency of the tests (contrib/install-deps.sh). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <glib.h>
#include <hiredis/hiredis.h>

#include <osmocom/core/talloc.h>

#include "src/core/evloop.h"
#include "src/core/logging.h"
#include "src/core/replay_store.h"
#include "tests/cunit_main.h"

static void *ctx;
static char dir[256];
static uint16_t port;
static pid_t redis_pid;

/* A port nobody listens on now */
static uint16_t free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint16_t p = 0;

	if (fd < 0)
		return 0;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		p = ntohs(sin.sin_port);
	close(fd);
	return p;
}

/* Start redis-server on \a port and return once it says it accepts
 * connections (its log on a pipe, read with a bound), -1 otherwise. */
static int redis_start(void)
{
	char portstr[8], line[512];
	size_t used = 0;
	int pfd[2], n;
	struct pollfd p;
	int waited = 0;

	snprintf(portstr, sizeof(portstr), "%u", port);
	if (pipe(pfd) < 0)
		return -1;
	redis_pid = fork();
	if (redis_pid < 0)
		return -1;
	if (redis_pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		execlp("redis-server", "redis-server", "--port", portstr, "--bind", "127.0.0.1", "--save", "",
		       "--appendonly", "no", "--dir", dir, "--logfile", "", "--daemonize", "no", NULL);
		printf("exec failed: %s\n", strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	close(pfd[1]);
	p.fd = pfd[0];
	p.events = POLLIN;
	while (waited < 10000) {
		n = poll(&p, 1, 500);
		waited += 500;
		if (n <= 0)
			continue;
		n = read(pfd[0], line + used, sizeof(line) - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
		line[used] = '\0';
		if (strstr(line, "Ready to accept connections")) {
			close(pfd[0]);
			return 0;
		}
		if (strstr(line, "exec failed")) {
			fprintf(stderr, "replay_store_test: redis-server not found: install the Debian package "
				"redis-server (contrib/install-deps.sh)\n");
			break;
		}
		/* keep the tail only */
		if (used > sizeof(line) / 2) {
			memmove(line, line + used - 64, 64);
			used = 64;
		}
	}
	close(pfd[0]);
	kill(redis_pid, SIGKILL);
	waitpid(redis_pid, NULL, 0);
	redis_pid = 0;
	return -1;
}

static void redis_stop(void)
{
	if (!redis_pid)
		return;
	kill(redis_pid, SIGKILL);
	waitpid(redis_pid, NULL, 0);
	redis_pid = 0;
}

/* A synchronous client of our own, to look at what the store wrote */
static redisReply *redis_cmd(const char *fmt, const char *arg)
{
	redisContext *c = redisConnect("127.0.0.1", port);
	redisReply *r;

	if (!c || c->err) {
		if (c)
			redisFree(c);
		return NULL;
	}
	r = redisCommand(c, fmt, arg);
	redisFree(c);
	return r;
}

static gboolean guard_cb(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

/* Run the loop until *done or \a ms passed.  \returns *done */
static bool run_until(const bool *done, unsigned int ms)
{
	bool expired = false;
	guint id = g_timeout_add(ms, guard_cb, &expired);

	while (!*done && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	return *done;
}

struct answer {
	bool done;
	int rc;
	unsigned int calls;
};

static void answer_cb(int rc, void *priv)
{
	struct answer *a = priv;

	a->rc = rc;
	a->done = true;
	a->calls++;
}

static const uint8_t kid[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

static void r_of(uint8_t r[32], uint8_t v)
{
	memset(r, 0, 32);
	r[0] = v;
	r[31] = 0x5a;
}

/* Check (kid, r) on \a rs and wait for the answer */
static int check_wait(struct replay_store *rs, const uint8_t r[32], unsigned int ttl)
{
	struct answer a = { 0 };
	int rc = replay_store_check(rs, kid, r, ttl, answer_cb, &a, NULL);

	if (rc < 0)
		return rc;
	CU_ASSERT(run_until(&a.done, 3000));
	CU_ASSERT_EQUAL(a.calls, 1);
	return a.done ? a.rc : -EINPROGRESS;
}

static struct replay_store *store_up(unsigned int timeout_ms)
{
	struct replay_store_cfg cfg = { .addr = "127.0.0.1", .port = port, .timeout_ms = timeout_ms };
	struct replay_store *rs = replay_store_alloc(ctx, &cfg);
	bool up = false;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	/* connected within 3 s, served by the loop */
	for (i = 0; i < 300 && !up; i++) {
		bool never = false;

		up = replay_store_connected(rs);
		if (!up)
			run_until(&never, 10);
	}
	CU_ASSERT_FATAL(replay_store_connected(rs));
	return rs;
}

static void key_of(char *buf, size_t len, const uint8_t r[32])
{
	char rh[65];
	unsigned int i;

	for (i = 0; i < 32; i++)
		snprintf(rh + 2 * i, 3, "%02x", r[i]);
	snprintf(buf, len, "stiwf:hop:0102030405060708:%s", rh);
}

static void test_first_seen_and_replay(void)
{
	struct replay_store *a = store_up(500), *b = store_up(500);
	uint8_t r[32];
	char key[128];
	redisReply *rep;

	r_of(r, 1);
	CU_ASSERT_EQUAL(check_wait(a, r, 60), 0);
	/* the same HOP again, here or at another IWF: a replay */
	CU_ASSERT_EQUAL(check_wait(a, r, 60), -EALREADY);
	CU_ASSERT_EQUAL(check_wait(b, r, 60), -EALREADY);
	/* another signature is new */
	r_of(r, 2);
	CU_ASSERT_EQUAL(check_wait(b, r, 60), 0);

	/* the key holds the instance id of the IWF that set it and
	 * expires with the window */
	r_of(r, 1);
	key_of(key, sizeof(key), r);
	rep = redis_cmd("GET %s", key);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep);
	CU_ASSERT_EQUAL(rep->type, REDIS_REPLY_STRING);
	if (rep->type == REDIS_REPLY_STRING)
		CU_ASSERT_STRING_EQUAL(rep->str, replay_store_instance_id(a));
	freeReplyObject(rep);
	rep = redis_cmd("TTL %s", key);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep);
	CU_ASSERT(rep->type == REDIS_REPLY_INTEGER && rep->integer > 0 && rep->integer <= 60);
	freeReplyObject(rep);
	CU_ASSERT_STRING_NOT_EQUAL(replay_store_instance_id(a), replay_store_instance_id(b));
	CU_ASSERT_EQUAL(replay_store_stats(a)->first_seen, 1);
	CU_ASSERT_EQUAL(replay_store_stats(a)->replays, 1);
	CU_ASSERT_EQUAL(replay_store_check(a, kid, r, 0, answer_cb, NULL, NULL), -EINVAL);
	replay_store_free(a);
	replay_store_free(b);
}

/* Only the IWF that set a key deletes it, and then the IAM may come again */
static void test_forget_only_ours(void)
{
	struct replay_store *a = store_up(500), *b = store_up(500);
	uint8_t r[32];
	char key[128];
	redisReply *rep;

	r_of(r, 3);
	key_of(key, sizeof(key), r);
	CU_ASSERT_EQUAL(check_wait(a, r, 60), 0);
	/* b did not set it: its delete leaves the key (a check after it on
	 * the same connection answers after the delete did) */
	CU_ASSERT_EQUAL(replay_store_forget(b, kid, r), 0);
	CU_ASSERT_EQUAL(check_wait(b, r, 60), -EALREADY);
	rep = redis_cmd("EXISTS %s", key);
	CU_ASSERT(rep && rep->type == REDIS_REPLY_INTEGER && rep->integer == 1);
	freeReplyObject(rep);
	CU_ASSERT_EQUAL(replay_store_stats(b)->forgotten, 0);
	/* a set it: its delete takes it away, and the IAM is new again */
	CU_ASSERT_EQUAL(replay_store_forget(a, kid, r), 0);
	CU_ASSERT_EQUAL(check_wait(b, r, 60), 0);
	/* now b's: a's delete does nothing (a's check answers after both of
	 * a's deletes did) */
	CU_ASSERT_EQUAL(replay_store_forget(a, kid, r), 0);
	CU_ASSERT_EQUAL(check_wait(a, r, 60), -EALREADY);
	CU_ASSERT_EQUAL(replay_store_stats(a)->forgotten, 1);
	rep = redis_cmd("GET %s", key);
	CU_ASSERT(rep && rep->type == REDIS_REPLY_STRING && !strcmp(rep->str, replay_store_instance_id(b)));
	freeReplyObject(rep);
	replay_store_free(a);
	replay_store_free(b);
}

/* A server that does not answer: the check fails within the timeout, and
 * the late answer is dropped */
static void test_timeout(void)
{
	struct replay_store *a = store_up(100);
	struct answer x = { 0 };
	uint8_t r[32];
	gint64 t0, dt;

	r_of(r, 4);
	CU_ASSERT_EQUAL_FATAL(kill(redis_pid, SIGSTOP), 0);
	t0 = g_get_monotonic_time();
	CU_ASSERT_EQUAL(replay_store_check(a, kid, r, 60, answer_cb, &x, NULL), 0);
	CU_ASSERT(run_until(&x.done, 3000));
	dt = g_get_monotonic_time() - t0;
	CU_ASSERT_EQUAL(x.rc, -ETIMEDOUT);
	/* not before the timeout (the bound of the wait is not asserted) */
	CU_ASSERT(dt >= 100 * 1000);
	CU_ASSERT_EQUAL(replay_store_stats(a)->timeouts, 1);
	CU_ASSERT_EQUAL_FATAL(kill(redis_pid, SIGCONT), 0);
	/* the late answer set the key; the callback is not called again */
	CU_ASSERT_EQUAL(check_wait(a, r, 60), -EALREADY);
	CU_ASSERT_EQUAL(x.calls, 1);
	replay_store_free(a);
}

/* A cancelled check calls nobody back */
static void test_cancel(void)
{
	struct replay_store *a = store_up(500);
	struct replay_store_req *req;
	struct answer x = { 0 };
	uint8_t r[32];

	r_of(r, 5);
	CU_ASSERT_EQUAL(replay_store_check(a, kid, r, 60, answer_cb, &x, &req), 0);
	CU_ASSERT_PTR_NOT_NULL(req);
	replay_store_cancel(req);
	/* answered after the cancelled one on the same connection */
	CU_ASSERT_EQUAL(check_wait(a, r, 60), -EALREADY);
	CU_ASSERT_EQUAL(x.calls, 0);
	/* pending at the free: nobody called either */
	r_of(r, 6);
	CU_ASSERT_EQUAL(replay_store_check(a, kid, r, 60, answer_cb, &x, NULL), 0);
	replay_store_free(a);
	CU_ASSERT_EQUAL(x.calls, 0);
}

/* The server goes away: checks fail at once (no connection) or with
 * -ENOTCONN when in flight; it comes back: the store connects again */
static void test_server_down(void)
{
	struct replay_store *a = store_up(500);
	struct answer x = { 0 };
	uint8_t r[32];
	unsigned int i;

	r_of(r, 7);
	CU_ASSERT_EQUAL(check_wait(a, r, 60), 0);
	redis_stop();
	/* in flight while the connection goes, or refused at once */
	r_of(r, 8);
	if (replay_store_check(a, kid, r, 60, answer_cb, &x, NULL) == 0) {
		CU_ASSERT(run_until(&x.done, 3000));
		CU_ASSERT(x.rc == -ENOTCONN || x.rc == -ETIMEDOUT);
	}
	for (i = 0; i < 300 && replay_store_connected(a); i++) {
		bool never = false;

		run_until(&never, 10);
	}
	CU_ASSERT_FALSE(replay_store_connected(a));
	CU_ASSERT_EQUAL(replay_store_check(a, kid, r, 60, answer_cb, &x, NULL), -ENOTCONN);
	CU_ASSERT(replay_store_stats(a)->not_connected >= 1);

	/* back (empty: it kept nothing on disk): connected again by the
	 * back-off timer, within a few of its steps */
	CU_ASSERT_FATAL(redis_start() == 0);
	for (i = 0; i < 1000 && !replay_store_connected(a); i++) {
		bool never = false;

		run_until(&never, 10);
	}
	CU_ASSERT_FATAL(replay_store_connected(a));
	CU_ASSERT(replay_store_stats(a)->connects >= 2);
	CU_ASSERT_EQUAL(check_wait(a, r, 60), 0);
	replay_store_free(a);
}

static void test_bad_address(void)
{
	struct replay_store_cfg cfg = { .addr = "localhost", .port = port };

	/* a name would need a blocking look-up */
	CU_ASSERT_PTR_NULL(replay_store_alloc(ctx, &cfg));
	cfg.addr = NULL;
	CU_ASSERT_PTR_NULL(replay_store_alloc(ctx, &cfg));
}

/* The server keeps nothing (no --save, no AOF): remove what it may
 * have left all the same */
static void dir_remove(void)
{
	struct dirent *de;
	char path[512];
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int setup(void *root)
{
	const char *tmp = getenv("TMPDIR");

	ctx = root;
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "%s/replay_store_test.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
	}
	port = free_port();
	if (!port || redis_start() < 0) {
		fprintf(stderr, "replay_store_test: cannot start redis-server on 127.0.0.1:%u (install the Debian "
			"package redis-server: contrib/install-deps.sh)\n", port);
		goto out;
	}
	if (stiwf_evloop_install() < 0)
		goto out;
	return 0;
out:
	redis_stop();
	stiwf_evloop_uninstall();
	dir_remove();
	return -1;
}

static unsigned int teardown(void)
{
	redis_stop();
	stiwf_evloop_uninstall();
	dir_remove();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "first seen, replay here and at another IWF, key value and TTL", test_first_seen_and_replay },
	{ "only the IWF that set a key deletes it", test_forget_only_ours },
	{ "no answer within the timeout", test_timeout },
	{ "cancelled and pending requests call nobody", test_cancel },
	{ "server down and back", test_server_down },
	{ "numeric addresses only", test_bad_address },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "replay_store", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "replay_store_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
