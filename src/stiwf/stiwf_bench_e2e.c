/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf bench e2e: the end-to-end benchmark is a script, because it needs
 * the ARCHITECTURE §6 topology (osmo-stp, two stiwfd, SIPp, Kamailio) and, on a
 * kernel without SCTP, a User-Mode-Linux guest.  This runs it, lets its
 * progress through on stderr, and takes the one JSON object it prints on
 * stdout.
 *
 * Where the script and the programs it starts come from (stiwf(1)):
 * - a build tree, named by --build-tree DIR or by $top_builddir (which
 *   "make check" and contrib/bench.sh set): DIR's stiwfd, stiwf and
 *   tests/certs/httpsd, and tests/bench/e2e.sh of the source tree DIR was
 *   configured from ($srcdir when top_builddir came from the environment);
 * - otherwise the installed stiwfd, stiwf and httpsd, and the scripts that
 *   "make install" put in $(pkgdatadir), laid out as in the source tree.
 * --e2e-script FILE, or the environment's STIWF_BENCH_E2E, names another
 * script.  No path of the tree this program was built in is compiled in:
 * an installed stiwf must not depend on a build tree that is long gone. */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/stiwf/stiwf_bench.h"

#define E2E_OUT_MAX (1024 * 1024)
#define E2E_PATH_MAX 4096
/* relative to a source tree, and to $(pkgdatadir) */
#define E2E_SCRIPT "tests/bench/e2e.sh"

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

/* The source tree the build tree \a build was configured from: \a build
 * itself when it holds the script (a build in the source tree), else the
 * abs_top_srcdir its Makefile names. */
static int e2e_build_srcdir(const char *build, char *out, size_t outlen)
{
	static const char key[] = "abs_top_srcdir = ";
	char path[E2E_PATH_MAX], line[E2E_PATH_MAX + sizeof(key)];
	size_t n;
	FILE *f;
	int rc = -ENOENT;

	if (snprintf(path, sizeof(path), "%s/" E2E_SCRIPT, build) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (access(path, R_OK) == 0) {
		if (snprintf(out, outlen, "%s", build) >= (int)outlen)
			return -ENAMETOOLONG;
		return 0;
	}
	if (snprintf(path, sizeof(path), "%s/Makefile", build) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		n = strcspn(line + sizeof(key) - 1, "\n");
		if (n == 0 || n >= outlen) {
			rc = -ENAMETOOLONG;
			break;
		}
		memcpy(out, line + sizeof(key) - 1, n);
		out[n] = '\0';
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/* The script, and what it is told in its environment (NULL: left as it
 * is), for a build tree or for the installed programs. */
struct e2e_where {
	char script[E2E_PATH_MAX];
	/* the installed data directory, or srcdir_buf */
	const char *srcdir;
	char srcdir_buf[E2E_PATH_MAX];
	const char *top_builddir;
	bool installed;
};

static int e2e_where_find(const struct stiwf_bench_opts *o, struct e2e_where *w)
{
	const char *build = o->build_tree ? o->build_tree : getenv("top_builddir");
	const char *script = o->e2e_script ? o->e2e_script : getenv("STIWF_BENCH_E2E");
	int rc;

	memset(w, 0, sizeof(*w));
	if (!build) {
		w->installed = true;
		/* the literal itself, not a copy: a copy is compiled into
		 * overlapping 16-byte constants, whose bytes read as a path
		 * that is neither the installed one nor any other */
		w->srcdir = STIWF_PKGDATADIR;
	} else {
		w->top_builddir = build;
		w->srcdir = w->srcdir_buf;
		if (!o->build_tree && getenv("srcdir")) {
			rc = snprintf(w->srcdir_buf, sizeof(w->srcdir_buf), "%s", getenv("srcdir"));
			rc = rc >= (int)sizeof(w->srcdir_buf) ? -ENAMETOOLONG : 0;
		} else {
			rc = e2e_build_srcdir(build, w->srcdir_buf, sizeof(w->srcdir_buf));
		}
		if (rc < 0) {
			fprintf(stderr, "stiwf bench e2e: cannot tell the source tree of the build tree %s: %s\n",
				build, strerror(-rc));
			return rc;
		}
	}
	if (script)
		rc = snprintf(w->script, sizeof(w->script), "%s", script);
	else
		rc = snprintf(w->script, sizeof(w->script), "%s/" E2E_SCRIPT, w->srcdir);
	if (rc >= (int)sizeof(w->script))
		return -ENAMETOOLONG;
	if (access(w->script, R_OK) < 0) {
		rc = -errno;
		fprintf(stderr, "stiwf bench e2e: %s: %s (%s)\n", w->script, strerror(-rc),
			script ? "--e2e-script or STIWF_BENCH_E2E" :
			w->installed ? "not installed with this stiwf; in a build tree, give --build-tree DIR" :
				       "not in this build's source tree");
		return rc;
	}
	return 0;
}

/* In the child, before exec: tell the script where everything is. */
static void e2e_where_export(const struct e2e_where *w)
{
	const char *tmp = getenv("TMPDIR");

	setenv("srcdir", w->srcdir, 1);
	if (!w->installed) {
		setenv("top_builddir", w->top_builddir, 1);
		return;
	}
	/* the user's choice of programs and log directory stands */
	setenv("STIWFD", STIWF_SBINDIR "/stiwfd", 0);
	setenv("STIWF", STIWF_BINDIR "/stiwf", 0);
	setenv("HTTPSD", STIWF_PKGLIBEXECDIR "/httpsd", 0);
	setenv("STIWF_BENCH_DIR", tmp && tmp[0] ? tmp : "/tmp", 0);
}

int stiwf_bench_e2e(const struct stiwf_bench_opts *o, json_t *out)
{
	const char *script;
	struct e2e_where w;
	json_error_t jerr;
	json_t *res;
	char *text = NULL;
	int fds[2], status, rc;
	pid_t pid;

	rc = e2e_where_find(o, &w);
	if (rc < 0)
		return rc;
	script = w.script;
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
		e2e_where_export(&w);
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
