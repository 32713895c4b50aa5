/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwfd: the STIR/SHAKEN <-> SS7 interworking daemon. */

#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include <osmocom/core/application.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/vty/telnet_interface.h>
#include <osmocom/vty/vty.h>

#include "config.h"
#include "iwf/call.h"
#include "iwf/peer.h"
#include "sip/sip_agent.h"
#include "src/core/accept_limit.h"
#include "src/stiwfd/call_echo.h"
#include "src/stiwfd/cfg.h"
#include "src/core/evloop.h"
#include "src/core/license.h"
#include "src/core/logging.h"
#include "src/core/metrics.h"
#include "src/core/replay_store.h"
#include "src/stiwfd/stiwfd_iwf.h"
#include "src/core/workq.h"

/* How long a graceful SIP shutdown may take before we stop anyway. */
#define SHUTDOWN_GRACE_MS 3000

static void *tall_stiwf_ctx;
static GMainLoop *main_loop;
static int exit_signal;

static void print_help(FILE *out)
{
	fprintf(out,
		"Usage: stiwfd [-c FILE] [-V] [-h]\n"
		"STIR/SHAKEN <-> SS7 signalling interworking daemon.\n"
		"\n"
		"  -c, --config-file FILE  configuration file (default " STIWF_DEFAULT_CONFIG ")\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              print this help and exit\n"
		"\n"
		"The VTY console listens on 127.0.0.1:%d unless 'line vty' says otherwise;\n"
		"without an 'enable password' it is read-only.\n"
		"See stiwfd(8) and stiwfd.conf(5).\n", STIWF_VTY_PORT);
}

/* Descriptors: the soft limit is often 1024, a few hundred SIP
 * connections and calls' x5u fetches away.  Take what the hard limit
 * allows; the connection bounds keep the use below it. */
static void nofile_raise(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t was = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			LOGP(DMAIN, LOGL_ERROR, "cannot raise the open files limit from %llu to %llu: %s\n",
			     (unsigned long long)was, (unsigned long long)rl.rlim_max, strerror(errno));
			rl.rlim_cur = was;
		}
	}
	LOGP(DMAIN, LOGL_NOTICE, "open files limit %llu (hard %llu)\n", (unsigned long long)rl.rlim_cur,
	     (unsigned long long)rl.rlim_max);
}

/* Bounds on what the listeners accept (src/core/accept_limit.c) */
static int accept_limits_setup(void)
{
	int rc;

	rc = stiwf_accept_limit_set("VTY", vty_get_bind_addr(), vty_get_bind_port(STIWF_VTY_PORT),
				    stiwf_vty_max_sessions(), 0);
	if (rc < 0) {
		fprintf(stderr, "stiwfd: cannot bound the VTY sessions on %s: %s\n", vty_get_bind_addr(),
			rc == -EINVAL ? "the 'line vty' bind address is not numeric" : strerror(-rc));
		return rc;
	}
	if (g_sip_cfg->transport == STIWF_SIP_TP_UDP)
		return 0;
	/* Sofia's idle timer never starts on a connection that stays
	 * silent from the first octet: the same timeout, applied here */
	rc = stiwf_accept_limit_set("SIP", g_sip_cfg->local_addr, g_sip_cfg->local_port,
				    g_sip_cfg->max_tcp_connections, g_sip_cfg->tcp_idle_timeout_s);
	if (rc < 0)
		fprintf(stderr, "stiwfd: cannot bound the SIP TCP connections: %s\n", strerror(-rc));
	return rc;
}

static gboolean on_signal(gpointer data)
{
	int sig = GPOINTER_TO_INT(data);

	if (!exit_signal) {
		LOGP(DMAIN, LOGL_NOTICE, "signal %d (%s): shutting down\n", sig, strsignal(sig));
		exit_signal = sig;
	}
	g_main_loop_quit(main_loop);
	return G_SOURCE_CONTINUE;
}

/* SIGHUP: the CRLs again, all of them (the timer reads them only when
 * due), so that an operator who put a new CRL file in place need not wait
 * or restart.  SIGHUP used to end the daemon (its default action). */
