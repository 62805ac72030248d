/* The control socket's commands on the running daemon (fgated.h): each
 * parsed request (control.h) acts through the IKE manager, the datapath or
 * reload.c and writes its reply. initiate returns once the exchange has
 * started; terminate sends DELETE like charon. */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "daemon/control_list.h"
#include "daemon/fgated.h"

/* The first connection (in file order) with a child of this name. */
static const struct fg_conn *conn_of_child(const struct fg_config *cfg, const char *name,
					   const struct fg_child **child)
{
	unsigned i;

	for (i = 0; i < cfg->n_conns; i++) {
		*child = config_find_child(&cfg->conns[i], name);
		if (*child)
			return &cfg->conns[i];
	}
	return NULL;
}

static int initiate(struct fgated *d, const struct control_req *req, struct control_buf *out)
{
	const struct fg_child *child = NULL;
	const struct fg_conn *conn;
	int rc;

	conn = req->ike ? config_find_conn(d->cfg, req->name)
			: conn_of_child(d->cfg, req->name, &child);
	if (!conn) {
		control_buf_printf(out, "initiate: no %s named '%s' in the configuration",
				   req->ike ? "connection" : "CHILD_SA config", req->name);
		return FG_ERR_NOTFOUND;
	}
	fg_info("control: initiate %s %s of connection %s", req->ike ? "IKE_SA" : "CHILD_SA",
		req->name, conn->name);
	rc = ike_mgr_start_child(&d->mgr, conn, child);
	if (rc == FG_ERR_EXISTS) {
		control_buf_printf(out, "initiate: IKE_SA %s is established with all its "
				   "CHILD_SAs", conn->name);
		return rc;
	}
	if (rc) {
		control_buf_printf(out, "initiate: connection %s: cannot start: %s", conn->name,
				   fg_err_name(rc));
		return rc;
	}
	if (child)
		control_buf_printf(out, "initiating CHILD_SA %s of connection %s: started, not "
				   "yet established (watch list-sas)\n", child->name, conn->name);
	else
		control_buf_printf(out, "initiating connection %s (IKE_SA and its %u CHILD_SA "
				   "config(s)): started, not yet established (watch list-sas)\n",
				   conn->name, conn->n_children);
	return 0;
}

static int terminate(struct fgated *d, const struct control_req *req, struct control_buf *out)
{
	int n;

	fg_info("control: terminate %s %s", req->ike ? "IKE_SA" : "CHILD_SA", req->name);
	n = req->ike ? ike_mgr_terminate_ike(&d->mgr, req->name, "terminated by fgatectl")
		     : ike_mgr_terminate_child(&d->mgr, req->name, "terminated by fgatectl");
	if (n < 0) {
		control_buf_printf(out, "terminate: no %s named '%s' is up",
				   req->ike ? "IKE_SA" : "CHILD_SA", req->name);
		return n;
	}
	control_buf_printf(out, "terminated %d %s %s (DELETE sent for those established)\n", n,
			   req->ike ? "IKE_SA(s)" : "CHILD_SA(s)", req->name);
	return 0;
}

static int stats(struct fgated *d, bool json, struct control_buf *out)
{
	struct control_stats st = { 0 };
	unsigned i;

	if (d->dp) {
		datapath_flush(d->dp);  /* what is in flight counts */
		st.datapath = true;
		datapath_traffic(d->dp, &st.tx_packets, &st.rx_packets);
		for (i = 0; i < DP_DROP_COUNT_; i++)
			st.drops[i] = datapath_drops(d->dp, (enum datapath_drop)i);
	}
	if (d->offload) {
		st.backend = offload_backend(d->offload);
		st.have_dev = offload_stats(d->offload, &st.dev) == 0;
		st.bad_results = offload_bad_results(d->offload);
		offload_health(d->offload, &st.health);
	}
	return control_list_stats(&st, &d->mgr, json, out);
}

int fgated_control(void *ctx, const struct control_req *req, struct control_buf *out)
{
	struct fgated *d = ctx;

	fg_debug("control: %s request", control_cmd_name(req->cmd));
	switch (req->cmd) {
	case CONTROL_INITIATE:
		return initiate(d, req, out);
	case CONTROL_TERMINATE:
		return terminate(d, req, out);
	case CONTROL_LIST_SAS:
		fgated_refresh_counters(d);
		return control_list_sas(&d->mgr, loop_now(), req->json, out);
	case CONTROL_LIST_CONNS:
		return control_list_conns(d->cfg, out);
	case CONTROL_STATS:
		return stats(d, req->json, out);
	case CONTROL_RELOAD:
		return fgated_reload(d, out);
	}
	/* every command control_parse() accepts is handled above */
	control_buf_printf(out, "internal error: unknown command %d", (int)req->cmd);
	return FG_ERR_UNSUPP;
}
