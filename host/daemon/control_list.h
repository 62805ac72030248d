/*
 * What fgatectl's list-sas, list-conns and stats print (docs/fgatectl.md),
 * rendered from the IKE manager's SAs, a configuration and a snapshot of
 * the datapath's counters; text modelled on swanctl, JSON (json-c) on
 * strongSwan's VICI list-sa messages. No I/O here: the daemon fills the
 * snapshot, the unit tests a fake one.
 */
#ifndef FGATE_DAEMON_CONTROL_LIST_H
#define FGATE_DAEMON_CONTROL_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "daemon/control.h"
#include "ike/ike_mgr.h"
#include "net/datapath.h"
#include "offload/offload.h"

/* The datapath and device counters for "stats". */
struct control_stats {
	bool datapath;                  /* false: no datapath (the rest is 0) */
	uint64_t tx_packets, rx_packets;
	uint64_t drops[DP_DROP_COUNT_];
	const char *backend;            /* offload backend name */
	bool have_dev;                  /* dev and bad_results were read */
	struct offload_stats dev;
	uint32_t bad_results;
	struct offload_health health;   /* read whenever backend is set */
};

/* Every IKE SA of m that is not DELETED with its child SAs; now is the
 * manager's clock (ms). 0 or FG_ERR_NOMEM. */
int control_list_sas(const struct ike_mgr *m, uint64_t now, bool json, struct control_buf *out);
/* Every connection of cfg with its children. */
int control_list_conns(const struct fg_config *cfg, struct control_buf *out);
/* Counters, drops per reason, the device, the numbers of SAs in m. */
int control_list_stats(const struct control_stats *st, const struct ike_mgr *m, bool json,
		       struct control_buf *out);

/* strongSwan's names: "3DES_CBC", "HMAC_SHA1_96", "PRF_HMAC_SHA1",
 * "MODP_1024"; "?" for an unknown value. */
const char *control_encr_name(enum proposal_encr e);
const char *control_integ_name(enum proposal_integ i);
const char *control_prf_name(enum proposal_integ i);
const char *control_dh_name(enum proposal_dh d);

#endif
