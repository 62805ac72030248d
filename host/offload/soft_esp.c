/*
 * Soft device: ESP (RFC 4303) with DES-CBC (RFC 2405), 3DES-CBC (RFC 2451)
 * or NULL encryption (RFC 2410) and an HMAC-SHA1-96 (RFC 2404) or
 * HMAC-MD5-96 (RFC 2403) ICV, exactly as docs/protocol.md describes the
 * ENCAP and DECAP frames.
 */
#include "offload/soft_priv.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"

static size_t iv_len(const struct soft_sa *sa)
{
	return sa->cipher == FGP_CIPHER_NULL ? 0 : SOFT_BLOCK;
}

/* The unit the ciphertext (data, padding, pad length, next header) must
 * fill: the cipher block, or 4 bytes for NULL (RFC 4303 2.4). */
static size_t block_len(const struct soft_sa *sa)
{
	return sa->cipher == FGP_CIPHER_NULL ? SOFT_NULL_ALIGN : SOFT_BLOCK;
}

static int cbc(const struct soft_sa *sa, int encrypt, const uint8_t *iv,
	       const uint8_t *in, uint8_t *out, size_t len)
{
	if (sa->cipher == FGP_CIPHER_NULL) {
		memmove(out, in, len);
		return 0;
	}
	if (sa->cipher == FGP_CIPHER_DES_CBC)
		return crypto_cbc(CRYPTO_CIPHER_DES_CBC, encrypt, sa->cipher_key, 8, iv, in, out, len);
	return crypto_cbc(CRYPTO_CIPHER_3DES_CBC, encrypt, sa->cipher_key, 24, iv, in, out, len);
}

/* An OpenSSL failure is the device's fault, not the packet's: answer
 * UNSUPPORTED and say so. */
static uint8_t crypto_failed(const struct soft_sa *sa, const char *what, int rc)
{
	fg_err("soft device: ESP SPI 0x%08x: %s failed: %s", sa->spi, what, fg_err_name(rc));
	return FGP_STATUS_UNSUPPORTED;
}

bool soft_esp_encap_len_ok(const struct soft_sa *sa, size_t len)
{
	return len >= iv_len(sa);
}

uint8_t soft_esp_encap(struct soft_sa *sa, struct soft_pkt *p)
{
	size_t ivlen = iv_len(sa), block = block_len(sa), icvlen = soft_sa_icv_len(sa);
	size_t n, pad, clen, i;
	uint32_t seq = p->seq;
	uint8_t *c;
	int rc;

	n = p->in_len - ivlen;
	pad = (block - (n + 2) % block) % block;
	clen = n + pad + 2;

	frame_put32(p->out, sa->spi);
	frame_put32(p->out + 4, seq);
	memcpy(p->out + FGP_ESP_HDR_BYTES, p->in, ivlen);
	c = p->out + FGP_ESP_HDR_BYTES + ivlen;
	memcpy(c, p->in + ivlen, n);
	for (i = 1; i <= pad; i++)
		c[n + i - 1] = (uint8_t)i;
	c[n + pad] = (uint8_t)pad;
	c[n + pad + 1] = p->next_header;
	rc = cbc(sa, 1, p->in, c, c, clen);
	if (rc)
		return crypto_failed(sa, "encryption", rc);
	if (icvlen) {
		struct crypto_part part = { p->out, FGP_ESP_HDR_BYTES + ivlen + clen };

		rc = soft_sa_icv(sa, &part, 1, c + clen);
		if (rc)
			return crypto_failed(sa, "ICV", rc);
	}
	p->out_len = FGP_ESP_HDR_BYTES + ivlen + clen + icvlen;
	p->aux = seq;
	p->bytes = n;
	return FGP_STATUS_OK;
}

uint8_t soft_esp_decap(struct soft_sa *sa, struct soft_pkt *p)
{
	size_t ivlen = iv_len(sa), block = block_len(sa), icvlen = soft_sa_icv_len(sa);
	const uint8_t *in = p->in, *iv = in + FGP_ESP_HDR_BYTES;
	size_t len = p->in_len, clen, padlen, i;
	uint32_t seq;
	int rc;

	/* 1. NO_SA and WRONG_DIR are the caller's; a packet too short to
	 * carry an SPI cannot match one. */
	if (len < 4)
		return FGP_STATUS_BAD_LENGTH;
	if (frame_get32(in) != sa->spi)
		return FGP_STATUS_SPI_MISMATCH;
	/* 2. SPI, sequence, IV, at least one block, ICV; whole blocks. */
	if (len < FGP_ESP_HDR_BYTES + ivlen + block + icvlen)
		return FGP_STATUS_BAD_LENGTH;
	clen = len - FGP_ESP_HDR_BYTES - ivlen - icvlen;
	if (clen % block)
		return FGP_STATUS_BAD_LENGTH;
	/* 3. Anti-replay: checked when the result retires, in request order
	 * (a REPLAY there overrides what follows). */
	seq = frame_get32(in + 4);
	p->seq = seq;
	p->replay_check = true;
	/* 4. ICV over SPI .. ciphertext, compared in constant time. */
	if (icvlen) {
		struct crypto_part part = { in, len - icvlen };
		uint8_t icv[FGP_ICV_BYTES];

		rc = soft_sa_icv(sa, &part, 1, icv);
		if (rc)
			return crypto_failed(sa, "ICV", rc);
		if (!crypto_equal(icv, in + len - icvlen, icvlen))
			return FGP_STATUS_AUTH_FAIL;
	}
	/* 5. Authentic: the window moves (when the result retires). */
	p->authentic = true;
	/* 6. Decrypt, then check pad length and the pad bytes 1, 2, 3, ... */
	rc = cbc(sa, 0, iv, iv + ivlen, p->out, clen);
	if (rc)
		return crypto_failed(sa, "decryption", rc);
	padlen = p->out[clen - 2];
	if (padlen > clen - 2)
		return FGP_STATUS_BAD_PAD;
	for (i = 0; i < padlen; i++)
		if (p->out[clen - 2 - padlen + i] != (uint8_t)(i + 1))
			return FGP_STATUS_BAD_PAD;
	p->out_len = clen - 2 - padlen;
	p->aux = p->out[clen - 1];
	p->bytes = p->out_len;
	return FGP_STATUS_OK;
}
