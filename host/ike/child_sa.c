/* The hand-off of negotiated child SAs (child_sa.h): log them, log their
 * keys at key level, and give them to the registered sink (fgated's
 * datapath), which loads them into the offload device; remove them from
 * it again when they are deleted. */
#include "ike/child_sa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "ike/ike_sa.h"
#include "ike/isakmp.h"
#include "ike/ts.h"

/* Set once at startup (child_sa.h). */
static struct child_sa_sink sink;

void child_sa_set_sink(const struct child_sa_sink *s)
{
	if (s)
		sink = *s;
	else
		memset(&sink, 0, sizeof(sink));
}

/* tshark's names for the ESP SA table (uat:esp_sa). */
static const char *tshark_encr(enum proposal_encr e)
{
	switch (e) {
	case PROPOSAL_ENCR_DES:
		return "DES-CBC [RFC2405]";
	case PROPOSAL_ENCR_3DES:
		return "TripleDES-CBC [RFC2451]";
	case PROPOSAL_ENCR_NULL:
		return "NULL";
	default:
		return "AES-CBC [RFC3602]";
	}
}

static const char *tshark_integ(enum proposal_integ i)
{
	switch (i) {
	case PROPOSAL_INTEG_MD5:
		return "HMAC-MD5-96 [RFC2403]";
	case PROPOSAL_INTEG_SHA1:
		return "HMAC-SHA-1-96 [RFC2404]";
	case PROPOSAL_INTEG_NONE:
		return "NULL";
	default:
		return "HMAC-SHA-256-128 [RFC4868]";
	}
}

/* Two key lines per direction:
 *   "<sa> CHILD_SA <name> ESP SA out SPI 0x... 192.0.2.1 -> 192.0.2.2 enc
 *    TripleDES-CBC [RFC2451] key: <hex>" and the same with "auth
 *    HMAC-SHA-1-96 [RFC2404] key: <hex>". */
static void log_keys(struct ike_sa *sa, const struct child_sa *c, bool out)
{
	char label[256], s[16], d[16];
	const uint8_t *k = out ? c->key_out : c->key_in;
	uint32_t spi = out ? c->spi_out : c->spi_in;

	ike_addr_str(out ? sa->local.addr : sa->remote.addr, s);
	ike_addr_str(out ? sa->remote.addr : sa->local.addr, d);
	snprintf(label, sizeof(label), "%s CHILD_SA %s %s SA %s SPI 0x%08x %s -> %s enc %s key",
		 ike_sa_name(sa), c->cfg->name, isakmp_proto_name(c->proto), out ? "out" : "in",
		 spi, s, d, tshark_encr(c->xf.encr));
	fg_log_keys(label, k, c->enc_len);
	snprintf(label, sizeof(label), "%s CHILD_SA %s %s SA %s SPI 0x%08x %s -> %s auth %s key",
		 ike_sa_name(sa), c->cfg->name, isakmp_proto_name(c->proto), out ? "out" : "in",
		 spi, s, d, tshark_integ(c->xf.integ));
	fg_log_keys(label, k + c->enc_len, c->integ_len);
}

/* The offload device's names for the algorithms; FG_ERR_UNSUPP for one it
 * does not run. */
static int device_algs(const struct proposal_xform *xf, enum fgp_cipher *cipher,
		       enum fgp_auth *auth)
{
	switch (xf->encr) {
	case PROPOSAL_ENCR_NONE:
	case PROPOSAL_ENCR_NULL:
		*cipher = FGP_CIPHER_NULL;
		break;
	case PROPOSAL_ENCR_DES:
		*cipher = FGP_CIPHER_DES_CBC;
		break;
	case PROPOSAL_ENCR_3DES:
		*cipher = FGP_CIPHER_TDES_CBC;
		break;
	default:
		return FG_ERR_UNSUPP;
	}
	switch (xf->integ) {
	case PROPOSAL_INTEG_NONE:
		*auth = FGP_AUTH_NONE;
		break;
	case PROPOSAL_INTEG_MD5:
		*auth = FGP_AUTH_HMAC_MD5;
		break;
	case PROPOSAL_INTEG_SHA1:
		*auth = FGP_AUTH_HMAC_SHA1;
		break;
	default:
		return FG_ERR_UNSUPP;
	}
	return 0;
}

bool child_sa_offloadable(const struct proposal_xform *xf)
{
	enum fgp_cipher cipher;
	enum fgp_auth auth;

	return device_algs(xf, &cipher, &auth) == 0;
}

