/*
 * The security association database of the datapath. One entry per
 * installed child SA pair: the inbound and the outbound SA, the offload
 * device's table slots they occupy, their wire formats (esp_wire.h) and
 * their traffic selectors. Inbound packets find their entry by SPI,
 * protocol and destination address; outbound packets through the SPD
 * (spd.h), whose policies hold entry indices.
 *
 * Keys are not kept here: the caller loads them into the device
 * (offload_sa_load) and wipes its copy. Device slots are allocated from a
 * bitmap over the device's SA table (caps.sa_entries, at most
 * SAD_SLOTS_MAX): two per entry.
 *
 * Addresses are in host byte order. Lookups scan the table (at most
 * SAD_ENTRIES_MAX entries, bounded by the device table anyway). One
 * thread uses a sad at a time.
 */
#ifndef FGATE_SA_SAD_H
#define FGATE_SA_SAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "net/esp_wire.h"
#include "offload/offload.h"

enum sad_limits {
	SAD_ENTRIES_MAX = 128,
	SAD_SLOTS_MAX = 256,
	SAD_NAME_MAX = 96,
};

/* An SA pair as the IKE side hands it over (keys apart: struct sad_keys). */
struct sad_sa {
	char name[SAD_NAME_MAX];        /* for log lines: "#1 ... CHILD_SA net" */
	bool ah;                        /* AH, else ESP */
	bool transport;                 /* else tunnel */
	bool encap;                     /* ESP in UDP (RFC 3948) */
	uint32_t local, remote;         /* outer (IKE) addresses */
	uint16_t remote_port;           /* encap: the peer's NAT-T port */
	uint32_t spi_in, spi_out;
	struct fg_ts ts_local, ts_remote;       /* resolved, not dynamic */
};

/* Keys and algorithms of an SA pair, on their way to the device (the
 * database never stores them; whoever fills one wipes it). */
struct sad_keys {
	enum fgp_cipher cipher;
	enum fgp_auth auth;
	size_t enc_len, auth_len;       /* 0/8/24 and 0/16/20 */
	uint8_t enc_in[OFFLOAD_CIPHER_KEY_MAX], auth_in[OFFLOAD_AUTH_KEY_MAX];
	uint8_t enc_out[OFFLOAD_CIPHER_KEY_MAX], auth_out[OFFLOAD_AUTH_KEY_MAX];
	uint16_t replay_window;         /* inbound, capped at the device's maximum */
};

struct sad_entry {
	bool used;
	struct sad_sa sa;
	uint16_t slot_in, slot_out;
	struct esp_wire_cfg wire_out;   /* src local, dst remote */
	struct esp_wire_cfg wire_in;
};

struct sad {
	unsigned nslots;
	uint8_t slot_used[SAD_SLOTS_MAX / 8];
	struct sad_entry e[SAD_ENTRIES_MAX];
};

/* An empty database over a device table of nslots entries (capped at
 * SAD_SLOTS_MAX). */
void sad_init(struct sad *s, unsigned nslots);
/* Adds sa with two free device slots; *idx gets the entry index.
 * FG_ERR_EXISTS when an entry already has its inbound SPI (same protocol
 * and local address), FG_ERR_FULL when no entry or slots are left,
 * FG_ERR_INVAL for AH with UDP encapsulation. */
int sad_add(struct sad *s, const struct sad_sa *sa, unsigned *idx);
/* Frees the entry and its slots. */
void sad_del(struct sad *s, unsigned idx);
/* The entry for an inbound packet, or NULL. */
struct sad_entry *sad_find_in(struct sad *s, bool ah, uint32_t spi, uint32_t dst);
/* The index of the entry with both SPIs, or FG_ERR_NOTFOUND. */
int sad_find_pair(const struct sad *s, bool ah, uint32_t spi_in, uint32_t spi_out);
/* The entry at idx if used, else NULL. */
struct sad_entry *sad_get(struct sad *s, unsigned idx);
unsigned sad_count(const struct sad *s);

#endif
