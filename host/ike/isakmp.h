/*
 * ISAKMP message codec (RFC 2408) with the IPsec DOI (RFC 2407) and the
 * NAT-T payloads (RFC 3947), as IKEv1 (RFC 2409) uses them.
 *
 * Decoding is zero copy: a parsed struct isakmp_msg points into the caller's
 * buffer, which must outlive it. The codec never logs and never sends: every
 * decode error returns a negative enum fg_err and fills a struct
 * isakmp_error with the notify type to answer (RFC 2408 3.14.1) and a
 * one-line reason that includes the byte offset.
 *
 * Decoding a datagram:
 *   isakmp_msg_parse() checks the header, then (unless the E flag is set)
 *   runs the payload loop over the rest. With ISAKMP_FLAG_ENC set it only
 *   exposes msg->body (the ciphertext); the IKE layer decrypts it and calls
 *   isakmp_payloads_parse() on the plaintext with msg->hdr.next as the first
 *   payload type and the cipher block size as max_pad.
 *
 * Header length vs datagram: the header's length must EQUAL the datagram
 * length. RFC 2408 3.1 defines it as the length of the total message
 * (header + payloads) and 5.1 says a message whose length field and actual
 * length differ MUST be rejected (UNEQUAL-PAYLOAD-LENGTHS); one UDP
 * datagram carries exactly one ISAKMP message (the non-ESP marker of port
 * 4500 is stripped by the socket layer before this codec sees the bytes).
 *
 * Trailing bytes after the last payload (next payload NONE): RFC 2409
 * Appendix B pads an encrypted message with 0x00 up to the block size and
 * 5.3 describes a pad whose last byte is the pad count; strongSwan
 * (encrypt_v1) appends bs - (len % bs) zero bytes, so 1..bs bytes, a whole
 * block when the payloads already fill one, and on input parses up to
 * NONE and ignores the rest. The loop therefore stops at NONE and accepts
 * at most max_pad trailing bytes whose content it does not inspect (both
 * pad styles occur); the caller passes the cipher block size for a
 * decrypted body and isakmp_msg_parse() passes 0 for a plaintext message
 * (strongSwan never pads those). More is UNEQUAL-PAYLOAD-LENGTHS.
 * Hashes over "the rest of the message" (Quick Mode HASH(1..3)) must not
 * include that padding: use isakmp_msg_after(), which stops at the end of
 * the payload chain.
 */
#ifndef FGATE_IKE_ISAKMP_H
#define FGATE_IKE_ISAKMP_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

enum isakmp_limits {
	ISAKMP_HDR_LEN = 28,        /* fixed header */
	ISAKMP_GEN_LEN = 4,         /* generic payload header */
	ISAKMP_COOKIE_LEN = 8,
	ISAKMP_VERSION_MAJOR = 1,
	ISAKMP_VERSION_MINOR = 0,
	ISAKMP_NONCE_MIN = 8,       /* RFC 2409 5: nonce data 8..256 bytes */
	ISAKMP_NONCE_MAX = 256,
	ISAKMP_MAX_PAYLOADS = 64,   /* top-level payloads in one message */
	ISAKMP_MSG_MAX = 65535,     /* largest message the builder produces */
	ISAKMP_PAYLOAD_MAX = 65535, /* 16-bit payload length */
	ISAKMP_REASON_LEN = 112,
};

/* Header flags (RFC 2408 3.1). Other bits must be zero. */
enum isakmp_flags {
	ISAKMP_FLAG_ENC = 0x01,
	ISAKMP_FLAG_COMMIT = 0x02,
	ISAKMP_FLAG_AUTH_ONLY = 0x04,
	ISAKMP_FLAGS_ALL = 0x07,
};

/* Exchange types (RFC 2408 3.1, RFC 2409 5, mode-cfg draft for 6). */
enum isakmp_exchange {
	ISAKMP_EXCH_NONE = 0,
	ISAKMP_EXCH_BASE = 1,
	ISAKMP_EXCH_IDPROT = 2,       /* Identity Protection = Main Mode */
	ISAKMP_EXCH_AUTH_ONLY = 3,
	ISAKMP_EXCH_AGGRESSIVE = 4,
	ISAKMP_EXCH_INFO = 5,
	ISAKMP_EXCH_TRANSACTION = 6,  /* draft-ietf-ipsec-isakmp-mode-cfg */
	ISAKMP_EXCH_QUICK = 32,
	ISAKMP_EXCH_NEW_GROUP = 33,
};

