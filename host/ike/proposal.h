/*
 * strongSwan proposal strings ("aes128-sha256-modp2048, 3des-sha1-modp1024")
 * parsed into algorithm lists, the IKEv1 wire numbers of each algorithm, and
 * a formatter back to strongSwan's syntax for logs.
 *
 * A proposal holds, like strongSwan's, one or more algorithms of each kind
 * ("aes128-aes256-sha1-md5-modp1536-modp2048"). IKEv1 carries one algorithm
 * of each kind per transform, so proposal_expand() turns a list into the
 * transforms to offer (every combination, in the order written) and
 * proposal_accepts() checks a received transform as responder.
 *
 * Algorithms fgated implements: encryption DES, 3DES, AES-CBC 128/192/256
 * and NULL (ESP only); integrity MD5, SHA1, SHA2-256 (for IKE the hash and
 * its HMAC PRF, for ESP/AH HMAC-MD5-96, HMAC-SHA1-96, HMAC-SHA2-256-128);
 * MODP groups 1 (768), 2 (1024), 5 (1536) and 14 (2048). Anything strongSwan
 * knows beyond these fails with "X not supported (fgated does ...)".
 *
 * "default" is strongSwan 5.9's default set cut down to these algorithms:
 *   IKE: aes128-aes192-aes256-3des-sha256-sha1-modp2048
 *   ESP: aes128-aes192-aes256-sha256-sha1, then 3des-sha1
 *   AH:  sha256-sha1
 * (strongSwan's own IKE default also has 3DES, SHA1 and MODP 2048; its ESP
 * default has no 3DES, which fgated adds last as the algorithm its FPGA
 * engine runs). Which algorithms an offload engine can run is not decided
 * here: the daemon filters the expanded transforms by engine capability.
 */
#ifndef FGATE_IKE_PROPOSAL_H
#define FGATE_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum proposal_limits {
	PROPOSAL_ALGS_MAX = 8,          /* algorithms of one kind in a proposal */
	PROPOSAL_LIST_MAX = 16,         /* proposals in a list */
	PROPOSAL_STR_MAX = 1024,        /* formatted list (and input) length */
	PROPOSAL_ERR_MAX = 256,
};

enum proposal_proto { PROPOSAL_IKE = 1, PROPOSAL_ESP, PROPOSAL_AH };

enum proposal_encr {
	PROPOSAL_ENCR_NONE = 0,
	PROPOSAL_ENCR_DES,
	PROPOSAL_ENCR_3DES,
	PROPOSAL_ENCR_AES128,           /* AES-CBC */
	PROPOSAL_ENCR_AES192,
	PROPOSAL_ENCR_AES256,
	PROPOSAL_ENCR_NULL,             /* ESP only */
};

enum proposal_integ {
	PROPOSAL_INTEG_NONE = 0,
	PROPOSAL_INTEG_MD5,
	PROPOSAL_INTEG_SHA1,
	PROPOSAL_INTEG_SHA2_256,
};

/* Values are the group numbers (RFC 2409 6.1/6.2, RFC 3526). */
enum proposal_dh {
	PROPOSAL_DH_NONE = 0,
	PROPOSAL_DH_MODP768 = 1,
	PROPOSAL_DH_MODP1024 = 2,
	PROPOSAL_DH_MODP1536 = 5,
	PROPOSAL_DH_MODP2048 = 14,
};

struct proposal {
	enum proposal_proto proto;
	uint8_t n_encr, n_integ, n_prf, n_dh;
	enum proposal_encr encr[PROPOSAL_ALGS_MAX];
	enum proposal_integ integ[PROPOSAL_ALGS_MAX];   /* IKE: hash */
	enum proposal_integ prf[PROPOSAL_ALGS_MAX];     /* IKE "prfsha1"...: kept
							 * for logs; IKEv1's PRF is
							 * the HMAC of the hash */
	enum proposal_dh dh[PROPOSAL_ALGS_MAX];         /* ESP/AH: PFS group */
	bool esn;                       /* "esn-noesn" given: fgated picks noesn
					 * ("esn" alone is refused) */
};

struct proposal_list {
	unsigned n;
	struct proposal p[PROPOSAL_LIST_MAX];
};

