/*
 * What the host puts around the device's ESP and AH work (docs/protocol.md)
 * and takes off before it: the outer IPv4 header of tunnel mode (RFC 4301
 * 5.1.2), the rewritten header of transport mode, the UDP encapsulation of
 * ESP (RFC 3948, ports 4500, checksum 0), the AH mutable fields (RFC 4302
 * 3.3.3.1), and the parsing of a received packet into outer header,
 * optional UDP header and ESP or AH bytes.
 *
 * Outbound, per packet:
 *   ESP: esp_wire_esp_data() gives the bytes to protect and the next header;
 *        the device's ENCAP result goes to esp_wire_esp_wrap().
 *   AH:  esp_wire_ah_request() builds the ENCAP payload (header with the
 *        mutable fields zeroed); esp_wire_ah_finish() restores them in the
 *        device's result, which is then the packet to send.
 * Inbound:
 *   esp_wire_parse() classifies the packet; ESP: the DECAP payload is
 *   rx.payload, the result goes to esp_wire_esp_unwrap(); AH:
 *   esp_wire_ah_request_in() builds the DECAP payload, the result goes to
 *   esp_wire_ah_unwrap().
 *
 * Tunnel mode copies the inner TOS byte (DSCP, and ECN as RFC 6040 normal
 * mode allows for the outer header) and DF per the configuration (RFC 4301
 * 8.1); on the way in, RFC 6040 decapsulation: outer CE on an ECT inner
 * packet sets CE in it, outer CE on a Not-ECT inner packet drops it.
 * Transport mode does not adjust TCP/UDP checksums for NAT (RFC 3948
 * 3.1.2): there is no address translation to undo here.
 *
 * No state, no allocation: every function writes into the caller's buffer
 * and checks its capacity (FG_ERR_RANGE when it is too small).
 */
#ifndef FGATE_NET_ESP_WIRE_H
#define FGATE_NET_ESP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv4.h"

enum {
	ESP_WIRE_NATT_PORT = 4500,
	ESP_WIRE_UDP_HDR = 8,
	ESP_WIRE_MARKER = 4,            /* non-ESP marker: 4 zero bytes */
	ESP_WIRE_KEEPALIVE_BYTE = 0xff, /* NAT-keepalive: this one byte */
	ESP_WIRE_ESP_MIN = 8,           /* SPI + sequence number */
	ESP_WIRE_AH_MIN = 12,           /* AH up to the sequence number */
	ESP_WIRE_AH_BYTES = 24,         /* AH with a 96-bit ICV */
	/* Most the host adds in front of the device's ESP result. */
	ESP_WIRE_OUTER_MAX = IPV4_HDR_MAX + ESP_WIRE_UDP_HDR,
};

/* DF bit of the outer header in tunnel mode (RFC 4301 8.1). */
enum esp_wire_df {
	ESP_WIRE_DF_COPY,
	ESP_WIRE_DF_CLEAR,
	ESP_WIRE_DF_SET,
};

/* One SA's wire format. */
struct esp_wire_cfg {
	bool ah;                /* AH, else ESP */
	bool transport;         /* transport mode, else tunnel */
	bool udp_encap;         /* RFC 3948 (ESP only) */
	uint32_t src, dst;      /* tunnel: outer addresses, host order */
	enum esp_wire_df df;    /* tunnel: outer DF */
	uint8_t ttl;            /* tunnel: outer TTL (0 means IPV4_TTL_DEFAULT) */
};

/* What a received packet is. */
enum esp_wire_kind {
	ESP_WIRE_ESP,           /* payload: from the SPI to the end */
	ESP_WIRE_AH,            /* payload: from the AH header to the end */
	ESP_WIRE_IKE,           /* UDP 4500 with the non-ESP marker: payload after it */
	ESP_WIRE_KEEPALIVE,     /* UDP 4500 NAT-keepalive (RFC 3948 2.3) */
	ESP_WIRE_OTHER,         /* any other protocol: payload is the IP payload */
};

struct esp_wire_rx {
	struct ipv4_hdr ip;     /* outer header */
	enum esp_wire_kind kind;
	bool udp_encap;         /* a UDP header to port 4500 follows ip */
	uint16_t sport, dport;
	const uint8_t *payload;
	size_t payload_len;
	uint32_t spi;           /* ESP and AH */
};