/* Payload types (RFC 2408 3.1; NAT-D/NAT-OA from RFC 3947). */
enum isakmp_payload_type {
	ISAKMP_PT_NONE = 0,
	ISAKMP_PT_SA = 1,
	ISAKMP_PT_PROPOSAL = 2,
	ISAKMP_PT_TRANSFORM = 3,
	ISAKMP_PT_KE = 4,
	ISAKMP_PT_ID = 5,
	ISAKMP_PT_CERT = 6,
	ISAKMP_PT_CR = 7,
	ISAKMP_PT_HASH = 8,
	ISAKMP_PT_SIG = 9,
	ISAKMP_PT_NONCE = 10,
	ISAKMP_PT_NOTIFY = 11,
	ISAKMP_PT_DELETE = 12,
	ISAKMP_PT_VID = 13,
	ISAKMP_PT_NAT_D = 20,
	ISAKMP_PT_NAT_OA = 21,
	ISAKMP_PT_COUNT = 22,   /* table size: types are < this */
};

#define ISAKMP_PT_BIT(t) (1u << (t))
/* Types that may appear more than once in an IKEv1 message. */
#define ISAKMP_PT_REPEATABLE                                                   \
	(ISAKMP_PT_BIT(ISAKMP_PT_NOTIFY) | ISAKMP_PT_BIT(ISAKMP_PT_DELETE) |   \
	 ISAKMP_PT_BIT(ISAKMP_PT_VID) | ISAKMP_PT_BIT(ISAKMP_PT_NAT_D) |       \
	 ISAKMP_PT_BIT(ISAKMP_PT_CERT) | ISAKMP_PT_BIT(ISAKMP_PT_CR))

/* Notify message types: RFC 2408 3.14.1 errors and status, RFC 2407 4.6.3,
 * RFC 3706 (DPD). */
enum isakmp_notify_type {
	ISAKMP_N_NONE = 0,
	ISAKMP_N_INVALID_PAYLOAD_TYPE = 1,
	ISAKMP_N_DOI_NOT_SUPPORTED = 2,
	ISAKMP_N_SITUATION_NOT_SUPPORTED = 3,
	ISAKMP_N_INVALID_COOKIE = 4,
	ISAKMP_N_INVALID_MAJOR_VERSION = 5,
	ISAKMP_N_INVALID_MINOR_VERSION = 6,
	ISAKMP_N_INVALID_EXCHANGE_TYPE = 7,
	ISAKMP_N_INVALID_FLAGS = 8,
	ISAKMP_N_INVALID_MESSAGE_ID = 9,
	ISAKMP_N_INVALID_PROTOCOL_ID = 10,
	ISAKMP_N_INVALID_SPI = 11,
	ISAKMP_N_INVALID_TRANSFORM_ID = 12,
	ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	ISAKMP_N_NO_PROPOSAL_CHOSEN = 14,
	ISAKMP_N_BAD_PROPOSAL_SYNTAX = 15,
	ISAKMP_N_PAYLOAD_MALFORMED = 16,
	ISAKMP_N_INVALID_KEY_INFORMATION = 17,
	ISAKMP_N_INVALID_ID_INFORMATION = 18,
	ISAKMP_N_INVALID_CERT_ENCODING = 19,
	ISAKMP_N_INVALID_CERTIFICATE = 20,
	ISAKMP_N_CERT_TYPE_UNSUPPORTED = 21,
	ISAKMP_N_INVALID_CERT_AUTHORITY = 22,
	ISAKMP_N_INVALID_HASH_INFORMATION = 23,
	ISAKMP_N_AUTHENTICATION_FAILED = 24,
	ISAKMP_N_INVALID_SIGNATURE = 25,
	ISAKMP_N_ADDRESS_NOTIFICATION = 26,
	ISAKMP_N_NOTIFY_SA_LIFETIME = 27,
	ISAKMP_N_CERTIFICATE_UNAVAILABLE = 28,
	ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
	ISAKMP_N_ERROR_MAX = 16383,   /* 1..16383 are errors */
	ISAKMP_N_CONNECTED = 16384,
	ISAKMP_N_RESPONDER_LIFETIME = 24576,
	ISAKMP_N_REPLAY_STATUS = 24577,
	ISAKMP_N_INITIAL_CONTACT = 24578,
	ISAKMP_N_DPD_R_U_THERE = 36136,
	ISAKMP_N_DPD_R_U_THERE_ACK = 36137,
};

