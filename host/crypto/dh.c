#include "dh.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"

struct dh {
	unsigned group;
	size_t len;
	EVP_PKEY *key;          /* parameters and our key pair */
};

static BIGNUM *group_prime(unsigned group)
{
	switch (group) {
	case 1:
		return BN_get_rfc2409_prime_768(NULL);
	case 2:
		return BN_get_rfc2409_prime_1024(NULL);
	case 5:
		return BN_get_rfc3526_prime_1536(NULL);
	case 14:
		return BN_get_rfc3526_prime_2048(NULL);
	}
	return NULL;
}

size_t dh_group_len(unsigned group)
{
	switch (group) {
	case 1:
		return 96;
	case 2:
		return 128;
	case 5:
		return 192;
	case 14:
		return 256;
	}
	return 0;
}

int dh_prime(unsigned group, uint8_t *out, size_t cap)
{
	size_t len = dh_group_len(group);
	BIGNUM *p;
	int rc = 0;

	if (!len)
		return FG_ERR_UNSUPP;
	if (cap < len)
		return FG_ERR_RANGE;
	if (crypto_init())
		return FG_ERR_CRYPTO;
	p = group_prime(group);
	if (!p)
		return FG_ERR_NOMEM;
	if (BN_bn2binpad(p, out, (int)len) != (int)len)
		rc = FG_ERR_CRYPTO;
	BN_free(p);
	return rc;
}

/* An EVP_PKEY of selection sel from p, g = 2 and optional pub/priv. */
static EVP_PKEY *make_key(const BIGNUM *p, const BIGNUM *pub, const BIGNUM *priv,
			  int sel)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *g = BN_new();

	if (!bld || !g || !BN_set_word(g, 2))
		goto out;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g))
		goto out;
	if (pub && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub))
		goto out;
	if (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, sel, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(g);
	return key;
}

static int create(unsigned group, const uint8_t *priv, size_t priv_len, struct dh **out)
{
	EVP_PKEY *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *p = NULL, *x = NULL, *y = NULL, *g = NULL;
	BN_CTX *bnctx = NULL;
	struct dh *dh = NULL;
	int rc = FG_ERR_CRYPTO;

	*out = NULL;
	if (!dh_group_len(group))
		return FG_ERR_UNSUPP;
	if (crypto_init())
		return FG_ERR_CRYPTO;
	dh = calloc(1, sizeof(*dh));
	if (!dh)
		return FG_ERR_NOMEM;
	dh->group = group;
	dh->len = dh_group_len(group);
	p = group_prime(group);
	if (!p)
		goto out;
	if (priv) {
		/* known-answer path: y = 2^x mod p, import both */
		x = BN_bin2bn(priv, (int)priv_len, NULL);
		y = BN_new();
		g = BN_new();
		bnctx = BN_CTX_new();
		if (!x || !y || !g || !bnctx || !BN_set_word(g, 2))
			goto out;
		if (BN_cmp(x, BN_value_one()) <= 0 || BN_num_bytes(x) > (int)dh->len) {
			rc = FG_ERR_INVAL;
			goto out;
		}
		if (!BN_mod_exp(y, g, x, p, bnctx))
			goto out;
		dh->key = make_key(p, y, x, EVP_PKEY_KEYPAIR);
		if (!dh->key)
			goto out;
	} else {
		params = make_key(p, NULL, NULL, EVP_PKEY_KEY_PARAMETERS);
		if (!params)
			goto out;
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
		if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_keygen(ctx, &dh->key) <= 0)
			goto out;
	}
	*out = dh;
	dh = NULL;
	rc = 0;
out:
	if (rc == FG_ERR_CRYPTO)
		fg_err("dh: OpenSSL failed creating a MODP group %u key", group);
	BN_CTX_free(bnctx);
	BN_clear_free(x);
	BN_free(y);
	BN_free(g);
	BN_free(p);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	dh_free(dh);
	return rc;
}

int dh_create(unsigned group, struct dh **out)
{
	return create(group, NULL, 0, out);
}

int dh_create_fixed(unsigned group, const uint8_t *priv, size_t priv_len,
		    struct dh **out)
{
	if (!priv || !priv_len) {
		*out = NULL;
		return FG_ERR_INVAL;
	}
	return create(group, priv, priv_len, out);
}

void dh_free(struct dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);   /* OpenSSL clears the private BIGNUM */
	free(dh);
}

size_t dh_len(const struct dh *dh)
{
	return dh->len;
}

unsigned dh_group(const struct dh *dh)
{
	return dh->group;
}

int dh_public(const struct dh *dh, uint8_t *out, size_t cap)
{
	BIGNUM *y = NULL;
	int rc = FG_ERR_CRYPTO;

	if (cap < dh->len)
		return FG_ERR_RANGE;
	if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) <= 0)
		return FG_ERR_CRYPTO;
	if (BN_bn2binpad(y, out, (int)dh->len) == (int)dh->len)
		rc = 0;
	BN_free(y);
	return rc;
}

int dh_shared(const struct dh *dh, const uint8_t *peer, size_t peer_len,
	      uint8_t *out, size_t cap)
{
	BIGNUM *p = NULL, *y = NULL, *pm1 = NULL;
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t buf[DH_MAX_LEN];
	size_t n = sizeof(buf);
	int rc = FG_ERR_CRYPTO;

	if (peer_len != dh->len || cap < dh->len)
		return FG_ERR_INVAL;
	p = group_prime(dh->group);
	y = BN_bin2bn(peer, (int)peer_len, NULL);
	pm1 = p ? BN_dup(p) : NULL;
	if (!p || !y || !pm1 || !BN_sub_word(pm1, 1))
		goto out;
	/* 1 < y < p-1: rejects 0, 1, p-1 and anything >= p */
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, pm1) >= 0) {
		rc = FG_ERR_INVAL;
		goto out;
	}
	pk = make_key(p, y, NULL, EVP_PKEY_PUBLIC_KEY);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!pk || !ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) <= 0 ||
	    EVP_PKEY_derive(ctx, buf, &n) <= 0 || n > dh->len)
		goto out;
	/* OpenSSL strips leading zeros: pad back to the prime length */
	memset(out, 0, dh->len - n);
	memcpy(out + dh->len - n, buf, n);
	rc = 0;
out:
	crypto_wipe(buf, sizeof(buf));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	BN_free(p);
	BN_free(y);
	BN_free(pm1);
	return rc;
}