static gboolean on_sighup(gpointer data)
{
	LOGP(DMAIN, LOGL_NOTICE, "SIGHUP: reading the CRLs again\n");
	stiwfd_certs_refresh(data, true);
	return G_SOURCE_CONTINUE;
}

static gboolean on_sigusr1(gpointer data)
{
	/* The osmocom habit: a talloc report on demand. */
	talloc_report_full(tall_stiwf_ctx, stderr);
	return G_SOURCE_CONTINUE;
}

static void sip_shutdown_done(void *priv)
{
	g_main_loop_quit(main_loop);
}

static gboolean on_shutdown_timeout(gpointer data)
{
	LOGP(DMAIN, LOGL_NOTICE, "SIP shutdown did not finish in %d ms, stopping anyway\n",
	     SHUTDOWN_GRACE_MS);
	g_main_loop_quit(main_loop);
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config-file", required_argument, NULL, 'c' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_file = STIWF_DEFAULT_CONFIG;
	struct stiwf_sip_agent *sip = NULL;
	struct stiwf_workq *workq = NULL;
	struct stiwfd_iwf *iwf = NULL;
	guint sig_src[4], timeout_src;
	bool vty_read_only;
	char err[768];
	int opt, rc = EXIT_FAILURE;

	while ((opt = getopt_long(argc, argv, "c:Vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config_file = optarg;
			break;
		case 'V':
			printf("stiwfd %s\n" STIWF_LICENSE_NOTICE("\n"), PACKAGE_VERSION);
			return EXIT_SUCCESS;
		case 'h':
			print_help(stdout);
			return EXIT_SUCCESS;
		default:
			print_help(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "stiwfd: unexpected argument '%s'\n", argv[optind]);
		print_help(stderr);
		return 2;
	}

	tall_stiwf_ctx = talloc_named_const(NULL, 1, "stiwfd");
	if (!tall_stiwf_ctx)
		return EXIT_FAILURE;
	msgb_talloc_ctx_init(tall_stiwf_ctx, 0);

	if (stiwf_logging_init(tall_stiwf_ctx) < 0) {
		fprintf(stderr, "stiwfd: cannot initialise logging\n");
		goto out_ctx;
	}
	if (stiwf_vty_init(tall_stiwf_ctx) < 0) {
		fprintf(stderr, "stiwfd: cannot initialise the VTY\n");
		goto out_log;
	}
	call_echo_vty_init(tall_stiwf_ctx);
	iwf_call_vty_init();
	replay_store_vty_init();
	rate_ctr_init(tall_stiwf_ctx);
	osmo_stats_init(tall_stiwf_ctx);

	if (stiwf_config_read(config_file, err, sizeof(err)) < 0) {
		fprintf(stderr, "stiwfd: bad configuration: %s\n", err);
		goto out_log;
	}
	/* references between peers and routes may come in any order in the
	 * file: only the whole of it tells whether they hold together */
	if (iwf_cfg_check(err, sizeof(err)) < 0) {
		fprintf(stderr, "stiwfd: bad configuration: %s: %s\n", config_file, err);
		goto out_log;
	}
	if (stiwf_vty_secure(config_file, &vty_read_only, err, sizeof(err)) < 0) {
		fprintf(stderr, "stiwfd: bad configuration: %s\n", err);
		goto out_log;
	}
	LOGP(DMAIN, LOGL_NOTICE, "stiwfd %s starting with %s\n", PACKAGE_VERSION, config_file);
	if (vty_read_only)
		LOGP(DMAIN, LOGL_NOTICE, "no 'enable password' configured: the VTY console is read-only\n");
	nofile_raise();

	rc = telnet_init_default(tall_stiwf_ctx, NULL, STIWF_VTY_PORT);
	if (rc < 0) {
		fprintf(stderr, "stiwfd: cannot bind the VTY console: %s\n", strerror(-rc));
		rc = EXIT_FAILURE;
		goto out_log;
	}
	rc = EXIT_FAILURE;
	if (accept_limits_setup() < 0)
		goto out_vty;

	rc = stiwf_evloop_install();
	if (rc < 0) {
		fprintf(stderr, "stiwfd: cannot set up the event loop: %s\n", strerror(-rc));
		rc = EXIT_FAILURE;
		goto out_vty;
	}
	rc = EXIT_FAILURE;
	main_loop = g_main_loop_new(NULL, FALSE);

	/* ARCHITECTURE §5: signing and verification on a worker pool sized to the
	 * cores.  With a single core a pool adds no parallelism, only two
	 * thread switches and wake-ups per job: the jobs run on the loop. */
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		workq = stiwf_workq_create(tall_stiwf_ctx, 0);
		if (!workq)
			goto out_loop;
	} else {
		LOGP(DMAIN, LOGL_NOTICE, "one core: signing and verification run on the event loop\n");
	}
	/* ARCHITECTURE §5: the rooms in order, each from the configuration */
	iwf = stiwfd_iwf_alloc(tall_stiwf_ctx, workq);
	if (!iwf || stiwfd_certs_setup(iwf) < 0 || stiwfd_ss7_setup(iwf) < 0) {
		fprintf(stderr, "stiwfd: cannot set up the IWF (see the log)\n");
		goto out_loop;
	}

	if (stiwfd_tls_setup(tall_stiwf_ctx, err, sizeof(err)) < 0 || stiwfd_proxy_setup(err, sizeof(err)) < 0) {
		fprintf(stderr, "stiwfd: bad configuration: %s: %s\n", config_file, err);
		goto out_loop;
	}
	sip = stiwf_sip_agent_start(tall_stiwf_ctx, g_sip_cfg);
	if (!sip)
		goto out_loop;
	if (g_sip_cfg->test_mode == STIWF_SIP_TEST_ECHO) {
		/* the SIP test owner instead of the IWF (tests of the SIP leg) */
		call_echo_attach(sip);
	} else if (stiwfd_calls_setup(iwf, sip) < 0) {
		fprintf(stderr, "stiwfd: cannot start the call layer\n");
		goto out_loop;
	}

	if (metrics_start(tall_stiwf_ctx) < 0) {
		fprintf(stderr, "stiwfd: cannot open the metrics endpoint (see the log)\n");
		goto out_loop;
	}

	sig_src[0] = g_unix_signal_add(SIGTERM, on_signal, GINT_TO_POINTER(SIGTERM));
	sig_src[1] = g_unix_signal_add(SIGINT, on_signal, GINT_TO_POINTER(SIGINT));
	sig_src[2] = g_unix_signal_add(SIGUSR1, on_sigusr1, NULL);
	sig_src[3] = g_unix_signal_add(SIGHUP, on_sighup, iwf);
	signal(SIGPIPE, SIG_IGN);

	LOGP(DMAIN, LOGL_NOTICE, "ready: SIP on %s, VTY console on %s\n", stiwf_sip_agent_url(sip),
	     vty_get_bind_addr());
	g_main_loop_run(main_loop);

	/* Every call releases both legs (REL, BYE/503) while SIP still runs. */
	g_source_remove(sig_src[3]);
	stiwfd_iwf_free(iwf);
	iwf = NULL;
	/* Graceful stop: let Sofia close its transactions, bounded in time. */
	stiwf_sip_agent_shutdown(sip, sip_shutdown_done, NULL);
	timeout_src = g_timeout_add(SHUTDOWN_GRACE_MS, on_shutdown_timeout, NULL);
	g_main_loop_run(main_loop);
	g_source_remove(timeout_src);
	g_source_remove(sig_src[0]);
	g_source_remove(sig_src[1]);
	g_source_remove(sig_src[2]);
	rc = EXIT_SUCCESS;

out_loop:
	metrics_stop();
	stiwfd_iwf_free(iwf);
	if (sip)
		stiwf_sip_agent_free(sip);
	if (workq)
		stiwf_workq_destroy(workq);
	if (main_loop)
		g_main_loop_unref(main_loop);
	stiwf_evloop_uninstall();
out_vty:
	telnet_exit();
	stiwf_accept_limits_clear();
out_log:
	log_fini();
out_ctx:
	/* before libosmo-sigtran's groups go without leaving the list */
	if (g_iwf_cfg)
		iwf_cfg_peer_ctrs_free(g_iwf_cfg);
	talloc_free(tall_stiwf_ctx);
	if (rc == EXIT_SUCCESS)
		fprintf(stderr, "stiwfd: stopped\n");
	return rc;
}
