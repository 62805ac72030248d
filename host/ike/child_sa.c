/* The hand-off of negotiated child SAs. The offload API (offload.h) has no
 * backend yet, so installing means: keep the SA in its ISAKMP SA, log it in
 * one line, and log its keys at key level. This is the one place that will
 * call offload_sa_load()/offload_sa_clear(). */
#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "ike/ike_sa.h"
#include "ike/isakmp.h"
#include "ike/ts.h"

int child_sa_install(struct ike_sa *sa, struct child_sa *c)
{
	struct proposal p = { .proto = c->proto == ISAKMP_PROTO_AH ? PROPOSAL_AH : PROPOSAL_ESP };
	char alg[PROPOSAL_STR_MAX], l[40], r[40], label[160];

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
	c->next = sa->children;
	sa->children = c;
	fg_info("%s: CHILD_SA %s established: %s %s, SPIs %08x_i %08x_o, %s === %s, "
		"%s%s, lifetime %llus, peer %s", ike_sa_name(sa), c->cfg->name,
		isakmp_proto_name(c->proto), alg, c->spi_in, c->spi_out, l, r,
		c->mode == FG_MODE_TUNNEL ? "tunnel" : "transport", c->encap ? " UDP-encap" : "",
		(unsigned long long)c->life_time, sa->remote_id);
	if (fg_log_get_level() >= FG_LOG_KEYS) {
		snprintf(label, sizeof(label), "%s CHILD_SA %s %08x_i encryption key",
			 ike_sa_name(sa), c->cfg->name, c->spi_in);
		fg_log_keys(label, c->key_in, c->enc_len);
		snprintf(label, sizeof(label), "%s CHILD_SA %s %08x_i integrity key",
			 ike_sa_name(sa), c->cfg->name, c->spi_in);
		fg_log_keys(label, c->key_in + c->enc_len, c->integ_len);
		snprintf(label, sizeof(label), "%s CHILD_SA %s %08x_o encryption key",
			 ike_sa_name(sa), c->cfg->name, c->spi_out);
		fg_log_keys(label, c->key_out, c->enc_len);
		snprintf(label, sizeof(label), "%s CHILD_SA %s %08x_o integrity key",
			 ike_sa_name(sa), c->cfg->name, c->spi_out);
		fg_log_keys(label, c->key_out + c->enc_len, c->integ_len);
	}
	return 0;
}

void child_sa_uninstall(struct ike_sa *sa, struct child_sa *c, const char *why)
{
	fg_info("%s: CHILD_SA %s deleted: SPIs %08x_i %08x_o: %s", ike_sa_name(sa),
		c->cfg->name, c->spi_in, c->spi_out, why);
}