/* Domains of interpretation and the IPsec DOI situation (RFC 2407 4.2). */
enum isakmp_doi {
	ISAKMP_DOI_ISAKMP = 0,
	ISAKMP_DOI_IPSEC = 1,
	ISAKMP_SIT_IDENTITY_ONLY = 0x01,
	ISAKMP_SIT_SECRECY = 0x02,
	ISAKMP_SIT_INTEGRITY = 0x04,
};

/* Protocol identifiers (RFC 2407 4.4.1) and their SPI sizes. */
enum isakmp_proto {
	ISAKMP_PROTO_RESERVED = 0,
	ISAKMP_PROTO_ISAKMP = 1,
	ISAKMP_PROTO_AH = 2,
	ISAKMP_PROTO_ESP = 3,
	ISAKMP_PROTO_IPCOMP = 4,
	ISAKMP_SPI_SIZE_IPSEC = 4,     /* AH, ESP */
	ISAKMP_SPI_SIZE_CPI = 2,       /* IPCOMP (4 also accepted) */
	ISAKMP_SPI_SIZE_COOKIES = 16,  /* ISAKMP: initiator + responder cookie */
};

/* IPsec DOI identification types (RFC 2407 4.6.2.1). */
enum isakmp_id_type {
	ISAKMP_ID_IPV4_ADDR = 1,
	ISAKMP_ID_FQDN = 2,
	ISAKMP_ID_USER_FQDN = 3,
	ISAKMP_ID_IPV4_ADDR_SUBNET = 4,
	ISAKMP_ID_IPV6_ADDR = 5,
	ISAKMP_ID_IPV6_ADDR_SUBNET = 6,
	ISAKMP_ID_IPV4_ADDR_RANGE = 7,
	ISAKMP_ID_IPV6_ADDR_RANGE = 8,
	ISAKMP_ID_DER_ASN1_DN = 9,
	ISAKMP_ID_DER_ASN1_GN = 10,
	ISAKMP_ID_KEY_ID = 11,
};

/* A byte range inside a caller's buffer. */
struct isakmp_span {
	const uint8_t *ptr;
	size_t len;
};

struct isakmp_error {
	int notify;                       /* enum isakmp_notify_type to answer */
	uint8_t payload;                  /* type being decoded, NONE for header */
	size_t offset;                    /* of the fault, from the buffer start */
	char reason[ISAKMP_REASON_LEN];   /* "...: what (offset N)" */
};

struct isakmp_hdr {
	uint8_t icookie[ISAKMP_COOKIE_LEN];
	uint8_t rcookie[ISAKMP_COOKIE_LEN];
	uint8_t next;        /* type of the first payload */
	uint8_t major, minor;
	uint8_t exch;        /* enum isakmp_exchange */
	uint8_t flags;       /* enum isakmp_flags */
	uint32_t msgid;
	uint32_t length;     /* whole message, header included */
};

/* Decoded fixed fields per payload type; the variable part is a span. */
struct isakmp_pl_sa {
	uint32_t doi, situation;
	struct isakmp_span props;   /* proposals: decode with isakmp_sa_decode */
};

struct isakmp_pl_id {
	uint8_t type;        /* enum isakmp_id_type */
	uint8_t proto;       /* IP protocol, 0 = any */
	uint16_t port;       /* 0 = any */
	struct isakmp_span data;
};

struct isakmp_pl_cert {      /* CERT (encoding) and CR (certificate type) */
	uint8_t encoding;
	struct isakmp_span data;
};

struct isakmp_pl_notify {
	uint32_t doi;
	uint8_t proto;       /* enum isakmp_proto */
	uint16_t type;       /* enum isakmp_notify_type */
	struct isakmp_span spi;    /* spi.len is the SPI size */
	struct isakmp_span data;
};

struct isakmp_pl_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t nspis;
	struct isakmp_span spis;   /* nspis * spi_size bytes */
};

