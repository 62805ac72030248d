/*
 * Surviving a device that goes away and comes back (a usb board unplugged
 * and replugged, or reset under the host): the copy of every loaded SA, the
 * sequence numbers the device used, and the reopen-reset-reload sequence.
 * offload.h describes the behaviour callers see.
 */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "offload/offload_priv.h"

static struct shadow_sa *shadow_get(const struct offload *o, uint16_t index)
{
	return index < o->nshadow && o->shadow[index].used ? &o->shadow[index] : NULL;
}

int offload_shadow_put(struct offload *o, const struct offload_sa *sa)
{
	struct shadow_sa *sh;

	if (sa->index >= o->nshadow) {
		size_t n = (size_t)sa->index + 1, grow = o->nshadow * 2;

		if (grow > n && grow <= FGP_SA_NONE)
			n = grow;
		sh = calloc(n, sizeof(*sh));
		if (!sh)
			return FG_ERR_NOMEM;
		if (o->nshadow)
			memcpy(sh, o->shadow, o->nshadow * sizeof(*sh));
		offload_shadow_clear(o);        /* wipes the old copy's keys */
		free(o->shadow);
		o->shadow = sh;
		o->nshadow = n;
	}
	sh = &o->shadow[sa->index];
	crypto_wipe(sh, sizeof(*sh));
	sh->used = true;
	sh->sa = *sa;
	sh->seq_hi = sa->inbound || !sa->seq ? 0 : sa->seq - 1;
	return 0;
}

void offload_shadow_drop(struct offload *o, uint16_t index)
{
	if (index < o->nshadow)
		crypto_wipe(&o->shadow[index], sizeof(o->shadow[index]));
}

void offload_shadow_clear(struct offload *o)
{
	if (o->shadow)
		crypto_wipe(o->shadow, o->nshadow * sizeof(*o->shadow));
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint32_t offload_shadow_req_seq(const struct offload *o, uint16_t sa, const uint8_t *data,
				size_t len)
{
	const struct shadow_sa *sh = shadow_get(o, sa);
	size_t off;

	if (!sh || !len)
		return 0;
	/* ESP: SPI | sequence. AH: the IPv4 packet, AH header after it:
	 * next header, length, reserved (2), SPI, sequence. */
	off = sh->sa.ah ? (size_t)(data[0] & 0x0f) * 4 + 8 : 4;
	return len >= off + 4 ? get_be32(data + off) : 0;
}

void offload_shadow_result(struct offload *o, struct slot *s)
{
	struct shadow_sa *sh = shadow_get(o, s->sa);
	uint32_t seq = s->type == FGP_TYPE_ENCAP ? s->aux : s->req_seq;

	if (!sh || s->status != FGP_STATUS_OK)
		return;
	if (s->type == FGP_TYPE_DECAP && sh->floor_set && seq <= sh->floor) {
		/* Accepted by a device whose window restarted at the reload. */
		s->status = FGP_STATUS_REPLAY;
		s->len = 0;
		o->health.stale_replays++;
		return;
	}
	if (seq > sh->seq_hi)
		sh->seq_hi = seq;
}

void offload_lost(struct offload *o)
{
	size_t i, dropped = 0, nsa = 0;

	if (o->gone)
		return;
	for (i = 0; i < OFFLOAD_INFLIGHT_MAX; i++) {
		if (o->slots[i].state == SLOT_FREE)
			continue;
		o->slots[i].state = SLOT_FREE;
		o->free_idx[o->nfree++] = (uint16_t)i;
		dropped++;
	}
	for (i = 0; i < o->nshadow; i++)
		nsa += o->shadow[i].used;
	o->done_head = o->ndone = 0;
	o->rx_len = 0;
	o->rx_lost = false;
	o->broken = false;
	o->gone = true;
	o->lost_unreported = true;
	o->next_reopen = offload_now_ms() + OFFLOAD_REOPEN_MS;
	o->health.disconnects++;
	o->health.dropped += (uint32_t)dropped;
	fg_err("offload %s: device gone: %zu packets in flight dropped; looking for it every "
	       "%d ms to load its %zu SAs again", o->dev->name, dropped, OFFLOAD_REOPEN_MS, nsa);
}

/* Loads every recorded SA into the device that came back. Returns the
 * number loaded, or a negative fg_err when the device went again. */
static int reload(struct offload *o)
{
	int n = 0, rc;
	size_t i;

	for (i = 0; i < o->nshadow; i++) {
		struct offload_sa sa;
		uint32_t seq_hi = o->shadow[i].seq_hi;

		if (!o->shadow[i].used)
			continue;
		sa = o->shadow[i].sa;
		if (!sa.inbound && seq_hi == UINT32_MAX) {
			fg_warn("offload %s: SA slot %u SPI 0x%08x has used every sequence number: "
				"not loaded again", o->dev->name, sa.index, sa.spi);
			offload_shadow_drop(o, sa.index);
			continue;
		}
		if (!sa.inbound)
			sa.seq = seq_hi + 1;
		/* offload_sa_load records it again, from these values. */
		rc = offload_sa_load(o, &sa, NULL);
		crypto_wipe(&sa, sizeof(sa));
		if (o->gone)
			return FG_ERR_GONE;
		if (rc)
			continue;       /* logged; the others still go in */
		n++;
		o->health.reloaded++;
		if (o->shadow[i].sa.inbound) {
			o->shadow[i].floor_set = true;
			o->shadow[i].floor = o->shadow[i].seq_hi = seq_hi;
		}
	}
	return n;
}

int offload_ready(struct offload *o)
{
	long long now;
	int rc;

	if (!o->gone)
		return 0;
	now = offload_now_ms();
	if (now < o->next_reopen || !o->dev->ops->reopen)
		return FG_ERR_GONE;
	o->next_reopen = now + OFFLOAD_REOPEN_MS;
	rc = o->dev->ops->reopen(o->dev);
	if (rc) {
		fg_debug("offload %s: device not back yet: %s", o->dev->name, fg_err_name(rc));
		return FG_ERR_GONE;
	}
	o->gone = false;
	o->broken = false;
	/* The device's table is empty after a reopen; the RESET makes sure. */
	rc = offload_reset_device(o);
	if (!rc)
		rc = reload(o);
	if (rc < 0) {
		fg_err("offload %s: device back, but setting it up failed: %s", o->dev->name,
		       fg_err_name(rc));
		return o->gone ? FG_ERR_GONE : rc;
	}
	o->health.reconnects++;
	fg_info("offload %s: device back: reset, %d SAs loaded again", o->dev->name, rc);
	return 0;
}
