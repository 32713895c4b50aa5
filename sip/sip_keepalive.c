/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Liveness of SIP peers by OPTIONS (sip/sip_keepalive.h). */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "sip/sip_call_internal.h"
#include "sip/sip_keepalive.h"
#include "src/core/logging.h"

const struct value_string sip_keepalive_state_names[] = {
	{ SIP_KEEPALIVE_UNKNOWN, "unknown" },
	{ SIP_KEEPALIVE_UP, "up" },
	{ SIP_KEEPALIVE_DOWN, "down" },
	{ 0, NULL }
};

struct sip_keepalive {
	struct llist_head entry;	/* in agent->keepalives */
	struct stiwf_sip_agent *agent;
	char name[64];
	char *uri;
	unsigned int interval_s;
	unsigned int max_failures;
	sip_keepalive_cb cb;
	void *priv;
	struct osmo_timer_list timer;
	nua_handle_t *nh;		/* the OPTIONS in flight, or NULL */
	enum sip_keepalive_state state;
	unsigned int failures;		/* in a row */
	int last_status;
	void **ref;			/* the owner's pointer, NULLed on free */
};

bool sip_keepalive_status_alive(int status)
{
	return status >= 200 && status != 408 && status != 503;
}

static void ka_set_state(struct sip_keepalive *ka, enum sip_keepalive_state st, int status, const char *phrase)
{
	if (ka->state == st)
		return;
	if (st == SIP_KEEPALIVE_DOWN)
		LOGP(DSIP, LOGL_NOTICE, "sip-peer %s: down after %u failed OPTIONS (last %d %s)\n", ka->name,
		     ka->failures, status, phrase);
	else
		LOGP(DSIP, LOGL_NOTICE, "sip-peer %s: up (OPTIONS answered %d %s)\n", ka->name, status, phrase);
	ka->state = st;
	if (ka->cb)
		ka->cb(ka, st, ka->priv);
}

static void ka_send(void *data)
{
	struct sip_keepalive *ka = data;

	osmo_timer_schedule(&ka->timer, ka->interval_s, 0);
	if (ka->nh) {
		/* the last one has no final response yet (timer F runs
		 * 32 s): one at a time */
		LOGP(DSIP, LOGL_DEBUG, "sip-peer %s: OPTIONS still unanswered\n", ka->name);
		return;
	}
	if (!ka->agent->nua || ka->agent->shutting_down)
		return;
	ka->nh = nua_handle(ka->agent->nua, (nua_hmagic_t *)ka, SIPTAG_TO_STR(ka->uri), TAG_END());
	if (!ka->nh) {
		LOGP(DSIP, LOGL_ERROR, "sip-peer %s: no handle for OPTIONS\n", ka->name);
		return;
	}
	LOGP(DSIP, LOGL_DEBUG, "sip-peer %s: OPTIONS %s\n", ka->name, ka->uri);
	nua_options(ka->nh, NUTAG_URL(ka->uri), TAG_END());
}

void sip_keepalive_nua_response(struct stiwf_sip_agent *agent, int status, const char *phrase,
				nua_handle_t *nh, nua_hmagic_t *hmagic)
{
	struct sip_keepalive *ka = NULL, *k;

	/* only a keepalive of this agent with this handle: nothing else
	 * sends OPTIONS, but the magic is not trusted blindly */
	llist_for_each_entry(k, &agent->keepalives, entry) {
		if ((nua_hmagic_t *)k == hmagic && k->nh == nh) {
			ka = k;
			break;
		}
	}
	if (!ka) {
		if (nh && status >= 200)
			nua_handle_destroy(nh);
		return;
	}
	if (status < 200)
		return;
	nua_handle_destroy(ka->nh);
	ka->nh = NULL;
	ka->last_status = status;
	if (!phrase)
		phrase = "";
	if (sip_keepalive_status_alive(status)) {
		ka->failures = 0;
		ka_set_state(ka, SIP_KEEPALIVE_UP, status, phrase);
		return;
	}
	if (ka->failures < UINT_MAX)
		ka->failures++;
	LOGP(DSIP, LOGL_INFO, "sip-peer %s: OPTIONS failed: %d %s (%u in a row)\n", ka->name, status, phrase,
	     ka->failures);
	if (ka->failures >= ka->max_failures)
		ka_set_state(ka, SIP_KEEPALIVE_DOWN, status, phrase);
}

static int ka_destructor(struct sip_keepalive *ka)
{
	osmo_timer_del(&ka->timer);
	if (ka->nh)
		nua_handle_destroy(ka->nh);
	ka->nh = NULL;
	llist_del(&ka->entry);
	if (ka->ref)
		*ka->ref = NULL;
	return 0;
}

void sip_agent_keepalives_free(struct stiwf_sip_agent *agent)
{
	struct sip_keepalive *ka, *tmp;

	llist_for_each_entry_safe(ka, tmp, &agent->keepalives, entry)
		talloc_free(ka);
}

struct sip_keepalive *sip_keepalive_alloc(void *ctx, struct stiwf_sip_agent *agent, const char *name,
					  const char *uri, unsigned int interval_s, unsigned int failures,
					  sip_keepalive_cb cb, void *priv)
{
	struct sip_keepalive *ka;

	if (!agent || !agent->nua || !name || !uri || !interval_s || !failures)
		return NULL;
	ka = talloc_zero(ctx, struct sip_keepalive);
	if (!ka)
		return NULL;
	ka->uri = talloc_strdup(ka, uri);
	if (!ka->uri) {
		talloc_free(ka);
		return NULL;
	}
	OSMO_STRLCPY_ARRAY(ka->name, name);
	ka->agent = agent;
	ka->interval_s = interval_s;
	ka->max_failures = failures;
	ka->cb = cb;
	ka->priv = priv;
	ka->state = SIP_KEEPALIVE_UNKNOWN;
	llist_add_tail(&ka->entry, &agent->keepalives);
	talloc_set_destructor(ka, ka_destructor);
	osmo_timer_setup(&ka->timer, ka_send, ka);
	osmo_timer_schedule(&ka->timer, 0, 0);
	return ka;
}

void sip_keepalive_set_ref(struct sip_keepalive *ka, void **ref)
{
	ka->ref = ref;
}

enum sip_keepalive_state sip_keepalive_state(const struct sip_keepalive *ka)
{
	return ka->state;
}

unsigned int sip_keepalive_failures(const struct sip_keepalive *ka)
{
	return ka->failures;
}

int sip_keepalive_last_status(const struct sip_keepalive *ka)
{
	return ka->last_status;
}
