#include "ike/keys.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"

#define NPARTS(a) (sizeof(a) / sizeof((a)[0]))

int keys_prf(enum crypto_hash h, const uint8_t *key, size_t keylen,
	     const struct crypto_part *parts, size_t nparts, uint8_t *out)
{
	return crypto_hmac(h, key, keylen, parts, nparts, out);
}

static void put_msgid(uint8_t b[4], uint32_t msgid)
{
	b[0] = (uint8_t)(msgid >> 24);
	b[1] = (uint8_t)(msgid >> 16);
	b[2] = (uint8_t)(msgid >> 8);
	b[3] = (uint8_t)msgid;
}

static int phase1_iv(struct ike_keys *k, const struct keys_input *in)
{
	const struct crypto_part parts[] = {
		{ in->gxi, in->gxi_len }, { in->gxr, in->gxr_len },
	};
	uint8_t h[CRYPTO_MAX_HASH];
	int rc;

	if (k->block > k->prf_len)
		return FG_ERR_INVAL;
	rc = crypto_hash(k->hash, parts, NPARTS(parts), h);
	if (rc)
		return rc;
	memcpy(k->p1iv.iv, h, k->block);
	k->p1iv.len = k->block;
	return 0;
}

/* Appendix B: SKEYID_e cut, or expanded K1 = prf(e, 0), Kn = prf(e, Kn-1). */
static int enc_key(struct ike_keys *k)
{
	uint8_t zero = 0, buf[KEYS_ENC_MAX + CRYPTO_MAX_HASH];
	size_t have = 0;
	int rc = 0;

	if (k->key_len <= k->prf_len) {
		memcpy(k->enc_key, k->skeyid_e, k->key_len);
		return 0;
	}
	while (have < k->key_len && !rc) {
		struct crypto_part p = have ? (struct crypto_part){ buf + have - k->prf_len,
								   k->prf_len }
					    : (struct crypto_part){ &zero, 1 };

		rc = keys_prf(k->hash, k->skeyid_e, k->prf_len, &p, 1, buf + have);
		have += k->prf_len;
	}
	if (!rc)
		memcpy(k->enc_key, buf, k->key_len);
	crypto_wipe(buf, sizeof(buf));
	return rc;
}

int keys_derive(struct ike_keys *k, const struct keys_input *in)
{
	uint8_t c0 = 0, c1 = 1, c2 = 2;
	int rc;

	memset(k, 0, sizeof(*k));
	k->hash = in->hash;
	k->cipher = in->cipher;
	k->prf_len = crypto_hash_len(in->hash);
	k->key_len = in->key_len;
	k->block = crypto_cipher_block_size(in->cipher);
	if (!k->prf_len || !k->block || k->key_len > KEYS_ENC_MAX || !in->psk_len ||
	    crypto_cipher_check_key(in->cipher, in->key_len))
		return FG_ERR_INVAL;
	{
		const struct crypto_part p[] = { { in->ni, in->ni_len }, { in->nr, in->nr_len } };

		rc = keys_prf(k->hash, in->psk, in->psk_len, p, NPARTS(p), k->skeyid);
		if (rc)
			goto out;
	}
	{
		const struct crypto_part p[] = {
			{ in->gxy, in->gxy_len }, { in->icookie, KEYS_COOKIE_LEN },
			{ in->rcookie, KEYS_COOKIE_LEN }, { &c0, 1 },
		};

		rc = keys_prf(k->hash, k->skeyid, k->prf_len, p, NPARTS(p), k->skeyid_d);
		if (rc)
			goto out;
	}
	{
		const struct crypto_part p[] = {
			{ k->skeyid_d, k->prf_len }, { in->gxy, in->gxy_len },
			{ in->icookie, KEYS_COOKIE_LEN }, { in->rcookie, KEYS_COOKIE_LEN },
			{ &c1, 1 },
		};

		rc = keys_prf(k->hash, k->skeyid, k->prf_len, p, NPARTS(p), k->skeyid_a);
		if (rc)
			goto out;
	}
	{
		const struct crypto_part p[] = {
			{ k->skeyid_a, k->prf_len }, { in->gxy, in->gxy_len },
			{ in->icookie, KEYS_COOKIE_LEN }, { in->rcookie, KEYS_COOKIE_LEN },
			{ &c2, 1 },
		};

		rc = keys_prf(k->hash, k->skeyid, k->prf_len, p, NPARTS(p), k->skeyid_e);
		if (rc)
			goto out;
	}
	rc = enc_key(k);
	if (!rc)
		rc = phase1_iv(k, in);
out:
	if (rc)
		keys_wipe(k);
	return rc;
}

void keys_wipe(struct ike_keys *k)
{
	crypto_wipe(k, sizeof(*k));
}

