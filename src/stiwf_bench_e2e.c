/* stiwf bench e2e: the end-to-end benchmark is a script, because it needs
 * the DESIGN §6 topology (osmo-stp, two stiwfd, SIPp, Kamailio) and, on a
 * kernel without SCTP, a User-Mode-Linux guest.  This runs it, lets its
 * progress through on stderr, and takes the one JSON object it prints on
 * stdout.
 *
 * The script is tests/bench/e2e.sh of a build tree: --e2e-script FILE, or
 * the environment's STIWF_BENCH_E2E, or the source tree this binary was
 * built from.  It is told the build tree (top_builddir) and the source tree
 * (srcdir) as the integration tests are. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/stiwf_bench.h"

#define E2E_OUT_MAX (1024 * 1024)

static int read_all(int fd, char **out)
{
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap), *nbuf;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len + 1 == cap) {
			if (cap >= E2E_OUT_MAX) {
				free(buf);
				return -EMSGSIZE;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int stiwf_bench_e2e(const struct stiwf_bench_opts *o, json_t *out)
{
	const char *script = o->e2e_script ? o->e2e_script : getenv("STIWF_BENCH_E2E");
	json_error_t jerr;
	json_t *res;
	char *text = NULL;
	int fds[2], status, rc;
	pid_t pid;

	if (!script)
		script = STIWF_SRCDIR "/tests/bench/e2e.sh";
	if (access(script, R_OK) < 0) {
		fprintf(stderr, "stiwf bench e2e: %s: %s (run from a build tree, or give --e2e-script)\n", script,
			strerror(errno));
		return -ENOENT;
	}
	if (pipe(fds) < 0)
		return -errno;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (!getenv("top_builddir"))
			setenv("top_builddir", STIWF_BUILDDIR, 1);
		if (!getenv("srcdir"))
			setenv("srcdir", STIWF_SRCDIR, 1);
		if (o->quick)
			execlp("bash", "bash", script, "--quick", (char *)NULL);
		else
			execlp("bash", "bash", script, (char *)NULL);
		fprintf(stderr, "stiwf bench e2e: cannot run bash: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	rc = read_all(fds[0], &text);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		fprintf(stderr, "stiwf bench e2e: reading the script's output: %s\n", strerror(-rc));
		free(text);
		return rc;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "stiwf bench e2e: %s failed (%s %d)\n", script,
			WIFEXITED(status) ? "exit" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		free(text);
		return -EIO;
	}
	res = json_loads(text, 0, &jerr);
	if (!res || !json_is_object(res)) {
		fprintf(stderr, "stiwf bench e2e: the script's output is not one JSON object (line %d: %s)\n",
			jerr.line, res ? "not an object" : jerr.text);
		json_decref(res);
		free(text);
		return -EBADMSG;
	}
	if (!o->json)
		printf("%s", text);
	free(text);
	rc = json_object_update(out, res) < 0 ? -ENOMEM : 0;
	json_decref(res);
	return rc;
}
