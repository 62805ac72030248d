/*
 * Soft device: the SA table (SA_LOAD validation, SA_CLEAR, RESET), per-SA
 * counters and the HMAC-96 ICV shared by ESP and AH.
 */
#include "offload/soft_priv.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"

enum {
	SAFLAG_KNOWN = FGP_SAFLAG_INBOUND | FGP_SAFLAG_AH | FGP_SAFLAG_TRANSPORT,
};

struct soft_sa *soft_sa_find(struct soft_device *d, uint16_t slot)
{
	if (slot >= SOFT_SA_ENTRIES || !d->sa[slot].used)
		return NULL;
	return &d->sa[slot];
}

static void wipe(struct soft_sa *sa)
{
	crypto_wipe(sa, sizeof(*sa));
}

/* BAD_SA for fields that no device accepts, UNSUPPORTED for algorithms
 * this build lacks, else OK. */
static uint8_t validate(const struct soft_device *d, const struct frame_sa *f)
{
	bool ah = f->flags & FGP_SAFLAG_AH;

	if ((f->flags & ~SAFLAG_KNOWN) || !f->reserved_zero ||
	    f->cipher > FGP_CIPHER_TDES_CBC || f->auth > FGP_AUTH_HMAC_MD5 ||
	    f->replay_window > REPLAY_MAX)
		return FGP_STATUS_BAD_SA;
	/* AH authenticates and never encrypts; ESP must do at least one of
	 * the two (RFC 4303 3.2: NULL encryption with no ICV is forbidden). */
	if (ah && (f->cipher != FGP_CIPHER_NULL || f->auth == FGP_AUTH_NONE))
		return FGP_STATUS_BAD_SA;
	if (!ah && f->cipher == FGP_CIPHER_NULL && f->auth == FGP_AUTH_NONE)
		return FGP_STATUS_BAD_SA;
	if (!(d->algs & (1u << f->cipher)) || !(d->algs & (1u << (8 + f->auth))))
		return FGP_STATUS_UNSUPPORTED;
	return FGP_STATUS_OK;
}

uint8_t soft_sa_load(struct soft_device *d, uint16_t slot, const uint8_t *buf, size_t len)
{
	struct frame_sa f;
	struct soft_sa *sa;
	uint8_t status;

	if (slot >= SOFT_SA_ENTRIES)
		return FGP_STATUS_NO_SA;
	if (frame_sa_get(buf, len, &f))
		return FGP_STATUS_MALFORMED;
	status = validate(d, &f);
	if (status != FGP_STATUS_OK) {
		fg_debug("soft device: SA_LOAD slot %u refused: %s", slot, fgp_status_name(status));
		goto out;
	}
	sa = &d->sa[slot];
	wipe(sa);               /* the old SA's keys, counters and window */
	sa->used = true;
	sa->flags = f.flags;
	sa->cipher = f.cipher;
	sa->auth = f.auth;
	sa->spi = f.spi;
	sa->next_seq = f.seq;
	replay_init(&sa->replay, f.replay_window);
	memcpy(sa->cipher_key, f.cipher_key, sizeof(sa->cipher_key));
	memcpy(sa->auth_key, f.auth_key, sizeof(sa->auth_key));
out:
	crypto_wipe(&f, sizeof(f));
	return status;
}

uint8_t soft_sa_clear(struct soft_device *d, uint16_t slot)
{
	struct soft_sa *sa = soft_sa_find(d, slot);

	if (!sa)
		return FGP_STATUS_NO_SA;
	wipe(sa);
	return FGP_STATUS_OK;
}

void soft_sa_clear_all(struct soft_device *d)
{
	crypto_wipe(d->sa, sizeof(d->sa));
}

void soft_sa_count(struct soft_sa *sa, uint8_t status, size_t bytes)
{
	struct offload_counters *c = &sa->cnt;

	switch (status) {
	case FGP_STATUS_OK:
		c->packets++;
		c->bytes += bytes;
		break;
	case FGP_STATUS_AUTH_FAIL:
		c->auth_fail++;
		break;
	case FGP_STATUS_REPLAY:
		c->replay++;
		break;
	case FGP_STATUS_BAD_PAD:
		c->bad_pad++;
		break;
	default:
		c->other_err++;
		break;
	}
}

void soft_sa_counters(const struct soft_sa *sa, struct offload_counters *c)
{
	*c = sa->cnt;
	/* Outbound: the last number sent is one below the next (0 before the
	 * first packet of an SA starting at 1); inbound: the window's top. */
	c->seq = sa->flags & FGP_SAFLAG_INBOUND ? sa->replay.top : (uint32_t)(sa->next_seq - 1);
}

size_t soft_sa_icv_len(const struct soft_sa *sa)
{
	return sa->auth == FGP_AUTH_NONE ? 0 : FGP_ICV_BYTES;
}

int soft_sa_icv(const struct soft_sa *sa, const struct crypto_part *parts, size_t nparts,
		uint8_t icv[FGP_ICV_BYTES])
{
	uint8_t md[CRYPTO_MAX_HASH];
	enum crypto_hash h;
	size_t keylen;
	int rc;

	if (sa->auth == FGP_AUTH_HMAC_SHA1) {
		h = CRYPTO_HASH_SHA1;
		keylen = 20;
	} else {
		h = CRYPTO_HASH_MD5;
		keylen = 16;
	}
	rc = crypto_hmac(h, sa->auth_key, keylen, parts, nparts, md);
	if (rc == 0)
		memcpy(icv, md, FGP_ICV_BYTES);  /* HMAC-*-96: the leftmost 96 bits */
	crypto_wipe(md, sizeof(md));
	return rc;
}
