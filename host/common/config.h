/*
 * fgated's configuration: a swanctl.conf(5) file (conf.h syntax) validated
 * into typed structs, so that a strongSwan IKEv1 PSK configuration loads
 * unchanged, plus fgated's own "fgate { }" section.
 *
 * Keys keep swanctl.conf's names, meanings and defaults (strongSwan 5.9,
 * vici_config.c), with these IKEv1 notes:
 *  - connections.<c>.version must be 1 (strongSwan's default 0 means IKEv2
 *    as initiator): fgated speaks IKEv1 only.
 *  - auth must be psk on both sides (strongSwan's default is pubkey).
 *  - proposals/esp_proposals default to proposal.h's "default" lists.
 *  - dpd_timeout 0 (the default) means what it means in charon: no separate
 *    DPD timeout, a peer is dead when the R_U_THERE retransmissions time out.
 *  - rekey_time 4h unless reauth_time is set; over_time defaults to 10% of
 *    the longer of the two and rand_time to min(over_time, half of it). IKEv1
 *    cannot rekey an ISAKMP SA: both times mean "build a new one" to the IKE
 *    code, which offers the shorter nonzero one as the phase 1 lifetime.
 *  - CHILD life_time defaults to rekey_time + 10%, rand_time to their
 *    difference; the same for bytes and packets.
 *  - local_ts/remote_ts: IKEv1 Quick Mode carries the first selector only,
 *    as in charon without Unity; more are kept and warned about.
 *  - ah_proposals and esp_proposals are alternatives, as in charon.
 * Values are read as vici_config.c reads them: numbers as strtoul(base 0)
 * does (0x hex, a leading 0 octal), times with an s/m/h/d suffix, byte
 * counts with k/m/g (powers of 1024), booleans yes/true/enabled/1 and
 * no/false/disabled/0, words case-insensitively; a port of 0 means 500.
 * Keys that change nothing in IKEv1 (mobike, childless, send_cert, ...) are
 * accepted and ignored; keys naming a feature fgated lacks (pools, vips,
 * certs, updown, marks, ...) fail with "not supported by fgated".
 *
 * Errors are one line: "FILE:LINE: key.path: reason", e.g.
 * "fgated.conf:12: connections.gw.children.net.mode: expected tunnel or
 * transport, got 'tunel'", logged with fg_err() and copied to err.
 * The loaded struct is read-only; config_free() wipes the pre-shared keys
 * (the secrets' text in the kept conf tree is wiped once they are decoded).
 */
#ifndef FGATE_COMMON_CONFIG_H
#define FGATE_COMMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/conf.h"
#include "common/log.h"
#include "ike/proposal.h"

enum config_limits {
	CONFIG_ADDRS_MAX = 8,           /* entries in local_addrs/remote_addrs */
	CONFIG_TS_MAX = 8,              /* selectors in local_ts/remote_ts */
	CONFIG_ID_MAX = 256,            /* bytes of an identity, with the NUL */
	CONFIG_SECRET_IDS_MAX = 16,     /* id<suffix> keys in one secret */
	CONFIG_PSK_MAX = 512,           /* bytes of a decoded pre-shared key */
	CONFIG_CONNS_MAX = 256,
	CONFIG_CHILDREN_MAX = 64,       /* per connection */
	CONFIG_SECRETS_MAX = 1024,
	CONFIG_PATH_MAX = 108,          /* a control socket path (sun_path) */
	CONFIG_IFNAME_MAX = 16,         /* IFNAMSIZ */
};

/* An IPv4 address range in host byte order; one address has first == last. */
struct fg_addr_range {
	uint32_t first, last;
};

/* local_addrs / remote_addrs; "%any" is one range 0.0.0.0-255.255.255.255. */
struct fg_addrs {
	unsigned n;
	bool any;                       /* %any (or a list containing it) */
	struct fg_addr_range r[CONFIG_ADDRS_MAX];
};

/* A traffic selector: "dynamic" (the IKE address) or an address range, with
 * an optional "[proto/port]" restriction. */
struct fg_ts {
	bool dynamic;
	struct fg_addr_range addr;      /* unused when dynamic */
	uint8_t proto;                  /* 0: any */
	uint16_t port_first, port_last; /* 0-65535: any */
};

/* start_action none|trap|start, dpd_action clear|trap|restart and
 * close_action none|trap|start share charon's action values. */