struct isakmp_pl_nat_oa {
	uint8_t id_type;     /* ISAKMP_ID_IPV4_ADDR or ISAKMP_ID_IPV6_ADDR */
	struct isakmp_span addr;
};

/*
 * One payload. KE, HASH, SIG, NONCE, VID and NAT-D carry only data: that is
 * body. raw is the whole payload, generic header included.
 */
struct isakmp_payload {
	uint8_t type;
	uint8_t next;          /* next-payload field as received */
	int16_t next_same;     /* index of the next payload of this type, -1 */
	size_t offset;         /* of the generic header in the parsed buffer */
	struct isakmp_span raw;
	struct isakmp_span body;
	union {
		struct isakmp_pl_sa sa;
		struct isakmp_pl_id id;
		struct isakmp_pl_cert cert;
		struct isakmp_pl_notify notify;
		struct isakmp_pl_delete del;
		struct isakmp_pl_nat_oa nat_oa;
	} u;
};

/* Which top-level payload types the caller accepts at this step, and which
 * of those may occur more than once (PROPOSAL and TRANSFORM never can). */
struct isakmp_allow {
	uint32_t allowed;   /* ISAKMP_PT_BIT() set */
	uint32_t repeat;
};

struct isakmp_msg {
	struct isakmp_hdr hdr;
	struct isakmp_span body;    /* after the header: ciphertext if ENC */
	int encrypted;              /* hdr.flags & ISAKMP_FLAG_ENC */
	/* Set by the payload loop: */
	const uint8_t *base;        /* buffer the payloads were parsed from */
	size_t base_len;
	size_t chain_end;           /* offset in base after the last payload */
	size_t npayloads;
	struct isakmp_payload payloads[ISAKMP_MAX_PAYLOADS];
	int16_t first[ISAKMP_PT_COUNT];   /* per type: index or -1 */
	uint8_t count[ISAKMP_PT_COUNT];
};

/* --- names for logs (isakmp_names.c); "?" style text for unknown values */
const char *isakmp_exchange_name(unsigned exch);
const char *isakmp_payload_name(unsigned type);
const char *isakmp_notify_name(unsigned type);
const char *isakmp_proto_name(unsigned proto);
const char *isakmp_id_type_name(unsigned type);

/* Fills err (when non-NULL) and returns rc; used by the codec's files.
 * The reason gets " (offset N)" appended. */