/* Checks cfg: FG_ERR_INVAL for UDP encapsulation with AH. */
int esp_wire_cfg_check(const struct esp_wire_cfg *cfg);

/* ESP outbound: the bytes of the IPv4 packet pkt (ip from ipv4_parse) that
 * ESP protects and the next header: the whole packet (up to total_len) and
 * 4 in tunnel mode, the payload after the header and the protocol in
 * transport mode. Transport mode refuses fragments (FG_ERR_UNSUPP). */
int esp_wire_esp_data(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
		      const struct ipv4_hdr *ip, const uint8_t **data, size_t *len,
		      uint8_t *next_header);

/* ESP outbound: writes into out the packet to send: the outer header
 * (tunnel: new, with id; transport: pkt's header, protocol replaced), the
 * UDP header when encapsulating, then the esp_len bytes of the device's
 * ENCAP result. */
int esp_wire_esp_wrap(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
		      const struct ipv4_hdr *ip, uint16_t id, const uint8_t *esp,
		      size_t esp_len, uint8_t *out, size_t cap, size_t *out_len);

/* AH outbound: writes into out the ENCAP payload for pkt: the header AH
 * will follow (tunnel: a new outer header with id; transport: pkt's) with
 * protocol 51 and a total length that counts the AH bytes, its mutable
 * fields zeroed and saved in m, then the data (tunnel: pkt; transport:
 * pkt's payload). *next_header gets the AH next header. Transport mode
 * refuses fragments (FG_ERR_UNSUPP). */
int esp_wire_ah_request(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
			const struct ipv4_hdr *ip, uint16_t id, uint8_t *out, size_t cap,
			size_t *out_len, uint8_t *next_header, struct ipv4_mutable *m);

/* AH outbound: restores the mutable fields in the device's ENCAP result
 * (len bytes at pkt, modified in place), which is then the packet to send.
 * FG_ERR_TRUNC when the result is shorter than its header. */
int esp_wire_ah_finish(uint8_t *pkt, size_t len, const struct ipv4_mutable *m);

/* Inbound: parses pkt. Returns 0 with rx->kind set for any well-formed
 * IPv4 packet; FG_ERR_TRUNC or FG_ERR_PARSE for a malformed one (IPv4
 * header, bad header checksum, UDP length not matching the IP payload, ESP
 * shorter than SPI and sequence number, AH shorter than its fixed part);
 * FG_ERR_UNSUPP for a fragment (reassembly comes first). */
int esp_wire_parse(const uint8_t *pkt, size_t len, struct esp_wire_rx *rx);

/* ESP inbound: writes into out the packet the device's DECAP result
 * (data, len, next header) stands for: tunnel mode, the inner IPv4 packet
 * (next header 4, a valid IPv4 packet of at most len bytes, TFC padding
 * cut, RFC 6040 ECN applied); transport mode, pkt's header with protocol,
 * total length and checksum fixed, then data. A dummy packet (next header
 * 59, RFC 4303 2.6) gives 0 with *out_len 0: drop it silently. FG_ERR_PARSE
 * for a tunnel payload that is not IPv4 or must be dropped for ECN. */
int esp_wire_esp_unwrap(const struct esp_wire_cfg *cfg, const uint8_t *pkt,
			const struct esp_wire_rx *rx, uint8_t next_header, const uint8_t *data,
			size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* AH inbound: writes into out the DECAP payload: the received packet pkt
 * (up to its total length) with the mutable fields zeroed, saved in m. */
int esp_wire_ah_request_in(const uint8_t *pkt, const struct esp_wire_rx *rx, uint8_t *out,
			   size_t cap, size_t *out_len, struct ipv4_mutable *m);

/* AH inbound: from the device's DECAP result (the received header with
 * the AH header removed, then the data) writes into out the inner packet
 * (tunnel, as esp_wire_esp_unwrap) or the restored packet (transport:
 * mutable fields back, protocol = next header, total length, checksum). */
int esp_wire_ah_unwrap(const struct esp_wire_cfg *cfg, const struct ipv4_mutable *m,
		       uint8_t next_header, const uint8_t *res, size_t len, uint8_t *out,
		       size_t cap, size_t *out_len);

#endif
