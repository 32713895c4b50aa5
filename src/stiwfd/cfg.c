/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VTY set-up and reading the configuration file. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/logging.h>
#include <osmocom/vty/misc.h>
#include <osmocom/vty/stats.h>
#include <osmocom/vty/tdef_vty.h>
#include <osmocom/vty/telnet_interface.h>
#include <osmocom/vty/vty.h>

#include "config.h"
#include "iwf/map_dialogue.h"
#include "iwf/peer.h"
#include "sip/sip_agent.h"
#include "src/stiwfd/cfg.h"
#include "src/core/license.h"
#include "src/core/logging.h"
#include "src/core/metrics.h"
#include "src/core/vty_nodes.h"
#include "ss7/ss7.h"

/* libosmovty defines struct host in command.h and exports the one instance,
 * but its headers declare no extern for it: the passwords live there. */
extern struct host host;
static unsigned int vty_max_sessions = STIWF_VTY_MAX_SESSIONS;

unsigned int stiwf_vty_max_sessions(void)
{
	return vty_max_sessions;
}

/* libosmovty's "line vty" node, one command more: each telnet session
 * holds a descriptor and a struct vty, and libosmovty accepts them
 * without end.  The bound is applied on accept() (src/core/accept_limit.c). */
DEFUN(cfg_vty_max_sessions, cfg_vty_max_sessions_cmd,
      "max-sessions <0-1000>",
      "Bound the VTY telnet sessions open at once; beyond it new ones are closed\n"
      "Sessions (0: no bound)\n")
{
	vty_max_sessions = (unsigned int)strtoul(argv[0], NULL, 10);
	if (vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

/* libosmovty writes its own "line vty" block and knows nothing of ours:
 * a second block, after it, carries the bound. */
static struct cmd_node line_vty_node = {
	STIWF_LINE_VTY_NODE,
	"%s(config-line-max)# ",
	1,
};

static int config_write_line_vty(struct vty *vty)
{
	vty_out(vty, "line vty%s", VTY_NEWLINE);
	vty_out(vty, " max-sessions %u%s", vty_max_sessions, VTY_NEWLINE);
	return CMD_SUCCESS;
}

static int stiwf_vty_go_parent(struct vty *vty)
{
	switch (vty->node) {
	case STIWF_SIP_NODE:
	case STIWF_STIR_NODE:
	case STIWF_TSCA_NODE:
	case STIWF_SIP_PEER_NODE:
	case STIWF_SS7_PEER_NODE:
	case STIWF_SCCP_NODE:
	case STIWF_MAP_PEER_NODE:
		vty->node = CONFIG_NODE;
		vty->index = NULL;
		return 0;
	default:
		return stiwf_ss7_vty_go_parent(vty);
	}
}

static struct vty_app_info stiwf_vty_info = {
	.name = "stiwfd",
	.version = PACKAGE_VERSION,
	.copyright = "stiwf: STIR/SHAKEN <-> SS7 signalling interworking function\r\n" STIWF_LICENSE_NOTICE("\r\n"),
	.go_parent_cb = stiwf_vty_go_parent,
};

/* libosmocore keeps one list of timer groups for "timer GROUP T VAL" and
 * "show timer" (osmo_tdef_vty_groups_init() takes one array): the rooms'
 * groups joined */
static void tdef_groups_init(void)
{
	static struct osmo_tdef_group groups[8];
	const struct osmo_tdef_group *g;
	unsigned int n = 0;

	for (g = stiwf_ss7_tdef_groups; g->name && n < ARRAY_SIZE(groups) - 2; g++)
		groups[n++] = *g;
	groups[n++] = (struct osmo_tdef_group){
		.name = "map", .desc = "the MAP border: dialogue table (X1)", .tdefs = iwf_map_tdefs,
	};
	osmo_tdef_vty_groups_init(CONFIG_NODE, groups);
}

int stiwf_vty_init(void *ctx)
{
	int rc;

	stiwf_vty_info.tall_ctx = ctx;
	vty_init(&stiwf_vty_info);
	logging_vty_add_cmds();
	osmo_talloc_vty_add_cmds();
	osmo_stats_vty_add_cmds();
	install_element(VTY_NODE, &cfg_vty_max_sessions_cmd);
	metrics_vty_init();
	stiwf_sip_vty_init(ctx);
	iwf_peer_vty_init(ctx);
	rc = stiwf_ss7_init(ctx);
	if (rc < 0)
		return rc;
	tdef_groups_init();
	/* written after every other node: its number is the last */
	install_node(&line_vty_node, config_write_line_vty);
	return 0;
}

/* The config file is fed to libosmovty one line per read(), so that when
 * it stops at a bad line we know which line that was: libosmovty reads with
 * fgets(), and a stdio stream only calls read() when its buffer is empty. */
struct line_reader {
	FILE *f;
	unsigned int line;	/* lines handed out so far */
	char last[512];		/* the last line handed out */
};

static ssize_t line_reader_read(void *cookie, char *buf, size_t size)
{
	struct line_reader *lr = cookie;
	size_t n = 0;
	int c = EOF;

	while (n < size) {
		c = getc(lr->f);
		if (c == EOF)
			break;
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return ferror(lr->f) ? -1 : 0;
	if (c == '\n' || c == EOF) {
		lr->line++;
		/* keep the line without its newline for the error message */
		size_t keep = n;

		if (keep && buf[keep - 1] == '\n')
			keep--;
		if (keep >= sizeof(lr->last))
			keep = sizeof(lr->last) - 1;
		memcpy(lr->last, buf, keep);
		lr->last[keep] = '\0';
	}
	return n;
}

int stiwf_config_read(const char *path, char *err, size_t errlen)
{
	cookie_io_functions_t io = { .read = line_reader_read };
	struct line_reader lr = { 0 };
	FILE *stream = NULL;
	int rc;

	if (errlen)
		err[0] = '\0';
	lr.f = fopen(path, "r");
	if (!lr.f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	stream = fopencookie(&lr, "r", io);
	if (!stream) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(lr.f);
		return rc;
	}
	/* fgets() would stop at our line ends anyway; keep stdio from
	 * asking for more than one line ahead of the parser. */
	setvbuf(stream, NULL, _IOLBF, 4096);

	rc = vty_read_config_filep(stream, NULL);
	if (rc < 0) {
		/* The offending line may be a comment-stripped blank when a
		 * node could not be entered; say what libosmovty said. */
		snprintf(err, errlen, "%s:%u: \"%s\": %s", path, lr.line, lr.last,
			 rc == -EINVAL ? "invalid or incomplete command" :
			 rc == -ENOENT ? "unknown command" : strerror(-rc));
		rc = -EINVAL;
	}
	fclose(stream);
	fclose(lr.f);
	return rc;
}

/* 127.0.0.0/8 or ::1 */
static bool addr_is_loopback(const char *addr)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

/* Set an enable password nobody knows, through libosmovty's own command, so
 * that "enable" (and with it every command that changes anything) is
 * refused: 32 random octets as hex are never typed by chance. */
static int vty_enable_lock(void)
{
	uint8_t rnd[32];
	char line[sizeof("enable password ") + 2 * sizeof(rnd) + 2];
	size_t i, n;
	FILE *f;
	int rc;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return -EIO;
	n = (size_t)snprintf(line, sizeof(line), "enable password ");
	for (i = 0; i < sizeof(rnd); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x", rnd[i]);
	snprintf(line + n, sizeof(line) - n, "\n");
	OPENSSL_cleanse(rnd, sizeof(rnd));
	f = fmemopen(line, strlen(line), "r");
	if (!f) {
		rc = -errno;
		goto out;
	}
	rc = vty_read_config_filep(f, NULL);
	fclose(f);
out:
	OPENSSL_cleanse(line, sizeof(line));
	return rc < 0 ? -EIO : 0;
}

int stiwf_vty_secure(const char *config_path, bool *read_only, char *err, size_t errlen)
{
	bool has_enable = host.enable && host.enable[0];
	bool has_password = has_enable || (host.password && host.password[0]);
	const char *bind = vty_get_bind_addr();
	struct stat st;

	if (errlen)
		err[0] = '\0';
	*read_only = false;
	/* libosmovty is built without crypt(): a hidden ("8") password never
	 * matches, and a console nobody can enter is better refused now */
	if ((host.enable_encrypt && !host.enable) || (host.password_encrypt && !host.password)) {
		snprintf(err, errlen, "%s: hidden passwords ('password 8', 'enable password 8') are not "
			 "supported by this libosmovty; write them in clear text in a file only stiwfd reads",
			 config_path);
		return -EINVAL;
	}
	/* a telnet console on an address others can reach must at least ask
	 * for a password before it changes anything */
	if (!addr_is_loopback(bind) && !has_enable) {
		snprintf(err, errlen, "%s: 'line vty' binds %s, which is not a loopback address, and no "
			 "'enable password' is set: refusing a console the network could reconfigure",
			 config_path, bind);
		return -EPERM;
	}
	/* the passwords are in the file: not for every local user to read */
	if (has_password && config_path) {
		if (stat(config_path, &st) < 0) {
			snprintf(err, errlen, "%s: %s", config_path, strerror(errno));
			return -errno;
		}
		if (st.st_mode & S_IRWXO) {
			snprintf(err, errlen, "%s has mode %04o and holds a VTY password: others may read it "
				 "(chmod o-rwx)", config_path, (unsigned int)(st.st_mode & 07777));
			return -EPERM;
		}
	}
	if (!has_enable) {
		if (vty_enable_lock() < 0) {
			snprintf(err, errlen, "cannot lock the VTY's enable mode");
			return -EIO;
		}
		*read_only = true;
	}
	return 0;
}