int isakmp_error_set(struct isakmp_error *err, int rc, int notify, uint8_t payload,
		     size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* --- decoding (isakmp_parse.c) */

/* Big-endian reads: the only way the codec touches multi-byte fields. */
static inline uint16_t isakmp_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t isakmp_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void isakmp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void isakmp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* 1 for the payload types this codec decodes (not NONE). */
int isakmp_payload_known(unsigned type);

/*
 * Header only. Checks, in order: the 28 bytes fit, major version 1
 * (INVALID-MAJOR-VERSION), minor 0 (INVALID-MINOR-VERSION), length field ==
 * len (UNEQUAL-PAYLOAD-LENGTHS), initiator cookie non-zero (INVALID-COOKIE),
 * first payload known and not NONE (INVALID-PAYLOAD-TYPE), exchange type
 * known (INVALID-EXCHANGE-TYPE), no undefined flag bits (INVALID-FLAGS),
 * a non-empty body when encrypted.
 */
int isakmp_hdr_parse(const uint8_t *buf, size_t len, struct isakmp_hdr *hdr,
		     struct isakmp_error *err);

/*
 * Whole datagram: header, then the payload loop when not encrypted (offsets
 * in err are from the datagram start). With ISAKMP_FLAG_ENC the payload
 * fields stay empty and msg->body is the ciphertext.
 */
int isakmp_msg_parse(const uint8_t *buf, size_t len, const struct isakmp_allow *allow,
		     struct isakmp_msg *msg, struct isakmp_error *err);

/*
 * The payload loop over buf (payloads only, no header), first payload of
 * type first. Leaves msg->hdr/body/encrypted alone, resets the payload
 * fields. Per payload, in order: the generic header fits, the next type is
 * known, the reserved byte is zero, the length is at least the type's
 * minimum and at most what remains, the type is allowed (and not repeated
 * unless allowed to), then the type's own validation. Stops at NONE and
 * accepts at most max_pad trailing bytes. Offsets in err are from buf.
 */
int isakmp_payloads_parse(const uint8_t *buf, size_t len, uint8_t first,
			  const struct isakmp_allow *allow, size_t max_pad,
			  struct isakmp_msg *msg, struct isakmp_error *err);

/*
 * One payload on its own (generic header at p, len bytes, type given):
 * reserved, minimum and exact length, then the type's validation. The loop
 * and the builder both use it. offset is added to error offsets.
 */
int isakmp_payload_check(uint8_t type, const uint8_t *p, size_t len, size_t offset,
			 struct isakmp_payload *out, struct isakmp_error *err);

/* First payload of a type, the next one of the same type, their count. */
const struct isakmp_payload *isakmp_msg_get(const struct isakmp_msg *msg, uint8_t type);
const struct isakmp_payload *isakmp_msg_next(const struct isakmp_msg *msg,
					     const struct isakmp_payload *p);
unsigned isakmp_msg_count(const struct isakmp_msg *msg, uint8_t type);
/* The bytes after payload p up to the end of the payload chain (padding
 * excluded): what Quick Mode HASH(1)/(2) cover after the HASH payload. */
struct isakmp_span isakmp_msg_after(const struct isakmp_msg *msg, const struct isakmp_payload *p);

/* --- encoding (isakmp_build.c) */

/*
 * A message under construction in a growable buffer. Each added payload
 * patches the previous one's next-payload field (or the header's) and the
 * header length. The first error is sticky: every later call returns it,
 * so a sequence of adds can be checked once at isakmp_build_finish().
 */
struct isakmp_builder {
	uint8_t *buf;
	size_t len, cap;
	size_t next_at;        /* offset of the next-payload byte to patch */
	int err;
	int sealed;            /* padded: no more payloads */
	size_t npayloads;
	size_t off[ISAKMP_MAX_PAYLOADS];   /* generic header offsets */
};

enum isakmp_span_kind {
	ISAKMP_SPAN_BODY,      /* payload body, generic header excluded */
	ISAKMP_SPAN_PAYLOAD,   /* whole payload */
	ISAKMP_SPAN_AFTER,     /* everything after the payload (padding excluded) */
};

/* Writes the header from h: cookies, exchange, flags, message ID; the
 * version is always 1.0, next payload and length are filled in by adds. */
int isakmp_build_init(struct isakmp_builder *b, const struct isakmp_hdr *h);
/* Frees and wipes the buffer (it may hold plaintext before encryption). */
void isakmp_build_free(struct isakmp_builder *b);

/*
 * Appends a payload of type with body_len zeroed body bytes and returns its
 * index (>= 0) or a negative fg_err; *body (may be NULL) points at the body
 * to fill, valid until the next append. No validation: the typed builders
 * below check what they write.
 */
int isakmp_build_add(struct isakmp_builder *b, uint8_t type, size_t body_len, uint8_t **body);
/* KE, HASH, SIG, NONCE (8..256), VID, NAT-D: body is the data. */
int isakmp_build_data(struct isakmp_builder *b, uint8_t type, const void *data, size_t len);
int isakmp_build_id(struct isakmp_builder *b, const struct isakmp_pl_id *id);
/* type is ISAKMP_PT_CERT or ISAKMP_PT_CR. */
int isakmp_build_cert(struct isakmp_builder *b, uint8_t type, const struct isakmp_pl_cert *c);
int isakmp_build_notify(struct isakmp_builder *b, const struct isakmp_pl_notify *n);
int isakmp_build_delete(struct isakmp_builder *b, const struct isakmp_pl_delete *d);
int isakmp_build_nat_oa(struct isakmp_builder *b, const struct isakmp_pl_nat_oa *n);
/* Appends bs - (body % bs) zero bytes (1..bs, as strongSwan does) so the
 * body can be encrypted in place; no payload can be added afterwards. */
int isakmp_build_pad(struct isakmp_builder *b, size_t block);
/* A span of payload idx (pointer valid until the next append). Writable so
 * that a HASH payload added with placeholder bytes can be filled in. */
int isakmp_build_span(const struct isakmp_builder *b, int idx, enum isakmp_span_kind kind,
		      uint8_t **ptr, size_t *len);
/* The message so far, or the first error. */
int isakmp_build_finish(const struct isakmp_builder *b, const uint8_t **msg, size_t *len);

#endif
