/* Dead Peer Detection (dpd.h). */
#include "ike/dpd.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "ike/ike_mgr.h"

/* RFC 3706 7: the DPD vendor ID, version 1.0 */
static const uint8_t vid_dpd[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

int dpd_build_vid(struct ike_sa *sa, struct isakmp_builder *b)
{
	(void)sa;
	return isakmp_build_data(b, ISAKMP_PT_VID, vid_dpd, sizeof(vid_dpd)) < 0 ? b->err : 0;
}

void dpd_process_vid(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p;

	for (p = isakmp_msg_get(m, ISAKMP_PT_VID); p; p = isakmp_msg_next(m, p))
		if (p->body.len == sizeof(vid_dpd) && memcmp(p->body.ptr, vid_dpd, 16) == 0)
			sa->dpd = true;
}

static int send_dpd(struct ike_sa *sa, uint16_t type, uint32_t seq)
{
	uint8_t spi[16], data[4];

	memcpy(spi, sa->icookie, 8);
	memcpy(spi + 8, sa->rcookie, 8);
	isakmp_put32(data, seq);
	fg_debug("%s: sending %s, sequence %u", ike_sa_name(sa), isakmp_notify_name(type), seq);
	return info_send_notify_data(sa, ISAKMP_PROTO_ISAKMP, type, spi, 16, data, 4);
}

void dpd_process_notify(struct ike_sa *sa, const struct isakmp_pl_notify *n)
{
	uint32_t seq;

	if (n->spi.len != 16 || memcmp(n->spi.ptr, sa->icookie, 8) != 0 ||
	    memcmp(n->spi.ptr + 8, sa->rcookie, 8) != 0 || n->data.len != 4) {
		fg_warn("%s: %s with a wrong SPI or sequence number size ignored",
			ike_sa_name(sa), isakmp_notify_name(n->type));
		return;
	}
	seq = isakmp_get32(n->data.ptr);
	if (n->type == ISAKMP_N_DPD_R_U_THERE) {
		/* RFC 3706 5.4: answer; remember the number (not enforced) */
		sa->dpd_peer_seq = seq;
		send_dpd(sa, ISAKMP_N_DPD_R_U_THERE_ACK, seq);
		return;
	}
	if (!sa->dpd_waiting || seq != sa->dpd_seq) {
		fg_debug("%s: R-U-THERE-ACK %u does not answer %u: ignored", ike_sa_name(sa),
			 seq, sa->dpd_seq);
		return;
	}
	fg_debug("%s: R-U-THERE-ACK %u: peer alive", ike_sa_name(sa), seq);
	sa->dpd_waiting = false;
	sa->dpd_tries = 0;
}

/* Seconds of the config to ms, without overflow. */
static uint64_t ms(uint64_t s)
{
	return s > UINT64_MAX / 4000 ? UINT64_MAX / 4 : s * 1000;
}

void dpd_start(struct ike_sa *sa)
{
	uint32_t seq = 0;

	crypto_random(&seq, sizeof(seq));
	sa->dpd_seq = (seq & 0x7fffffff) | 1;   /* RFC 3706 5.5: room to grow */
	sa->last_in = sa->mgr->now;
	sa->dpd_waiting = false;
	sa->dpd_at = sa->conn->dpd_delay ? sa->mgr->now + ms(sa->conn->dpd_delay) : 0;
}

static void dead(struct ike_sa *sa)
{
	struct ike_mgr *m = sa->mgr;
	const struct fg_child *acts[CONFIG_CHILDREN_MAX];
	struct child_sa *c;
	unsigned n = 0, i, j;

	fg_warn("%s: IKE_SA %s: peer %s is dead (DPD)", ike_sa_name(sa), sa->conn->name,
		sa->remote_id);
	/* each child config once, for the SAs that were up */
	for (c = sa->children; c && n < CONFIG_CHILDREN_MAX; c = c->next) {
		for (j = 0; j < n && acts[j] != c->cfg; j++)
			;
		if (j == n)
			acts[n++] = c->cfg;
	}
	ike_sa_delete(sa, "DPD: peer dead");
	for (i = 0; i < n; i++)
		ike_mgr_child_action(m, sa, acts[i], acts[i]->dpd_action);
}

void dpd_tick(struct ike_sa *sa, uint64_t now)
{
	const struct fg_conn *c = sa->conn;

	if (sa->state != IKE_SA_ESTABLISHED || !c->dpd_delay || !sa->dpd || !sa->dpd_at)
		return;
	if (sa->dpd_waiting && sa->last_in > sa->dpd_sent_at) {
		sa->dpd_waiting = false;   /* anything verified counts */
		sa->dpd_tries = 0;
	}
	if (c->dpd_timeout) {
		if (now >= sa->last_in + ms(c->dpd_timeout)) {
			dead(sa);
			return;
		}
		if (now < sa->dpd_at)
			return;
		sa->dpd_at = now + ms(c->dpd_delay);
		if (now < sa->last_in + ms(c->dpd_delay))
			return;
		sa->dpd_seq++;
		sa->dpd_waiting = true;
		sa->dpd_sent_at = now;
		send_dpd(sa, ISAKMP_N_DPD_R_U_THERE, sa->dpd_seq);
		return;
	}
	if (sa->dpd_waiting) {
		if (now < sa->dpd_at)
			return;
		if (sa->dpd_tries >= IKE_RETX_TRIES) {
			dead(sa);
			return;
		}
		sa->dpd_tries++;
		sa->dpd_seq++;
		sa->dpd_sent_at = now;
		sa->dpd_at = now + ((uint64_t)IKE_RETX_BASE_MS << sa->dpd_tries);
		send_dpd(sa, ISAKMP_N_DPD_R_U_THERE, sa->dpd_seq);
		return;
	}
	if (now < sa->last_in + ms(c->dpd_delay)) {
		sa->dpd_at = sa->last_in + ms(c->dpd_delay);
		return;
	}
	if (now < sa->dpd_at)
		return;
	sa->dpd_seq++;
	sa->dpd_waiting = true;
	sa->dpd_tries = 0;
	sa->dpd_sent_at = now;
	sa->dpd_at = now + IKE_RETX_BASE_MS;
	send_dpd(sa, ISAKMP_N_DPD_R_U_THERE, sa->dpd_seq);
}