static int hand_over(struct ike_sa *sa, struct child_sa *c)
{
	enum fgp_cipher cipher = FGP_CIPHER_NULL;
	enum fgp_auth auth = FGP_AUTH_NONE;
	struct sad_keys k;
	struct sad_sa s;
	int rc;

	memset(&k, 0, sizeof(k));
	memset(&s, 0, sizeof(s));
	rc = device_algs(&c->xf, &cipher, &auth);
	if (!rc && (c->enc_len > sizeof(k.enc_in) || c->integ_len > sizeof(k.auth_in)))
		rc = FG_ERR_UNSUPP;
	if (rc) {
		fg_err("%s: CHILD_SA %s: %s-%s is not run by the offload device", ike_sa_name(sa),
		       c->cfg->name, proposal_encr_name(c->xf.encr), proposal_integ_name(c->xf.integ));
		return rc;
	}
	k.cipher = cipher;
	k.auth = auth;
	k.enc_len = c->enc_len;
	k.auth_len = c->integ_len;
	memcpy(k.enc_in, c->key_in, c->enc_len);
	memcpy(k.auth_in, c->key_in + c->enc_len, c->integ_len);
	memcpy(k.enc_out, c->key_out, c->enc_len);
	memcpy(k.auth_out, c->key_out + c->enc_len, c->integ_len);
	k.replay_window = (uint16_t)(c->cfg->replay_window > 0xffff ? 0xffff : c->cfg->replay_window);
	snprintf(s.name, sizeof(s.name), "%s CHILD_SA %s", ike_sa_name(sa), c->cfg->name);
	s.ah = c->proto == ISAKMP_PROTO_AH;
	s.transport = c->mode == FG_MODE_TRANSPORT;
	s.encap = c->encap;
	s.local = sa->local.addr;
	s.remote = sa->remote.addr;
	/* ESP in UDP goes to the peer's NAT-T port (RFC 3948 2.1) */
	s.remote_port = sa->remote.port == IKE_PORT ? IKE_NATT_PORT : sa->remote.port;
	s.spi_in = c->spi_in;
	s.spi_out = c->spi_out;
	s.ts_local = c->ts_local;
	s.ts_remote = c->ts_remote;
	rc = sink.install(sink.ctx, &s, &k);
	crypto_wipe(&k, sizeof(k));
	return rc;
}

int child_sa_install(struct ike_sa *sa, struct child_sa *c)
{
	struct proposal p = { .proto = c->proto == ISAKMP_PROTO_AH ? PROPOSAL_AH : PROPOSAL_ESP };
	char alg[PROPOSAL_STR_MAX], l[40], r[40];
	int rc;

	if (c->xf.encr) {
		p.encr[0] = c->xf.encr;
		p.n_encr = 1;
	}
	if (c->xf.integ) {
		p.integ[0] = c->xf.integ;
		p.n_integ = 1;
	}
	if (c->xf.dh) {
		p.dh[0] = c->xf.dh;
		p.n_dh = 1;
	}
	proposal_format(&p, alg, sizeof(alg));
	ts_format(&c->ts_local, l, sizeof(l));
	ts_format(&c->ts_remote, r, sizeof(r));
	if (fg_log_get_level() >= FG_LOG_KEYS) {
		log_keys(sa, c, false);
		log_keys(sa, c, true);
	}
	if (sink.install) {
		rc = hand_over(sa, c);
		if (rc) {
			fg_err("%s: CHILD_SA %s not installed: %s", ike_sa_name(sa), c->cfg->name,
			       fg_err_name(rc));
			return rc;
		}
	}
	c->next = sa->children;
	sa->children = c;
	fg_info("%s: CHILD_SA %s established: %s %s, SPIs %08x_i %08x_o, %s === %s, "
		"%s%s, lifetime %llus, peer %s", ike_sa_name(sa), c->cfg->name,
		isakmp_proto_name(c->proto), alg, c->spi_in, c->spi_out, l, r,
		c->mode == FG_MODE_TUNNEL ? "tunnel" : "transport", c->encap ? " UDP-encap" : "",
		(unsigned long long)c->life_time, sa->remote_id);
	return 0;
}

void child_sa_uninstall(struct ike_sa *sa, struct child_sa *c, const char *why)
{
	if (sink.remove)
		sink.remove(sink.ctx, c->proto == ISAKMP_PROTO_AH, c->spi_in, c->spi_out);
	fg_info("%s: CHILD_SA %s deleted: SPIs %08x_i %08x_o: %s", ike_sa_name(sa),
		c->cfg->name, c->spi_in, c->spi_out, why);
}