void keys_log(const struct ike_keys *k, const char *who)
{
	char label[96];

	if (fg_log_get_level() < FG_LOG_KEYS)
		return;
	snprintf(label, sizeof(label), "%s SKEYID", who);
	fg_log_keys(label, k->skeyid, k->prf_len);
	snprintf(label, sizeof(label), "%s SKEYID_d", who);
	fg_log_keys(label, k->skeyid_d, k->prf_len);
	snprintf(label, sizeof(label), "%s SKEYID_a", who);
	fg_log_keys(label, k->skeyid_a, k->prf_len);
	snprintf(label, sizeof(label), "%s SKEYID_e", who);
	fg_log_keys(label, k->skeyid_e, k->prf_len);
	snprintf(label, sizeof(label), "%s encryption key", who);
	fg_log_keys(label, k->enc_key, k->key_len);
	snprintf(label, sizeof(label), "%s phase 1 IV", who);
	fg_log_keys(label, k->p1iv.iv, k->p1iv.len);
}

int keys_hash_auth(const struct ike_keys *k, const uint8_t *gx_a, const uint8_t *gx_b,
		   size_t gx_len, const uint8_t *cky_a, const uint8_t *cky_b,
		   const uint8_t *sai, size_t sai_len, const uint8_t *id,
		   size_t id_len, uint8_t *out)
{
	const struct crypto_part p[] = {
		{ gx_a, gx_len }, { gx_b, gx_len }, { cky_a, KEYS_COOKIE_LEN },
		{ cky_b, KEYS_COOKIE_LEN }, { sai, sai_len }, { id, id_len },
	};

	return keys_prf(k->hash, k->skeyid, k->prf_len, p, NPARTS(p), out);
}

int keys_iv_for(const struct ike_keys *k, uint32_t msgid, struct keys_iv *out)
{
	uint8_t m[4], h[CRYPTO_MAX_HASH];
	struct crypto_part p[2];
	int rc;

	put_msgid(m, msgid);
	p[0] = (struct crypto_part){ k->p1iv.iv, k->p1iv.len };
	p[1] = (struct crypto_part){ m, 4 };
	rc = crypto_hash(k->hash, p, 2, h);
	if (rc)
		return rc;
	memcpy(out->iv, h, k->block);
	out->len = k->block;
	return 0;
}

int keys_crypt(const struct ike_keys *k, bool encrypt, struct keys_iv *iv,
	       uint8_t *buf, size_t len)
{
	uint8_t next[KEYS_IV_MAX];
	int rc;

	if (!len || len % k->block || iv->len != k->block)
		return FG_ERR_INVAL;
	if (!encrypt)
		memcpy(next, buf + len - k->block, k->block);
	rc = crypto_cbc(k->cipher, encrypt, k->enc_key, k->key_len, iv->iv, buf, buf, len);
	if (rc)
		return rc;
	memcpy(iv->iv, encrypt ? buf + len - k->block : next, k->block);
	return 0;
}

int keys_hash1(const struct ike_keys *k, uint32_t msgid, const uint8_t *rest,
	       size_t rest_len, uint8_t *out)
{
	uint8_t m[4];
	struct crypto_part p[2] = { { m, 4 }, { rest, rest_len } };

	put_msgid(m, msgid);
	return keys_prf(k->hash, k->skeyid_a, k->prf_len, p, 2, out);
}

int keys_hash2(const struct ike_keys *k, uint32_t msgid, const uint8_t *ni,
	       size_t ni_len, const uint8_t *rest, size_t rest_len, uint8_t *out)
{
	uint8_t m[4];
	struct crypto_part p[3] = { { m, 4 }, { ni, ni_len }, { rest, rest_len } };

	put_msgid(m, msgid);
	return keys_prf(k->hash, k->skeyid_a, k->prf_len, p, 3, out);
}

int keys_hash3(const struct ike_keys *k, uint32_t msgid, const uint8_t *ni,
	       size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out)
{
	uint8_t zero = 0, m[4];
	struct crypto_part p[4] = { { &zero, 1 }, { m, 4 }, { ni, ni_len }, { nr, nr_len } };

	put_msgid(m, msgid);
	return keys_prf(k->hash, k->skeyid_a, k->prf_len, p, 4, out);
}

int keys_keymat(const struct ike_keys *k, const uint8_t *gqm, size_t gqm_len,
		uint8_t proto, const uint8_t spi[4], const uint8_t *ni, size_t ni_len,
		const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len)
{
	uint8_t buf[KEYS_KEYMAT_MAX + CRYPTO_MAX_HASH];
	size_t have = 0;
	int rc = 0;

	if (len > KEYS_KEYMAT_MAX)
		return FG_ERR_RANGE;
	while (have < len && !rc) {
		struct crypto_part p[6];
		size_t n = 0;

		if (have)
			p[n++] = (struct crypto_part){ buf + have - k->prf_len, k->prf_len };
		if (gqm)
			p[n++] = (struct crypto_part){ gqm, gqm_len };
		p[n++] = (struct crypto_part){ &proto, 1 };
		p[n++] = (struct crypto_part){ spi, 4 };
		p[n++] = (struct crypto_part){ ni, ni_len };
		p[n++] = (struct crypto_part){ nr, nr_len };
		rc = keys_prf(k->hash, k->skeyid_d, k->prf_len, p, n, buf + have);
		have += k->prf_len;
	}
	if (!rc)
		memcpy(out, buf, len);
	crypto_wipe(buf, sizeof(buf));
	return rc;
}
