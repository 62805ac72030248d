/* Main Mode with pre-shared keys (RFC 2409 5.4), both roles:
 *   1 I->R  SA, VID             2 R->I  SA, VID
 *   3 I->R  KE, Ni, NAT-D       4 R->I  KE, Nr, NAT-D
 *   5 I->R  *IDii, HASH_I, [N]  6 R->I  *IDir, HASH_R          (* encrypted) */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/ike_sa.h"
#include "ike/dpd.h"
#include "ike/natt.h"
#include "ike/phase1.h"

enum mm_state {
	MM_START = 0,
	MM_SA,          /* SA exchanged (I: sent 1 / R: received 1) */
	MM_KE,          /* KE exchanged */
	MM_AUTH,        /* I: sent 5 / R: received 5 */
	MM_DONE,
};

struct main_mode {
	struct ike_task task;   /* first: the driver sees only this */
	enum mm_state state;
};

#define BIT ISAKMP_PT_BIT

static void expect(struct main_mode *mm)
{
	struct isakmp_allow *a = &mm->task.expect;

	switch (mm->state) {
	case MM_START:
	case MM_SA:
		a->allowed = BIT(ISAKMP_PT_SA) | BIT(ISAKMP_PT_VID);
		break;
	case MM_KE:
		if (mm->task.initiator)
			a->allowed = BIT(ISAKMP_PT_KE) | BIT(ISAKMP_PT_NONCE) |
				     BIT(ISAKMP_PT_NAT_D) | BIT(ISAKMP_PT_VID);
		else
			a->allowed = BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_HASH) |
				     BIT(ISAKMP_PT_NOTIFY) | BIT(ISAKMP_PT_VID);
		break;
	default:
		a->allowed = BIT(ISAKMP_PT_ID) | BIT(ISAKMP_PT_HASH) | BIT(ISAKMP_PT_NOTIFY) |
			     BIT(ISAKMP_PT_VID);
		break;
	}
	a->repeat = BIT(ISAKMP_PT_VID) | BIT(ISAKMP_PT_NAT_D) | BIT(ISAKMP_PT_NOTIFY);
}

static int build_i(struct main_mode *mm, struct ike_sa *sa, struct isakmp_builder *b)
{
	int rc;

	switch (mm->state) {
	case MM_START:                  /* message 1 */
		rc = phase1_build_sa_offer(sa, b);
		if (!rc)
			rc = natt_build_vid(sa, b);
		if (!rc)
			rc = dpd_build_vid(sa, b);
		mm->state = MM_SA;
		expect(mm);
		return rc ? rc : TASK_WAIT;
	case MM_SA:                     /* message 3 */
		rc = phase1_build_ke_nonce(sa, b);
		if (!rc)
			rc = natt_build_natd(sa, b);
		mm->state = MM_KE;
		expect(mm);
		return rc ? rc : TASK_WAIT;
	case MM_KE:                     /* message 5 */
		natt_float(sa);
		mm->task.encrypt = true;
		rc = phase1_build_id(sa, b);
		if (rc)
			return rc;
		rc = phase1_build_hash(sa, b);
		if (!rc)
			rc = phase1_build_initial_contact(sa, b);
		mm->state = MM_AUTH;
		expect(mm);
		return rc ? rc : TASK_WAIT;
	default:
		return FG_ERR_STATE;
	}
}

static int process_i(struct main_mode *mm, struct ike_sa *sa, const struct isakmp_msg *m)
{
	int rc;

	switch (mm->state) {
	case MM_SA:                     /* message 2 */
		memcpy(sa->rcookie, m->hdr.rcookie, ISAKMP_COOKIE_LEN);
		rc = phase1_process_sa_reply(sa, m);
		if (rc)
			return rc;
		natt_process_vid(sa, m);
		dpd_process_vid(sa, m);
		return TASK_REPLY;
	case MM_KE:                     /* message 4 */
		rc = phase1_process_ke_nonce(sa, m);
		if (rc)
			return rc;
		natt_process_natd(sa, m);
		rc = phase1_derive(sa);
		return rc ? rc : TASK_REPLY;
	case MM_AUTH:                   /* message 6 */
		if (!m->encrypted)
			return FG_ERR_AUTH;
		rc = phase1_process_id(sa, m);
		if (!rc)
			rc = phase1_verify_hash(sa, m, sa->peer_id_b, sa->peer_id_len);
		if (!rc)
			rc = phase1_process_notify(sa, m);
		if (rc)
			return rc;
		mm->state = MM_DONE;
		ike_sa_established(sa);
		return TASK_DONE;
	default:
		return FG_ERR_STATE;
	}
}

