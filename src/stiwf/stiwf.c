/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf: the command-line tool.  Subcommands, each with --help:
 *   vty      run commands on a running stiwfd's console
 *   cert     inspect a certificate
 *   passport sign and decode PASSporTs
 *   isup     build, decode and verify ISUP messages with signalling tokens
 *   tcap     decode, sign and verify TCAP (MAP) messages with the hop signature
 *   bench    measure the signing and verification paths */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "src/core/license.h"
#include "src/core/logging.h"
#include "src/core/vty_nodes.h"
#include "src/stiwf/stiwf_tool.h"
#include "src/stiwf/vty_client.h"

/* Exit codes of every subcommand: 0 success, 1 the operation failed
 * (verification failed, peer refused, ...), 2 usage error. */
#define EXIT_USAGE STIWF_EXIT_USAGE

struct subcommand {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

static int cmd_vty(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct subcommand subcommands[] = {
	{ "vty", "run VTY console commands on a running stiwfd", cmd_vty },
	{ "cert", "inspect a certificate: TNAuthList, key-id, ATIS-1000080 checks", stiwf_cmd_cert },
	{ "passport", "sign and decode SHAKEN PASSporTs (Identity header values)", stiwf_cmd_passport },
	{ "isup", "build an IAM (signed with a HOP token), decode and verify ISUP", stiwf_cmd_isup },
	{ "tcap", "decode, sign and verify TCAP/MAP messages (hop signature, ARCHITECTURE §2.3)", stiwf_cmd_tcap },
	{ "bench", "measure IAM sign/verify against raw OpenSSL ES256", stiwf_cmd_bench },
	{ "version", "print the version", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: stiwf [--help] [--version] COMMAND [ARGS]\n"
		"Tool for stiwf, the STIR/SHAKEN <-> SS7 interworking function.\n"
		"\nCommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\n'stiwf COMMAND --help' describes a command. See stiwf(1).\n");
}

static int cmd_version(int argc, char **argv)
{
	printf("stiwf %s\n" STIWF_LICENSE_NOTICE("\n"), PACKAGE_VERSION);
	return 0;
}

/* A port number: decimal, 1..65535, nothing after it. */
static int parse_port(const char *s, int *port)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > 65535)
		return -EINVAL;
	*port = (int)v;
	return 0;
}

/* Longest password read from a file */
#define VTY_PASSWORD_MAX 256

/* The first line of a file that group may read but others may not: a
 * password belongs neither on the command line (ps shows it) nor in a file
 * every local user reads. */
static int read_password_file(const char *path, char *buf, size_t size)
{
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		fprintf(stderr, "stiwf vty: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "stiwf vty: %s: not a regular file\n", path);
		rc = -EINVAL;
		goto out;
	}
	if (st.st_mode & S_IRWXO) {
		fprintf(stderr, "stiwf vty: %s has mode %04o: others may read it; refusing it (chmod o-rwx)\n",
			path, (unsigned int)(st.st_mode & 07777));
		rc = -EPERM;
		goto out;
	}
	n = read(fd, buf, size - 1);
	if (n < 0) {
		rc = -errno;
		fprintf(stderr, "stiwf vty: %s: %s\n", path, strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0]) {
		fprintf(stderr, "stiwf vty: %s: no password on the first line\n", path);
		rc = -EINVAL;
	}
out:
	close(fd);
	return rc;
}

static void vty_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf vty [--host ADDR] [--port PORT] [--timeout MS] [--password-file FILE]\n"
		"                 [--login-password-file FILE] COMMAND...\n"
		"Run each COMMAND (one argument each, e.g. 'show version') on the VTY console\n"
		"of a running stiwfd and print the answers.\n"
		"  --host ADDR    console address (default 127.0.0.1)\n"
		"  --port PORT    console port (default %d)\n"
		"  --timeout MS   limit for connecting and for each answer (default 3000)\n"
		"  --password-file FILE        the enable password (first line), answered\n"
		"                 when a COMMAND 'enable' asks for it\n"
		"  --login-password-file FILE  the line password of a console with 'login'\n"
		"Password files must not be readable by others.\n"
		"Exit status: 0 when every command succeeded, 1 when a command answered\n"
		"with an error or the console could not be reached, 2 on a usage error.\n",
		STIWF_VTY_PORT);
}

static int cmd_vty(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "login-password-file", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static char enable_pw[VTY_PASSWORD_MAX], login_pw[VTY_PASSWORD_MAX];
	struct stiwf_vty_client_auth auth = { NULL, NULL };
	const char *host = "127.0.0.1";
	int port = STIWF_VTY_PORT, timeout_ms = 3000, opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+H:p:t:P:L:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'P':
			if (read_password_file(optarg, enable_pw, sizeof(enable_pw)) < 0)
				return EXIT_USAGE;
			auth.enable_password = enable_pw;
			break;
		case 'L':
			if (read_password_file(optarg, login_pw, sizeof(login_pw)) < 0)
				return EXIT_USAGE;
			auth.login_password = login_pw;
			break;
		case 'H':
			host = optarg;
			break;
		case 'p':
			if (parse_port(optarg, &port) < 0) {
				fprintf(stderr, "stiwf vty: bad --port '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			if (parse_port(optarg, &timeout_ms) < 0) {
				fprintf(stderr, "stiwf vty: bad --timeout '%s' (1..65535 ms)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			vty_usage(stdout);
			return 0;
		default:
			vty_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		vty_usage(stderr);
		return EXIT_USAGE;
	}
	rc = stiwf_vty_client_run(host, port, &auth, (const char *const *)&argv[optind], argc - optind,
				  timeout_ms, stdout);
	explicit_bzero(enable_pw, sizeof(enable_pw));
	explicit_bzero(login_pw, sizeof(login_pw));
	if (rc == -EPROTO)
		return 1;
	if (rc == -EACCES) {
		fprintf(stderr, "stiwf vty: %s:%d: the console asked for a password that %s\n", host, port,
			auth.enable_password || auth.login_password ? "it refused" :
			"was not given (--password-file, --login-password-file)");
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr, "stiwf vty: %s:%d: %s\n", host, port, strerror(-rc));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "stiwf");
	size_t i;
	int rc;

	/* Library log lines (a field that failed to decode, a refused key
	 * file) go to stderr at NOTICE and above; never whole tokens, which
	 * are only logged at DEBUG. */
	if (!ctx || stiwf_logging_init(ctx) < 0)
		return 1;
	log_set_print_level(osmo_stderr_target, 0);
	log_set_print_category(osmo_stderr_target, 0);

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[1], subcommands[i].name)) {
			rc = subcommands[i].run(argc - 1, argv + 1);
			log_fini();
			talloc_free(ctx);
			return rc;
		}
	}
	fprintf(stderr, "stiwf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
