/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: run tests/certs/httpsd. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/certs/testhttps.h"
#include "tests/certs/testpki.h"

#define MAX_PATHS 64

static pid_t server_pid;
static FILE *server_out;
static unsigned int tls_port, raw_port;
static char ca_file[4096];
static struct {
	char path[256];
	unsigned int n;
} counts[MAX_PATHS];

static int run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "testhttps: failed: %s\n", cmd);
		return -1;
	}
	return 0;
}

int testhttps_start(void)
{
	const char *dir = testpki_dir();
	char d[3800], cmd[16384], srv_pem[4200], srv_key[4200], docroot[4200], line[256];
	int pfd[2];

	if (!dir)
		return -1;
	snprintf(d, sizeof(d), "%s/https", dir);
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", d);
	snprintf(srv_pem, sizeof(srv_pem), "%s/server.pem", d);
	snprintf(srv_key, sizeof(srv_key), "%s/server.key", d);
	snprintf(docroot, sizeof(docroot), "%s/shaken", dir);
	snprintf(cmd, sizeof(cmd),
		 "set -e; mkdir -p '%s'; cd '%s'; umask 077;"
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key"
		 " -out ca.pem -subj '/CN=stiwf test HTTPS CA' -days 2"
		 " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null;"
		 "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key"
		 " -out server.csr -subj /CN=localhost 2>/dev/null;"
		 "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' >server.ext;"
		 "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
		 " -extfile server.ext -out server.pem 2>/dev/null; chmod 644 ca.pem server.pem",
		 d, d);
	if (run(cmd) < 0)
		return -1;
	if (pipe(pfd) < 0)
		return -1;
	server_pid = fork();
	if (server_pid < 0)
		return -1;
	if (server_pid == 0) {
		/* never outlive a test that crashed */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execl("tests/certs/httpsd", "httpsd", srv_pem, srv_key, docroot, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	server_out = fdopen(pfd[0], "r");
	if (!server_out || !fgets(line, sizeof(line), server_out) ||
	    strncmp(line, "READY ", 6) != 0) {
		fprintf(stderr, "testhttps: httpsd did not start\n");
		testhttps_stop();
		return -1;
	}
	{
		char *end;
		unsigned long a, b;

		a = strtoul(line + 6, &end, 10);
		b = strtoul(end, &end, 10);
		if (a == 0 || a > 65535 || b == 0 || b > 65535)
			return -1;
		tls_port = (unsigned int)a;
		raw_port = (unsigned int)b;
	}
	/* later reads only drain what is there */
	fcntl(pfd[0], F_SETFL, fcntl(pfd[0], F_GETFL) | O_NONBLOCK);
	return 0;
}

void testhttps_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = 0;
	}
	if (server_out) {
		fclose(server_out);
		server_out = NULL;
	}
}

const char *testhttps_ca_file(void)
{
	return ca_file;
}

unsigned int testhttps_port(void)
{
	return tls_port;
}

unsigned int testhttps_raw_port(void)
{
	return raw_port;
}

const char *testhttps_url(const char *path)
{
	static char bufs[8][2048];
	static unsigned int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "https://127.0.0.1:%u%s", tls_port, path);
	return b;
}

/* The server prints "REQ path" before it answers, so every request whose
 * answer the test has seen is already in the pipe. */
static void drain(void)
{
	char line[512];
	size_t i;

	if (!server_out)
		return;
	clearerr(server_out);
	while (fgets(line, sizeof(line), server_out)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "REQ ", 4) != 0)
			continue;
		for (i = 0; i < MAX_PATHS; i++) {
			if (!counts[i].path[0])
				snprintf(counts[i].path, sizeof(counts[i].path), "%.255s", line + 4);
			if (strcmp(counts[i].path, line + 4) == 0) {
				counts[i].n++;
				break;
			}
		}
	}
}

unsigned int testhttps_count(const char *path)
{
	size_t i;

	drain();
	for (i = 0; i < MAX_PATHS; i++) {
		if (strcmp(counts[i].path, path) == 0)
			return counts[i].n;
	}
	return 0;
}