enum fg_action { FG_ACTION_NONE = 0, FG_ACTION_TRAP, FG_ACTION_START };
enum fg_mode { FG_MODE_TUNNEL = 0, FG_MODE_TRANSPORT };
enum fg_unique { FG_UNIQUE_NO = 0, FG_UNIQUE_NEVER, FG_UNIQUE_KEEP,
		 FG_UNIQUE_REPLACE };
/* In the order of the names config_rules.c accepts:
 * soft|sim|usb|pcie|sim-ft601. */
enum fg_offload { FG_OFFLOAD_SOFT = 0, FG_OFFLOAD_SIM, FG_OFFLOAD_USB,
		  FG_OFFLOAD_PCIE, FG_OFFLOAD_SIM_FT601 };

struct fg_child {
	char *name;
	const char *file;               /* where the section was opened */
	int line;
	unsigned n_local_ts, n_remote_ts;
	struct fg_ts local_ts[CONFIG_TS_MAX];   /* default: dynamic */
	struct fg_ts remote_ts[CONFIG_TS_MAX];
	struct proposal_list esp;       /* empty if only AH was configured */
	struct proposal_list ah;        /* empty unless configured */
	enum fg_mode mode;              /* tunnel */
	enum fg_action start_action;    /* none */
	enum fg_action dpd_action;      /* clear (NONE) */
	enum fg_action close_action;    /* none */
	uint64_t rekey_time, life_time, rand_time;      /* seconds: 1h, +10% */
	uint64_t rekey_bytes, life_bytes, rand_bytes;   /* 0: no limit */
	uint64_t rekey_packets, life_packets, rand_packets;
	uint64_t inactivity;            /* seconds, 0: off */
	uint32_t replay_window;         /* 32; 0 disables replay protection */
};

struct fg_conn {
	char *name;
	const char *file;
	int line;
	struct fg_addrs local_addrs, remote_addrs;      /* %any */
	uint16_t local_port, remote_port;               /* 500 */
	struct proposal_list proposals;                 /* IKE */
	bool aggressive;                /* no: Main Mode */
	bool encap;                     /* no */
	uint8_t dscp;                   /* 6 bits for IKE packets, 0 */
	enum fg_unique unique;          /* no */
	uint32_t keyingtries;           /* 1; 0: forever */
	uint64_t dpd_delay, dpd_timeout;                /* seconds, 0 */
	uint64_t rekey_time, reauth_time, over_time, rand_time; /* seconds */
	char local_id[CONFIG_ID_MAX];   /* "": the local IKE address */
	char remote_id[CONFIG_ID_MAX];  /* "%any" */
	unsigned n_children;
	struct fg_child *children;      /* in the order they appear */
};

struct fg_secret {
	char *name;                     /* "ike-gw" */
	const char *file;
	int line;
	uint8_t *psk;
	size_t psk_len;
	unsigned n_ids;                 /* 0: matches any identity */
	char ids[CONFIG_SECRET_IDS_MAX][CONFIG_ID_MAX];
};

struct fg_fgate_cfg {
	char control[CONFIG_PATH_MAX];  /* /run/fgated.ctl */
	enum fg_offload offload;        /* sim */
	char tun[CONFIG_IFNAME_MAX];    /* fgate0 */
	bool install_routes;            /* yes */
	enum fg_log_level log_level;    /* info */
};

struct fg_config {
	unsigned n_conns;
	struct fg_conn *conns;          /* in the order they appear */
	unsigned n_secrets;
	struct fg_secret *secrets;
	struct fg_fgate_cfg fgate;
	struct conf *conf;              /* the parsed tree (owns file names) */
};

/* Parse and validate a file (or a buffer named name, for tests). */
int config_load_file(const char *path, struct fg_config **out, char *err,
		     size_t errlen);
int config_load_buffer(const char *name, const char *buf, size_t len,
		       struct fg_config **out, char *err, size_t errlen);
void config_free(struct fg_config *cfg);

const struct fg_conn *config_find_conn(const struct fg_config *cfg,
				       const char *name);
const struct fg_child *config_find_child(const struct fg_conn *conn,
					 const char *name);
/* The pre-shared key for a pair of identities, chosen as charon does: each
 * secret's ids are patterns ("%any", "*.example.com", "*@example.com" or an
 * identity); the secret whose ids best match remote_id wins, ties go to the
 * best match of local_id, then to the secret defined later. A secret
 * without ids matches anything (as %any). NULL if none matches either. */
const struct fg_secret *config_find_psk(const struct fg_config *cfg,
					const char *local_id,
					const char *remote_id);

#endif
