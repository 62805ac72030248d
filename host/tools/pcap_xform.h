/*
 * fgate-pcap's per-packet work around the device: turn one input IPv4
 * packet into an ENCAP or DECAP request (net/esp_wire.h does the wire
 * format), and the device's result into the output packet. The outcome of
 * a packet is a device status (enum fgp_status) or one of the host's own
 * below.
 *
 * IVs: random per packet from crypto_random(), or, with a seed,
 * IV(i) = the first 8 bytes of HMAC-SHA1(key = seed as 8 bytes big-endian,
 * message = i as 8 bytes big-endian), i the packet's 0-based index in the
 * input file: reproducible output for tests, never for real traffic.
 * The outer IPv4 identification of tunnel mode is (index + 1) mod 2^16.
 */
#ifndef FGATE_TOOLS_PCAP_XFORM_H
#define FGATE_TOOLS_PCAP_XFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/esp_wire.h"
#include "offload/offload.h"

enum {
	XFORM_IV_LEN = 8,
	/* Largest output packet: the device's largest result plus outer
	 * headers (a decapsulated packet is smaller than its request). */
	XFORM_OUT_MAX = OFFLOAD_MAX_RESULT + ESP_WIRE_OUTER_MAX,
	/* Request scratch: any IPv4 packet plus what encapsulation adds. */
	XFORM_REQ_MAX = IPV4_TOTAL_MAX + ESP_WIRE_OUTER_MAX + ESP_WIRE_AH_BYTES + XFORM_IV_LEN,
};

/* Outcomes found by the host, after the device's statuses. */
enum xform_outcome {
	XFORM_BAD_IPV4 = 32,    /* not a well-formed IPv4 packet, or bad outer headers */
	XFORM_NOT_IPSEC,        /* decrypt: not ESP/AH of the SA's protocol */
	XFORM_FRAGMENT,         /* transport encrypt or any decrypt of a fragment */
	XFORM_BAD_INNER,        /* decrypted payload not a valid packet (or ECN drop) */
	XFORM_SKIPPED,          /* not IPv4, NAT-keepalive, IKE, ESP dummy: not a failure */
	XFORM_OUTCOME_END,
	XFORM_PENDING = 0x100,  /* at the device */
};

struct xform {
	struct esp_wire_cfg cfg;
	bool decrypt;
	bool has_iv;            /* ESP with a cipher */
	bool seeded;
	uint8_t seed[8];
	uint8_t req[XFORM_REQ_MAX];
};

/* One packet between its request and its output. */
struct xform_pkt {
	uint32_t index;
	int outcome;            /* enum fgp_status, enum xform_outcome */
	struct ipv4_hdr ip;     /* encrypt: the input header */
	struct esp_wire_rx rx;  /* decrypt: the received packet (payload not kept) */
	uint8_t hdr[IPV4_HDR_MAX];      /* the input packet's IPv4 header */
	struct ipv4_mutable m;  /* AH */
	size_t out_len;
	uint8_t out[XFORM_OUT_MAX];
};

/* Name of an outcome ("OK", "AUTH_FAIL", ..., "BAD_IPV4", ...). */
const char *xform_outcome_name(int outcome);
/* Everything but OK and SKIPPED. */
bool xform_outcome_failed(int outcome);

/* Prepares packet number index (pkt, len: from the IPv4 header on).
 * Either the request to submit is in *req (in x->req), *req_len, *nh and
 * p->outcome is XFORM_PENDING, or p->outcome is already final. Returns 0, or a
 * negative fg_err when the host itself failed (RNG). */
int xform_prepare(struct xform *x, struct xform_pkt *p, uint32_t index, const uint8_t *pkt,
		  size_t len, const uint8_t **req, size_t *req_len, uint8_t *nh);

/* Sets p->outcome (and p->out) from the device's result for p. */
void xform_finish(const struct xform *x, struct xform_pkt *p, const struct offload_result *r);

#endif
