/*
 * IPv4 headers (RFC 791): a parser that trusts no length, a builder for
 * option-less headers, the RFC 1071 checksum, and the AH helpers that zero
 * the mutable fields before the ICV is computed or checked and restore them
 * afterwards (RFC 4302 3.3.3.1.1.1 and appendix A1).
 *
 * Headers are read and written byte by byte in network order; nothing is
 * cast onto a buffer. Addresses in struct ipv4_hdr are in host order.
 */
#ifndef FGATE_NET_IPV4_H
#define FGATE_NET_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	IPV4_HDR_MIN = 20,              /* IHL 5 */
	IPV4_HDR_MAX = 60,              /* IHL 15 */
	IPV4_OPTS_MAX = IPV4_HDR_MAX - IPV4_HDR_MIN,
	IPV4_TOTAL_MAX = 0xffff,
	IPV4_TTL_DEFAULT = 64,

	/* Flags and fragment offset (the 16-bit field at offset 6). */
	IPV4_DF = 0x4000,
	IPV4_MF = 0x2000,
	IPV4_FRAG_OFF_MASK = 0x1fff,

	/* Field offsets. */
	IPV4_OFF_TOS = 1,
	IPV4_OFF_LEN = 2,
	IPV4_OFF_ID = 4,
	IPV4_OFF_FRAG = 6,
	IPV4_OFF_TTL = 8,
	IPV4_OFF_PROTO = 9,
	IPV4_OFF_CSUM = 10,
	IPV4_OFF_SRC = 12,
	IPV4_OFF_DST = 16,

	/* ECN codepoints, the low two bits of TOS (RFC 3168). */
	IPV4_ECN_MASK = 0x03,
	IPV4_ECN_NOT_ECT = 0x00,
	IPV4_ECN_CE = 0x03,

	/* Protocol numbers used by the IPsec datapath. */
	IPV4_PROTO_IPIP = 4,
	IPV4_PROTO_TCP = 6,
	IPV4_PROTO_UDP = 17,
	IPV4_PROTO_ESP = 50,
	IPV4_PROTO_AH = 51,
	IPV4_PROTO_NONE = 59,           /* "no next header": ESP dummy packets */
};

/* Option types (the whole type byte: copied flag, class, number). */
enum {
	IPV4_OPT_EOL = 0,
	IPV4_OPT_NOP = 1,
};

struct ipv4_hdr {
	size_t hdr_len;         /* IHL x 4: 20..60 */
	uint8_t tos;
	uint16_t total_len;     /* hdr_len <= total_len <= the buffer */
	uint16_t id;
	uint16_t frag;          /* flags and fragment offset, as on the wire */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;          /* as received */
	uint32_t src, dst;
	bool fragment;          /* MF set or a non-zero offset */
	bool csum_ok;           /* the header checksum verifies */
};

/* Parses the header at buf. Checks, in order: 20 bytes present
 * (FG_ERR_TRUNC), version 4 and IHL >= 5 (FG_ERR_PARSE), IHL x 4 within
 * the buffer (FG_ERR_TRUNC), IHL x 4 <= total length (FG_ERR_PARSE), total
 * length within the buffer (FG_ERR_TRUNC), and the options well formed
 * (FG_ERR_PARSE: an option length under 2 or running past the header).
 * Bytes after total_len (link-layer padding) are allowed; a bad checksum or
 * a fragment is reported in h, not refused: that is the caller's policy. */
int ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *h);

/* Writes a 20-byte header without options from h (hdr_len, csum,
 * fragment and csum_ok are ignored; the checksum is computed). Returns
 * the header length, or FG_ERR_RANGE when cap is under 20 bytes or
 * total_len under 20. */
int ipv4_build(uint8_t *buf, size_t cap, const struct ipv4_hdr *h);

/* RFC 1071 Internet checksum of len bytes (odd lengths padded with a zero
 * byte): the value to store big-endian in a checksum field that was zero
 * while summing; 0 when summing over a field that holds a correct one. */
uint16_t ipv4_checksum(const uint8_t *data, size_t len);

/* Recomputes the header checksum of the header at hdr (IHL from hdr[0],
 * which the caller has validated). */
void ipv4_set_checksum(uint8_t *hdr);

/* Sets protocol and total length of the validated header at hdr and
 * recomputes its checksum. */
void ipv4_set_proto_len(uint8_t *hdr, uint8_t proto, uint16_t total_len);

/* What ipv4_ah_zero() changed, for ipv4_ah_restore(). */
struct ipv4_mutable {
	size_t hdr_len;
	uint8_t tos;
	uint16_t frag;
	uint8_t ttl;
	uint8_t opts[IPV4_OPTS_MAX];    /* the option area as it was */
};

/* Zeroes the mutable fields of the header at hdr (len bytes available) for
 * an AH ICV (RFC 4302 3.3.3.1.1.1): TOS, flags and fragment offset, TTL,
 * header checksum, and every option that is not listed as immutable in
 * appendix A1 (End of Option List, No Operation, Security 130, Extended
 * Security 133, Commercial Security 134, Router Alert 148, Sender Directed
 * Multi-Destination Delivery 149, matched on the whole type byte): such an
 * option is zeroed as a unit, type and length included, as the RFC
 * requires; an option type we do not know is treated as mutable. Bytes
 * after an End of Option List are padding and are left as they are
 * (RFC 791 wants them zero). Not done: with a loose or strict source
 * route the destination address is "mutable but predictable" (RFC 4302
 * 3.3.3.1.1.1) and should be replaced by the final destination; it is
 * left as it is. Saves the old values in m. Returns 0,
 * FG_ERR_TRUNC or FG_ERR_PARSE (header or options malformed; hdr is then
 * unchanged). */
int ipv4_ah_zero(uint8_t *hdr, size_t len, struct ipv4_mutable *m);

/* Puts back what ipv4_ah_zero() saved (TOS, flags and fragment offset,
 * TTL, options) and recomputes the checksum over the header as it now is
 * (the caller may have changed protocol and total length before). */
void ipv4_ah_restore(uint8_t *hdr, const struct ipv4_mutable *m);

#endif
