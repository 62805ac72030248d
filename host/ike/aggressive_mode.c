/* Aggressive Mode with pre-shared keys (RFC 2409 5.4), both roles:
 *   1 I->R  SA, KE, Ni, IDii, VID
 *   2 R->I  SA, KE, Nr, IDir, HASH_R, VID, NAT-D
 *   3 I->R  HASH_I, NAT-D, [N]   (sent unencrypted, as charon does;
 *                                 accepted either way) */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/ike_sa.h"
#include "ike/dpd.h"
#include "ike/natt.h"
#include "ike/phase1.h"

enum am_state {
	AM_START = 0,
	AM_SENT1,       /* I: message 1 sent */
	AM_SENT2,       /* R: message 2 sent */
	AM_DONE,
};

struct aggressive_mode {
	struct ike_task task;
	enum am_state state;
};

#define BIT ISAKMP_PT_BIT

static int build(struct ike_task *t, struct ike_sa *sa, struct isakmp_builder *b)
{
	struct aggressive_mode *am = (struct aggressive_mode *)t;
	int rc = 0;

	if (t->initiator && am->state == AM_START) {            /* message 1 */
		rc = phase1_first_group(sa, &sa->xf.dh);
		if (!rc)
			rc = phase1_build_sa_offer(sa, b);
		if (!rc)
			rc = phase1_build_ke_nonce(sa, b);
		if (rc)
			return rc;
		rc = phase1_build_id(sa, b);
		if (rc)
			return rc;
		rc = natt_build_vid(sa, b);
		if (!rc)
			rc = dpd_build_vid(sa, b);
		am->state = AM_SENT1;
		t->expect.allowed = BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_KE) |
				    BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_ID) |
				    BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_VID) |
				    BIT(ISAKMP_PT_NAT_D) | BIT(ISAKMP_PT_NOTIFY);
		return rc ? rc : TASK_WAIT;
	}
	if (t->initiator && am->state == AM_SENT1) {            /* message 3 */
		natt_float(sa);
		rc = phase1_build_hash(sa, b);
		if (!rc)
			rc = natt_build_natd(sa, b);
		if (!rc)
			rc = phase1_build_initial_contact(sa, b);
		if (rc)
			return rc;
		am->state = AM_DONE;
		ike_sa_established(sa);
		return TASK_DONE;
	}
	if (!t->initiator && am->state == AM_START) {           /* message 2 */
		rc = phase1_build_sa_reply(sa, b);
		if (!rc)
			rc = phase1_build_ke_nonce(sa, b);
		if (!rc)
			rc = phase1_derive(sa);
		if (rc)
			return rc;
		rc = phase1_build_id(sa, b);
		if (rc)
			return rc;
		rc = phase1_build_hash(sa, b);
		if (!rc)
			rc = natt_build_vid(sa, b);
		if (!rc)
			rc = dpd_build_vid(sa, b);
		if (!rc)
			rc = natt_build_natd(sa, b);
		am->state = AM_SENT2;
		t->expect.allowed = BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_NAT_D) |
				    BIT(ISAKMP_PT_NOTIFY) | BIT(ISAKMP_PT_VID);
		return rc ? rc : TASK_WAIT;
	}
	return FG_ERR_STATE;
}

static int process(struct ike_task *t, struct ike_sa *sa, const struct isakmp_msg *m)
{
	struct aggressive_mode *am = (struct aggressive_mode *)t;
	int rc;

	if (t->initiator && am->state == AM_SENT1) {            /* message 2 */
		memcpy(sa->rcookie, m->hdr.rcookie, ISAKMP_COOKIE_LEN);
		rc = phase1_process_sa_reply(sa, m);
		if (!rc)
			rc = phase1_process_ke_nonce(sa, m);
		if (!rc)
			rc = phase1_process_id(sa, m);
		if (rc)
			return rc;
		natt_process_vid(sa, m);
		dpd_process_vid(sa, m);
		natt_process_natd(sa, m);
		rc = phase1_derive(sa);
		if (!rc)
			rc = phase1_verify_hash(sa, m, sa->peer_id_b, sa->peer_id_len);
		if (!rc)
			rc = phase1_process_notify(sa, m);
		return rc ? rc : TASK_REPLY;
	}
	if (!t->initiator && am->state == AM_START) {           /* message 1 */
		natt_process_vid(sa, m);
		dpd_process_vid(sa, m);
		rc = phase1_select(sa, m);
		if (!rc)
			rc = phase1_process_ke_nonce(sa, m);
		if (!rc)
			rc = phase1_process_id(sa, m);
		return rc ? rc : TASK_REPLY;
	}
	if (!t->initiator && am->state == AM_SENT2) {           /* message 3 */
		natt_process_natd(sa, m);
		rc = phase1_verify_hash(sa, m, sa->peer_id_b, sa->peer_id_len);
		if (!rc)
			rc = phase1_process_notify(sa, m);
		if (rc)
			return rc;
		am->state = AM_DONE;
		ike_sa_established(sa);
		return TASK_DONE;
	}
	return FG_ERR_STATE;
}

static void destroy(struct ike_task *t)
{
	free(t);
}

struct ike_task *aggressive_mode_create(bool initiator)
{
	struct aggressive_mode *am = calloc(1, sizeof(*am));

	if (!am)
		return NULL;
	am->task = (struct ike_task){
		.name = "Aggressive Mode", .exch = ISAKMP_EXCH_AGGRESSIVE,
		.initiator = initiator, .build = build, .process = process,
		.destroy = destroy,
	};
	am->task.expect.allowed = BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_KE) |
				  BIT(ISAKMP_PT_NONCE) | BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_VID);
	am->task.expect.repeat = BIT(ISAKMP_PT_VID) | BIT(ISAKMP_PT_NAT_D) |
				 BIT(ISAKMP_PT_NOTIFY);
	return &am->task;
}
