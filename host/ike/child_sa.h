/*
 * Where negotiated child SAs go. child_sa_install() (ike_sa.h) logs the SA,
 * logs its keys at key level in a form tshark's ESP decryption takes, and
 * hands it to the sink registered here: fgated registers its datapath.
 * Without a sink (unit tests, tools) SAs are only logged.
 *
 * The sink is the one piece of module state: set once at startup, before
 * any SA exists, and cleared (NULL) before the datapath goes away.
 */
#ifndef FGATE_IKE_CHILD_SA_H
#define FGATE_IKE_CHILD_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/proposal.h"
#include "sa/sad.h"

struct child_sa_sink {
	/* Installs an SA pair: 0 or a negative fg_err (the child SA then
	 * fails). k is wiped after the call. */
	int (*install)(void *ctx, const struct sad_sa *sa, const struct sad_keys *k);
	/* Removes the pair with these SPIs. */
	void (*remove)(void *ctx, bool ah, uint32_t spi_in, uint32_t spi_out);
	void *ctx;
};

/* sink NULL: log only. The struct is copied. */
void child_sa_set_sink(const struct child_sa_sink *sink);

/* Whether the offload device runs this ESP/AH transform (DES, 3DES or NULL
 * with HMAC-SHA1-96, HMAC-MD5-96 or none). Quick Mode offers and accepts
 * only these, so a negotiated child SA can always be installed. */
bool child_sa_offloadable(const struct proposal_xform *xf);

#endif
