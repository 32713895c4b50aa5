/* VTY set-up and reading the configuration file. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/talloc.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/logging.h>
#include <osmocom/vty/misc.h>
#include <osmocom/vty/stats.h>
#include <osmocom/vty/telnet_interface.h>
#include <osmocom/vty/vty.h>

#include "config.h"
#include "iwf/peer.h"
#include "sip/sip_agent.h"
#include "src/cfg.h"
#include "src/logging.h"
#include "src/vty_nodes.h"
#include "ss7/ss7.h"

static int stiwf_vty_go_parent(struct vty *vty)
{
	switch (vty->node) {
	case STIWF_SIP_NODE:
	case STIWF_STIR_NODE:
	case STIWF_TSCA_NODE:
	case STIWF_SIP_PEER_NODE:
	case STIWF_SS7_PEER_NODE:
	case STIWF_SCCP_NODE:
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
	.copyright = "stiwf: STIR/SHAKEN <-> SS7 signalling interworking function\r\n",
	.go_parent_cb = stiwf_vty_go_parent,
};

int stiwf_vty_init(void *ctx)
{
	int rc;

	stiwf_vty_info.tall_ctx = ctx;
	vty_init(&stiwf_vty_info);
	logging_vty_add_cmds();
	osmo_talloc_vty_add_cmds();
	osmo_stats_vty_add_cmds();
	stiwf_sip_vty_init(ctx);
	iwf_peer_vty_init(ctx);
	rc = stiwf_ss7_init(ctx);
	if (rc < 0)
		return rc;
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
