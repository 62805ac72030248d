/*
 * Soft device: AH (RFC 4302) with an HMAC-SHA1-96 or HMAC-MD5-96 ICV over
 * the IPv4 packet, whose mutable fields the host has zeroed; the AH header
 * sits at IHL x 4 (docs/protocol.md).
 */
#include "offload/soft_priv.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"

enum {
	AH_NH = 0,              /* offsets in the AH header */
	AH_PLEN = 1,
	AH_SPI = 4,
	AH_SEQ = 8,
	AH_ICV = 12,
};

/* IPv4 header length from IHL, or 0 when the packet cannot hold it. */
static size_t ip_hdr_len(const uint8_t *in, size_t len)
{
	size_t ihl;

	if (len < SOFT_IPV4_MIN)
		return 0;
	ihl = (size_t)(in[0] & 0x0f) * 4;
	return ihl >= SOFT_IPV4_MIN && ihl <= len ? ihl : 0;
}

static uint8_t crypto_failed(const struct soft_sa *sa, int rc)
{
	fg_err("soft device: AH SPI 0x%08x: ICV failed: %s", sa->spi, fg_err_name(rc));
	return FGP_STATUS_UNSUPPORTED;
}

bool soft_ah_encap_len_ok(const uint8_t *in, size_t len)
{
	return ip_hdr_len(in, len) != 0;
}

uint8_t soft_ah_encap(struct soft_sa *sa, struct soft_pkt *p)
{
	size_t ihl = ip_hdr_len(p->in, p->in_len);
	struct crypto_part part;
	uint32_t seq = p->seq;
	uint8_t *ah;
	int rc;

	memcpy(p->out, p->in, ihl);
	ah = p->out + ihl;
	ah[AH_NH] = p->next_header;
	ah[AH_PLEN] = SOFT_AH_PLEN;
	ah[2] = ah[3] = 0;
	frame_put32(ah + AH_SPI, sa->spi);
	frame_put32(ah + AH_SEQ, seq);
	memset(ah + AH_ICV, 0, FGP_ICV_BYTES);
	memcpy(ah + FGP_AH_HDR_BYTES, p->in + ihl, p->in_len - ihl);
	part.data = p->out;
	part.len = p->in_len + FGP_AH_HDR_BYTES;
	rc = soft_sa_icv(sa, &part, 1, ah + AH_ICV);
	if (rc)
		return crypto_failed(sa, rc);
	p->out_len = part.len;
	p->aux = seq;
	p->bytes = p->in_len;
	return FGP_STATUS_OK;
}

uint8_t soft_ah_decap(struct soft_sa *sa, struct soft_pkt *p)
{
	static const uint8_t zero_icv[FGP_ICV_BYTES];
	const uint8_t *in = p->in, *ah;
	size_t len = p->in_len, ihl = ip_hdr_len(in, len);
	struct crypto_part parts[3];
	uint8_t icv[FGP_ICV_BYTES];
	uint32_t seq;
	int rc;

	/* A packet too short to carry the SPI cannot match one. */
	if (!ihl || len < ihl + AH_SEQ)
		return FGP_STATUS_BAD_LENGTH;
	ah = in + ihl;
	if (frame_get32(ah + AH_SPI) != sa->spi)
		return FGP_STATUS_SPI_MISMATCH;
	if (len < ihl + FGP_AH_HDR_BYTES || ah[AH_PLEN] != SOFT_AH_PLEN)
		return FGP_STATUS_BAD_LENGTH;
	/* Anti-replay when the result retires (soft_pool.c). */
	seq = frame_get32(ah + AH_SEQ);
	p->seq = seq;
	p->replay_check = true;
	parts[0] = (struct crypto_part){ in, ihl + AH_ICV };
	parts[1] = (struct crypto_part){ zero_icv, FGP_ICV_BYTES };
	parts[2] = (struct crypto_part){ ah + FGP_AH_HDR_BYTES, len - ihl - FGP_AH_HDR_BYTES };
	rc = soft_sa_icv(sa, parts, 3, icv);
	if (rc)
		return crypto_failed(sa, rc);
	if (!crypto_equal(icv, ah + AH_ICV, FGP_ICV_BYTES))
		return FGP_STATUS_AUTH_FAIL;
	p->authentic = true;
	memcpy(p->out, in, ihl);
	memcpy(p->out + ihl, ah + FGP_AH_HDR_BYTES, len - ihl - FGP_AH_HDR_BYTES);
	p->out_len = len - FGP_AH_HDR_BYTES;
	p->aux = ah[AH_NH];
	p->bytes = p->out_len;
	return FGP_STATUS_OK;
}
