/*
 * An IKEv1 exchange as a small task object (strongSwan's ikev1 tasks are
 * the model): one per exchange in progress on an ISAKMP SA, keyed by its
 * message ID, with build/process callbacks per role and a private state
 * enum inside each implementation (main_mode.c, aggressive_mode.c,
 * quick_mode.c). The driver in ike_sa.c owns encryption, the IV chain,
 * duplicate detection and retransmission; a task only fills and reads
 * plaintext payloads.
 *
 *   process(): handle a received, decrypted and parsed message; returns
 *     TASK_REPLY (call build and send), TASK_DONE (finished, nothing to
 *     send) or a negative fg_err (the exchange fails).
 *   build(): append this step's payloads to b (the header is written);
 *     returns TASK_WAIT (sent, a reply is expected: retransmit until it
 *     comes), TASK_DONE (sent, exchange finished) or a negative fg_err.
 *   expect: the payload types the next received message may carry.
 */
#ifndef FGATE_IKE_TASK_H
#define FGATE_IKE_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/isakmp.h"
#include "ike/keys.h"

struct ike_sa;
struct fg_child;

enum task_result { TASK_WAIT = 1, TASK_REPLY = 2, TASK_DONE = 3 };

struct ike_task {
	struct ike_task *next;          /* in the SA's list */
	const char *name;               /* "Main Mode", ... for logs */
	uint8_t exch;                   /* enum isakmp_exchange */
	uint32_t msgid;                 /* 0 in phase 1 */
	bool initiator;
	bool encrypt;                   /* send this step encrypted */
	bool done;
	struct isakmp_allow expect;
	struct keys_iv iv;              /* chain of a phase 2 exchange */
	int (*build)(struct ike_task *t, struct ike_sa *sa, struct isakmp_builder *b);
	int (*process)(struct ike_task *t, struct ike_sa *sa, const struct isakmp_msg *m);
	void (*destroy)(struct ike_task *t);
	/* driver state (ike_sa.c) */
	uint8_t *out;                   /* last message sent, for retransmits */
	size_t out_len;
	uint8_t *in;                    /* last message received, for duplicates */
	size_t in_len;
	bool waiting;                   /* a reply is expected */
	unsigned tries;
	uint64_t retx_at, expire_at;    /* ms of the monotonic clock */
};

/* Constructors (each file's only export). */
struct ike_task *main_mode_create(bool initiator);
struct ike_task *aggressive_mode_create(bool initiator);
/* child: the config to negotiate (initiator); NULL for a responder, which
 * picks it from the proposed selectors. */
struct ike_task *quick_mode_create(bool initiator, uint32_t msgid,
				   const struct fg_child *child);

#endif
