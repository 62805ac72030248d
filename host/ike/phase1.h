/*
 * What Main Mode and Aggressive Mode share (RFC 2409 5, PSK only): the SA
 * offer and selection, KE and nonce, identities, HASH_I/HASH_R, key
 * derivation and INITIAL-CONTACT (NAT-T is in natt.h). Each function
 * reads or writes the phase 1 fields of struct ike_sa; all return 0 or a
 * negative fg_err and log why.
 */
#ifndef FGATE_IKE_PHASE1_H
#define FGATE_IKE_PHASE1_H

#include "ike/ike_sa.h"

/* Initiator: every transform of the connection's proposals in one ISAKMP
 * proposal; keeps the SA body as SAi_b. */
int phase1_build_sa_offer(struct ike_sa *sa, struct isakmp_builder *b);
/* Responder: picks the first offered transform the connection accepts,
 * keeps SAi_b. FG_ERR_NOTFOUND when none (NO-PROPOSAL-CHOSEN). */
int phase1_select(struct ike_sa *sa, const struct isakmp_msg *m);
/* Responder: the chosen transform. */
int phase1_build_sa_reply(struct ike_sa *sa, struct isakmp_builder *b);
/* Initiator: the responder's choice must be one transform of our offer. */
int phase1_process_sa_reply(struct ike_sa *sa, const struct isakmp_msg *m);
/* The DH group of the first transform we offer (Aggressive Mode KE). */
int phase1_first_group(const struct ike_sa *sa, enum proposal_dh *out);

/* KE (a fresh key pair of sa->xf.dh) and our nonce. */
int phase1_build_ke_nonce(struct ike_sa *sa, struct isakmp_builder *b);
int phase1_process_ke_nonce(struct ike_sa *sa, const struct isakmp_msg *m);
/* PSK lookup, g^xy, SKEYID... and the phase 1 IV; logs keys at key level. */
int phase1_derive(struct ike_sa *sa);

/* Our identity (IPv4 address unless local.id says otherwise); its body is
 * kept for the hash. */
int phase1_build_id(struct ike_sa *sa, struct isakmp_builder *b);
/* The peer's ID: checked against remote.id, kept in sa->remote_id. */
int phase1_process_id(struct ike_sa *sa, const struct isakmp_msg *m);
/* HASH_I (initiator) or HASH_R over our ID payload body. */
int phase1_build_hash(struct ike_sa *sa, struct isakmp_builder *b);
/* The peer's HASH over its ID payload (in m, or saved for Aggressive). */
int phase1_verify_hash(struct ike_sa *sa, const struct isakmp_msg *m,
		       const uint8_t *id, size_t id_len);

int phase1_build_initial_contact(struct ike_sa *sa, struct isakmp_builder *b);
/* INITIAL-CONTACT and error notifies in a phase 1 message. */
int phase1_process_notify(struct ike_sa *sa, const struct isakmp_msg *m);

/* Negotiated algorithms as crypto.h values. */
enum crypto_hash phase1_hash(enum proposal_integ i);
enum crypto_cipher phase1_cipher(enum proposal_encr e);

#endif
