/*
 * fgatectl reload: re-read the configuration file.
 *
 * An invalid file is refused with its "FILE:LINE: ..." error and the
 * running configuration stays in force. A valid one replaces it for every
 * new negotiation (responder lookups, initiate, traps, retries):
 *  - SAs of connections whose name is gone are closed (DELETE sent) and
 *    their waiting initiations dropped (ike_mgr_set_config());
 *  - SAs of connections that remain, changed or not, stay up on the
 *    settings they were negotiated with, as charon keeps an IKE_SA's old
 *    peer config: their renewals and rekeyings use them too, until the SA
 *    is gone;
 *  - connections new in the file with start_action = start are initiated;
 *    trap children new in the file get their trap and route;
 *  - the fgate { } section (control, tun, offload, install_routes) needs a
 *    restart: the running values are kept, only log_level is applied.
 *
 * Pointers into the old configuration (ike_sa.conn, .psk, child_sa.cfg,
 * waiting initiations, traps) stay valid because the old configuration is
 * kept ("retired") until ike_mgr_uses_config() says nothing points into it
 * any more; fgated_reap_configs() checks that from every tick.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "daemon/fgated.h"

static bool starts(const struct fg_conn *c)
{
	unsigned j;

	for (j = 0; j < c->n_children; j++)
		if (c->children[j].start_action == FG_ACTION_START)
			return true;
	return false;
}

/* What the fgate { } section changes that needs a restart, into note. */
static void keep_fgate(struct fg_config *n, const struct fg_config *old, char *note,
		       size_t len)
{
	const struct fg_fgate_cfg *o = &old->fgate;
	struct fg_fgate_cfg *f = &n->fgate;
	enum fg_log_level level = f->log_level;

	note[0] = '\0';
	if (strcmp(f->control, o->control) || strcmp(f->tun, o->tun) ||
	    f->offload != o->offload || f->install_routes != o->install_routes)
		snprintf(note, len, "; fgate { control, tun, offload, install_routes } changes "
			 "need a restart: kept the running values");
	*f = *o;
	f->log_level = level;
}

int fgated_reload(struct fgated *d, struct control_buf *out)
{
	struct fg_config *n = NULL, *old = d->cfg;
	unsigned i, closed, started = 0;
	char err[512], note[160];
	int rc;

	if (d->n_retired >= FGATED_RETIRED_MAX) {
		control_buf_printf(out, "reload: %u earlier configurations are still in use by "
				   "SAs: try again later", d->n_retired);
		return FG_ERR_FULL;
	}
	rc = config_load_file(d->cfg_path, &n, err, sizeof(err));
	if (rc) {
		fg_err("reload of %s refused (the error above): the running configuration "
		       "stays", d->cfg_path);
		control_buf_printf(out, "reload refused, the running configuration stays: %s", err);
		return rc;
	}
	rc = fgated_open_sockets(d, n);
	if (rc) {
		fg_err("reload of %s refused: cannot open its IKE sockets: %s", d->cfg_path,
		       fg_err_name(rc));
		control_buf_printf(out, "reload refused, the running configuration stays: cannot "
				   "open the IKE sockets of %s: %s", d->cfg_path, fg_err_name(rc));
		config_free(n);
		return rc;
	}
	keep_fgate(n, old, note, sizeof(note));
	if (!d->log_level_forced)
		fg_log_set_level(n->fgate.log_level);

	closed = ike_mgr_set_config(&d->mgr, n);
	d->cfg = n;
	d->retired[d->n_retired++] = old;
	fgated_route_traps(d, n, old);
	for (i = 0; i < n->n_conns; i++) {
		const struct fg_conn *c = &n->conns[i];

		if (config_find_conn(old, c->name) || !starts(c))
			continue;
		if (ike_mgr_initiate(&d->mgr, c, NULL) == 0)
			started++;
	}
	fg_info("configuration reloaded from %s: %u connection(s), %u SA(s) of removed "
		"connections closed, %u new connection(s) started%s", d->cfg_path, n->n_conns,
		closed, started, note);
	control_buf_printf(out, "reloaded %s: %u connection(s), %u IKE_SA(s) of removed "
			   "connections closed, %u new connection(s) started%s\n", d->cfg_path,
			   n->n_conns, closed, started, note);
	return 0;
}

void fgated_reap_configs(struct fgated *d)
{
	unsigned i = 0;

	while (i < d->n_retired) {
		if (ike_mgr_uses_config(&d->mgr, d->retired[i])) {
			i++;
			continue;
		}
		fg_debug("a replaced configuration is no longer used: freed");
		config_free(d->retired[i]);
		d->retired[i] = d->retired[--d->n_retired];
	}
}