static int build_r(struct main_mode *mm, struct ike_sa *sa, struct isakmp_builder *b)
{
	int rc;

	switch (mm->state) {
	case MM_SA:                     /* message 2 */
		rc = phase1_build_sa_reply(sa, b);
		if (!rc)
			rc = natt_build_vid(sa, b);
		if (!rc)
			rc = dpd_build_vid(sa, b);
		mm->task.expect.allowed = BIT(ISAKMP_PT_KE) | BIT(ISAKMP_PT_NONCE) |
					  BIT(ISAKMP_PT_NAT_D) | BIT(ISAKMP_PT_VID);
		return rc ? rc : TASK_WAIT;
	case MM_KE:                     /* message 4 */
		rc = phase1_build_ke_nonce(sa, b);
		if (!rc)
			rc = natt_build_natd(sa, b);
		if (!rc)
			rc = phase1_derive(sa);
		expect(mm);
		return rc ? rc : TASK_WAIT;
	case MM_AUTH:                   /* message 6 */
		mm->task.encrypt = true;
		rc = phase1_build_id(sa, b);
		if (rc)
			return rc;
		rc = phase1_build_hash(sa, b);
		if (rc)
			return rc;
		mm->state = MM_DONE;
		ike_sa_established(sa);
		return TASK_DONE;
	default:
		return FG_ERR_STATE;
	}
}

static int process_r(struct main_mode *mm, struct ike_sa *sa, const struct isakmp_msg *m)
{
	int rc;

	switch (mm->state) {
	case MM_START:                  /* message 1 */
		natt_process_vid(sa, m);
		dpd_process_vid(sa, m);
		rc = phase1_select(sa, m);
		if (rc)
			return rc;
		mm->state = MM_SA;
		return TASK_REPLY;
	case MM_SA:                     /* message 3 */
		rc = phase1_process_ke_nonce(sa, m);
		if (rc)
			return rc;
		natt_process_natd(sa, m);
		mm->state = MM_KE;
		return TASK_REPLY;
	case MM_KE:                     /* message 5 */
		if (!m->encrypted)
			return FG_ERR_AUTH;
		rc = phase1_process_id(sa, m);
		if (!rc)
			rc = phase1_verify_hash(sa, m, sa->peer_id_b, sa->peer_id_len);
		if (!rc)
			rc = phase1_process_notify(sa, m);
		if (rc)
			return rc;
		mm->state = MM_AUTH;
		return TASK_REPLY;
	default:
		return FG_ERR_STATE;
	}
}

static int build(struct ike_task *t, struct ike_sa *sa, struct isakmp_builder *b)
{
	struct main_mode *mm = (struct main_mode *)t;

	return t->initiator ? build_i(mm, sa, b) : build_r(mm, sa, b);
}

static int process(struct ike_task *t, struct ike_sa *sa, const struct isakmp_msg *m)
{
	struct main_mode *mm = (struct main_mode *)t;

	return t->initiator ? process_i(mm, sa, m) : process_r(mm, sa, m);
}

static void destroy(struct ike_task *t)
{
	free(t);
}

struct ike_task *main_mode_create(bool initiator)
{
	struct main_mode *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->task = (struct ike_task){
		.name = "Main Mode", .exch = ISAKMP_EXCH_IDPROT, .initiator = initiator,
		.build = build, .process = process, .destroy = destroy,
	};
	mm->state = MM_START;
	expect(mm);
	return &mm->task;
}
