/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file map_dialogue.h
 *  The MAP border's table of open TCAP dialogues (Q.774 transactions), so
 *  that the messages after a Begin inherit what was found on it and the
 *  answers find their way back.
 *
 *  A dialogue has two sides: the originator (the node that sent the
 *  Begin, with its OTID) and the responder (the node whose first backward
 *  Continue or End gave its OTID, or none yet).  Each side is keyed by
 *  (map-peer, node global title, transaction ID): the TID a node allocated
 *  is unique for that node only (Q.774 §3.2.1), and a map-peer is a whole
 *  network of nodes.  A message finds its dialogue by its DTID and the
 *  node that allocated it: the called party of the message.
 *
 *  Bounds: at most max dialogues (the least recently used one goes when a
 *  new one opens at the bound), and each closes when no message of it was
 *  seen for the dialogue timer ("timer map X1", default 120 s): TCAP has
 *  no keep-alive, so a dialogue whose End or Abort we never saw would stay
 *  for ever.  Every close goes through the end callback once, with why. */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "iwf/map_policy.h"

/*! osmo_tdef number of the dialogue timer ("X1" in the VTY) */
#define IWF_MAP_T_DIALOGUE	-1
/*! Global title digits of a side (as SCCP_GT_DIGITS_MAX) */
#define IWF_MAP_DLG_GT_MAX	32
/*! Q.773 §3.1: transaction IDs have 1 to 4 octets */
#define IWF_MAP_DLG_TID_MAX	4

/*! The MAP border's timers; call iwf_map_tdefs_init() before reading them. */
extern struct osmo_tdef iwf_map_tdefs[];

/*! Set the timers to their defaults, once. */
void iwf_map_tdefs_init(void);

/*! Why a dialogue closed */
enum iwf_map_dlg_end {
	IWF_MAP_DLG_END_END,		/*!< a TC-END went through */
	IWF_MAP_DLG_END_ABORT,		/*!< a TC-ABORT went through */
	IWF_MAP_DLG_END_BLOCKED,	/*!< a message of it was blocked */
	IWF_MAP_DLG_END_TIMEOUT,	/*!< the dialogue timer expired */
	IWF_MAP_DLG_END_EVICTED,	/*!< the oldest, for a new one at the bound */
	IWF_MAP_DLG_END_REPLACED,	/*!< a new Begin with the same originator TID */
	IWF_MAP_DLG_END_SHUTDOWN,	/*!< the table was freed */
};
extern const struct value_string iwf_map_dlg_end_names[];

/*! One side of a dialogue: a TID and the node that allocated it */
struct iwf_map_dlg_side {
	bool bound;
	unsigned int peer_id;
	char gt[IWF_MAP_DLG_GT_MAX + 1];
	uint8_t tid_len;
	uint8_t tid[IWF_MAP_DLG_TID_MAX];
	struct llist_head hash;		/*!< in the table's bucket (private) */
	struct iwf_map_dlg *dlg;	/*!< the dialogue it is a side of (private) */
};

/*! Side indexes */
enum iwf_map_dlg_dir {
	IWF_MAP_DLG_ORIG = 0,		/*!< the node that sent the Begin */
	IWF_MAP_DLG_RESP = 1,		/*!< the node that answered it */
};

struct iwf_map_dlg_table;

/*! An open dialogue */
struct iwf_map_dlg {
	struct llist_head lru;		/*!< least recently used first (private) */
	struct iwf_map_dlg_table *table;
	struct iwf_map_dlg_side side[2];
	/*! the verdict of the messages each side sends, and why */
	enum iwf_map_verdict verdict[2];
	enum iwf_map_reason reason[2];
	/*! a side's first message with a dialogue portion is being verified:
	 *  its later messages wait (the caller keeps them) */
	bool pending[2];
	uint8_t sls;			/*!< kept for every message of it, both ways */
	int64_t opcode;			/*!< the operation of the Begin, -1 none */
	enum iwf_map_cat cat;
	struct timespec opened;		/*!< monotonic */
	unsigned int messages;
	struct osmo_timer_list timer;	/*!< private */
	void *priv;			/*!< the caller's, for the end callback */
};

/*! Called once when a dialogue closes, before it is freed; the caller
 *  frees what it hung on d->priv.  It must not close other dialogues. */
typedef void (*iwf_map_dlg_end_cb)(struct iwf_map_dlg *d, enum iwf_map_dlg_end why, void *priv);

/*! \returns a table of at most \a max dialogues (>= 1), or NULL */
struct iwf_map_dlg_table *iwf_map_dlg_table_alloc(void *ctx, unsigned int max, iwf_map_dlg_end_cb cb, void *priv);

/*! Close every dialogue (reason SHUTDOWN) and free the table. */
void iwf_map_dlg_table_free(struct iwf_map_dlg_table *t);

/*! Open a dialogue for a Begin: its originator side is (peer_id, gt,
 *  tid).  A dialogue already keyed so closes (REPLACED): its node reused
 *  the TID, so it ended without our seeing it.  At the bound the least
 *  recently used dialogue closes (EVICTED).  The timer starts.
 *  \returns the dialogue, or NULL (bad arguments, no memory) */
struct iwf_map_dlg *iwf_map_dlg_open(struct iwf_map_dlg_table *t, unsigned int peer_id, const char *gt,
				     const uint8_t *tid, unsigned int tid_len);

/*! Give the dialogue its responder side (its first backward message).
 *  \returns 0, -EALREADY (bound already), -EEXIST (another dialogue has
 *  that key), -EINVAL */
int iwf_map_dlg_bind(struct iwf_map_dlg *d, unsigned int peer_id, const char *gt, const uint8_t *tid,
		     unsigned int tid_len);

/*! The dialogue one of whose sides is (peer_id, gt, tid).
 *  \param[out] dir which side, or NULL
 *  \returns it, or NULL */
struct iwf_map_dlg *iwf_map_dlg_find(struct iwf_map_dlg_table *t, unsigned int peer_id, const char *gt,
				     const uint8_t *tid, unsigned int tid_len, enum iwf_map_dlg_dir *dir);

/*! A message of the dialogue went through: restart its timer, make it the
 *  most recently used. */
void iwf_map_dlg_touch(struct iwf_map_dlg *d);

/*! Close (end callback, then free). */
void iwf_map_dlg_close(struct iwf_map_dlg *d, enum iwf_map_dlg_end why);

/*! \returns the dialogues open */
unsigned int iwf_map_dlg_count(const struct iwf_map_dlg_table *t);

/*! \returns the bound */
unsigned int iwf_map_dlg_max(const struct iwf_map_dlg_table *t);

/*! Walk the open dialogues, least recently used first: NULL starts. */
struct iwf_map_dlg *iwf_map_dlg_next(struct iwf_map_dlg_table *t, struct iwf_map_dlg *prev);