/* One IKEv1 transform: a single algorithm of each kind (NONE if absent). */
struct proposal_xform {
	enum proposal_encr encr;
	enum proposal_integ integ;
	enum proposal_dh dh;
};

/* Parses a comma separated list of proposals (each one may be "default")
 * into *out. On error writes "proposal 'X': reason" to err and returns
 * FG_ERR_UNSUPP (known to strongSwan, not to fgated) or FG_ERR_PARSE. */
int proposal_parse(enum proposal_proto proto, const char *str,
		   struct proposal_list *out, char *err, size_t errlen);
/* The default list for a protocol (see above). */
void proposal_default(enum proposal_proto proto, struct proposal_list *out);

/* "aes128-sha256-modp2048"; returns the length needed, like snprintf. */
size_t proposal_format(const struct proposal *p, char *buf, size_t len);
/* "aes128-sha256-modp2048, 3des-sha1-modp2048" */
size_t proposal_list_format(const struct proposal_list *l, char *buf, size_t len);

/* Writes up to max transforms, returns how many the list holds. */
size_t proposal_expand(const struct proposal_list *l, struct proposal_xform *out,
		       size_t max);
/* True if some proposal of the list contains every algorithm of x (and x
 * has exactly the kinds the proposal has). */
bool proposal_accepts(const struct proposal_list *l, enum proposal_proto proto,
		      const struct proposal_xform *x);

/* strongSwan keywords: "aes128", "sha1", "modp2048"; "?" for none. */
const char *proposal_encr_name(enum proposal_encr e);
const char *proposal_integ_name(enum proposal_integ i);
const char *proposal_dh_name(enum proposal_dh d);

/* Sizes in bytes: key and block of a cipher, key, ICV (truncated HMAC) and
 * full digest of an integrity algorithm; 0 for NONE or unknown. */
size_t proposal_encr_key_size(enum proposal_encr e);
size_t proposal_encr_block_size(enum proposal_encr e);
size_t proposal_integ_key_size(enum proposal_integ i);
size_t proposal_integ_icv_size(enum proposal_integ i);
size_t proposal_hash_size(enum proposal_integ i);

/*
 * IKEv1 wire numbers. The _to_wire functions return the number (> 0) or
 * FG_ERR_INVAL for an algorithm the attribute cannot carry; key lengths
 * are in bits, 0 when the algorithm has a fixed key. The _from_wire
 * functions return 0 or FG_ERR_UNSUPP.
 */
/* Phase 1 Encryption Algorithm attribute (RFC 2409 appendix A; AES-CBC 7
 * from RFC 3602) and its Key Length attribute. */
int proposal_ike_encr_to_wire(enum proposal_encr e, uint16_t *keylen);
int proposal_ike_encr_from_wire(unsigned id, unsigned keylen,
				enum proposal_encr *out);
/* Phase 1 Hash Algorithm attribute (RFC 2409 appendix A; SHA2-256 4 from
 * RFC 4868). */
int proposal_ike_hash_to_wire(enum proposal_integ i);
int proposal_ike_hash_from_wire(unsigned id, enum proposal_integ *out);
/* Group Description, phase 1 and IPsec DOI alike. */
int proposal_dh_to_wire(enum proposal_dh d);
int proposal_dh_from_wire(unsigned id, enum proposal_dh *out);
/* ESP transform IDs (RFC 2407 4.4.4; ESP_AES 12 from RFC 3602). */
int proposal_esp_to_wire(enum proposal_encr e, uint16_t *keylen);
int proposal_esp_from_wire(unsigned id, unsigned keylen, enum proposal_encr *out);
/* AH transform IDs (RFC 2407 4.4.3; AH_SHA2_256 5 from RFC 4868). */
int proposal_ah_to_wire(enum proposal_integ i);
int proposal_ah_from_wire(unsigned id, enum proposal_integ *out);
/* IPsec DOI Authentication Algorithm attribute (RFC 2407 4.5;
 * HMAC-SHA2-256 5 from RFC 4868). */
int proposal_auth_to_wire(enum proposal_integ i);
int proposal_auth_from_wire(unsigned id, enum proposal_integ *out);

#endif
