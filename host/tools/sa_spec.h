/*
 * The SA specification of fgate-pcap: comma-separated key=value pairs
 *
 *   proto=esp|ah            default esp
 *   mode=tunnel|transport   default tunnel
 *   spi=N                   required; 0x hex or decimal, 256..2^32-1
 *                           (0 and 1..255 are reserved, RFC 4303 2.1)
 *   src=A.B.C.D dst=A.B.C.D outer addresses: required in tunnel mode,
 *                           refused in transport mode
 *   enc=3des-cbc:0x<48 hex>|des-cbc:0x<16 hex>|null
 *                           ESP only, required there
 *   auth=hmac-sha1-96:0x<40 hex>|hmac-md5-96:0x<32 hex>|none
 *                           default none for ESP (but not with enc=null),
 *                           required for AH
 *   encap=udp               RFC 3948 UDP encapsulation, ports 4500 (ESP only)
 *   seq=N                   first outbound sequence number, 1..2^32-1, default 1
 *   replay=N                inbound anti-replay window, 0..65535 (0 = off),
 *                           default 64; the device may allow less
 *
 * Each key at most once. Errors name the field: "<field>: <reason>".
 */
#ifndef FGATE_TOOLS_SA_SPEC_H
#define FGATE_TOOLS_SA_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/esp_wire.h"
#include "offload/offload.h"

enum {
	SA_SPEC_ERR_MAX = 160,          /* error text buffer the caller gives */
	SA_SPEC_SPI_MIN = 256,
	SA_SPEC_REPLAY_DEFAULT = 64,
	SA_SPEC_REPLAY_LIMIT = 0xffff,  /* the SA_LOAD field is 16 bits */
};

struct sa_spec {
	bool ah, transport, udp_encap;
	uint32_t spi;
	uint32_t src, dst;              /* host order; tunnel mode */
	enum fgp_cipher cipher;
	enum fgp_auth auth;
	uint8_t cipher_key[OFFLOAD_CIPHER_KEY_MAX];
	size_t cipher_key_len;
	uint8_t auth_key[OFFLOAD_AUTH_KEY_MAX];
	size_t auth_key_len;
	uint32_t seq;
	unsigned replay;
};

/* Parses text into spec. Returns 0, or FG_ERR_PARSE with err (errlen
 * bytes, SA_SPEC_ERR_MAX is enough) set to "<field>: <reason>", naming the
 * offending key (or "spec" for an element without '='). spec is wiped on
 * failure; on success it holds keys: wipe it with sa_spec_wipe(). */
int sa_spec_parse(const char *text, struct sa_spec *spec, char *err, size_t errlen);

/* The device SA for spec in one direction, table slot index. */
void sa_spec_offload(const struct sa_spec *spec, bool inbound, uint16_t index,
		     struct offload_sa *sa);

/* The wire format of spec (outer DF copied from the inner packet, TTL 64). */
void sa_spec_wire(const struct sa_spec *spec, struct esp_wire_cfg *cfg);

/* Wipes the keys (and everything else). */
void sa_spec_wipe(struct sa_spec *spec);

#endif
