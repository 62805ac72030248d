/*
 * The offload API (offload.h) over any struct fg_device: the backend
 * registry, packet submission with tag tracking, collection, and the
 * synchronous control calls (the result stream is offload_stream.c).
 *
 * Packets in flight live in a fixed table of OFFLOAD_INFLIGHT_MAX slots
 * (libhackrf's fixed transfer pool): a slot is taken at submit, filled when
 * the result with its tag arrives, and freed when offload_collect() hands
 * the result out. A control call sends its frame and then reads results
 * until its own arrives, parking the packet results that come first in
 * their slots.
 */
#include "offload/offload.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "offload/device.h"
#include "offload/frame.h"
#include "offload/offload_priv.h"
#include "offload/sim_device.h"
#include "offload/soft_device.h"
#include "offload/usb.h"

/* ---- backend registry: add a backend here ---- */

static int open_soft(const char *args, struct fg_device **dev)
{
	if (args && *args) {
		fg_err("offload: backend soft takes no arguments (got \"%s\")", args);
		return FG_ERR_INVAL;
	}
	*dev = soft_device_open();
	return *dev ? 0 : FG_ERR_IO;    /* soft_device_open logged why */
}

static const struct backend {
	const char *name;
	/* Opens the device; logs why on failure. */
	int (*open)(const char *args, struct fg_device **dev);
} backends[] = {
	{ "soft", open_soft },
	{ "sim", sim_device_open },
	{ "sim-ft601", sim_ft601_device_open },
	{ "usb", usb_device_open },
};

/* ---- control calls ---- */

static int status_err(uint8_t status)
{
	switch (status) {
	case FGP_STATUS_OK:
		return 0;
	case FGP_STATUS_NO_SA:
		return FG_ERR_NOTFOUND;
	case FGP_STATUS_BAD_SA:
		return FG_ERR_INVAL;
	case FGP_STATUS_UNSUPPORTED:
		return FG_ERR_UNSUPP;
	case FGP_STATUS_MALFORMED:
		return FG_ERR_PARSE;
	case FGP_STATUS_TOO_BIG:
		return FG_ERR_RANGE;
	}
	return FG_ERR_IO;
}

/* Sends one control frame and waits for its result; packet results that
 * arrive first are kept for offload_collect(). On success *status is the
 * device's status and the result payload is in o->ctl. */
static int control(struct offload *o, uint8_t type, uint16_t sa, const uint8_t *payload,
		   size_t len, uint8_t *status)
{
	struct frame_hdr h = { .type = type, .sa = sa, .tag = ++o->ctl_tag };
	long long deadline;
	long size;
	int rc = offload_ready(o);

	if (rc)
		return rc;
	if (o->broken)
		return FG_ERR_STATE;
	size = frame_encode(o->tx, sizeof(o->tx), &h, payload, len);
	if (size < 0)
		return (int)size;
	o->ctl.waiting = true;
	o->ctl.got = false;
	o->ctl.type = type;
	o->ctl.tag = h.tag;
	rc = offload_send(o, o->tx, (size_t)size);
	crypto_wipe(o->tx, (size_t)size);       /* SA_LOAD carries keys */
	deadline = offload_now_ms() + OFFLOAD_TIMEOUT_MS;
	while (!rc && !o->ctl.got) {
		rc = offload_wait(o);
		if (rc > 0 || o->ctl.got)
			rc = 0;
		else if (!rc && offload_now_ms() > deadline) {
			rc = FG_ERR_TIMEOUT;
			fg_err("offload %s: no %s result within %d ms", o->dev->name,
			       fgp_type_name(type), OFFLOAD_TIMEOUT_MS);
		}
	}
	o->ctl.waiting = false;
	if (rc)
		return rc;
	*status = o->ctl.hdr.status;
	return 0;
}

/* A control call whose only acceptable status is OK. */
static int control_ok(struct offload *o, uint8_t type, uint16_t sa)
{
	uint8_t status;
	int rc = control(o, type, sa, NULL, 0, &status);

	if (rc)
		return rc;
	if (status != FGP_STATUS_OK) {
		fg_warn("offload %s: %s (sa %u) answered %s", o->dev->name, fgp_type_name(type), sa,
			fgp_status_name(status));
		return status_err(status);
	}
	return 0;
}

int offload_caps(struct offload *o, struct offload_caps *caps)
{
	int rc = control_ok(o, FGP_TYPE_CAPS, FGP_SA_NONE);

	if (!rc && frame_caps_get(o->ctl.payload, o->ctl.hdr.length, caps)) {
		fg_err("offload %s: CAPS result of %u bytes, expected %u", o->dev->name,
		       o->ctl.hdr.length, FGP_CAPS_SIZE);
		o->bad_results++;
		rc = FG_ERR_PARSE;
	}
	return rc;
}

int offload_reset_device(struct offload *o)
{
	return control_ok(o, FGP_TYPE_RESET, FGP_SA_NONE);
}

int offload_reset(struct offload *o)
{
	int rc = offload_reset_device(o);

	if (!rc)
		offload_shadow_clear(o);
	return rc;
}

int offload_sa_load(struct offload *o, const struct offload_sa *sa, enum fgp_status *status)
{
	uint8_t buf[FGP_SA_SIZE], st = FGP_STATUS_OK;
	int rc = frame_sa_put(buf, sa);

	if (rc) {
		fg_err("offload %s: SA slot %u SPI 0x%08x: key lengths do not match %s/%s",
		       o->dev->name, sa->index, sa->spi, fgp_cipher_name(sa->cipher),
		       fgp_auth_name(sa->auth));
		goto out;
	}
	rc = control(o, FGP_TYPE_SA_LOAD, sa->index, buf, sizeof(buf), &st);
	if (rc == FG_ERR_GONE && o->gone) {
		/* Loaded with the others when the device is back. */
		rc = offload_shadow_put(o, sa);
		if (!rc)
			fg_info("offload %s: device gone: SA slot %u SPI 0x%08x kept for when it is "
				"back", o->dev->name, sa->index, sa->spi);
		goto out;
	}
	if (rc)
		goto out;
	if (status)
		*status = st;
	if (st != FGP_STATUS_OK) {
		fg_warn("offload %s: SA_LOAD slot %u SPI 0x%08x refused: %s", o->dev->name,
			sa->index, sa->spi, fgp_status_name(st));
		rc = status_err(st);
	} else if (offload_shadow_put(o, sa)) {
		fg_warn("offload %s: SA slot %u SPI 0x%08x: no memory for its copy: it will not "
			"be loaded again after a disconnect", o->dev->name, sa->index, sa->spi);
	}
out:
	crypto_wipe(buf, sizeof(buf));
	return rc;
}

int offload_sa_clear(struct offload *o, uint16_t index)
{
	int rc = control_ok(o, FGP_TYPE_SA_CLEAR, index);

	offload_shadow_drop(o, index);
	return rc == FG_ERR_GONE && o->gone ? 0 : rc;
}

int offload_counters(struct offload *o, uint16_t index, struct offload_counters *c)
{
	int rc = control_ok(o, FGP_TYPE_COUNTERS, index);

	if (!rc && frame_cnt_get(o->ctl.payload, o->ctl.hdr.length, c)) {
		fg_err("offload %s: COUNTERS result of %u bytes, expected %u", o->dev->name,
		       o->ctl.hdr.length, FGP_CNT_SIZE);
		o->bad_results++;
		rc = FG_ERR_PARSE;
	}
	return rc;
}

int offload_stats(struct offload *o, struct offload_stats *s)
{
	int rc = control_ok(o, FGP_TYPE_STATS, FGP_SA_NONE);

	if (!rc && frame_stats_get(o->ctl.payload, o->ctl.hdr.length, s)) {
		fg_err("offload %s: STATS result of %u bytes, expected %u", o->dev->name,
		       o->ctl.hdr.length, FGP_STATS_SIZE);
		o->bad_results++;
		rc = FG_ERR_PARSE;
	}
	return rc;
}

/* ---- packets ---- */

static bool tag_in_flight(const struct offload *o, uint32_t tag)
{
	size_t i;

	for (i = 0; i < OFFLOAD_INFLIGHT_MAX; i++)
		if (o->slots[i].state != SLOT_FREE && o->slots[i].tag == tag)
			return true;
	return false;
}

int offload_submit(struct offload *o, enum fgp_type type, uint16_t sa, uint32_t tag,
		   uint8_t next_header, const uint8_t *data, size_t len)
{
	struct frame_hdr h = { .type = (uint8_t)type, .sa = sa, .tag = tag };
	size_t before = offload_inflight(o);
	struct slot *s;
	long size;
	int rc = offload_ready(o);

	if (rc)
		return rc;
	if (o->broken)
		return FG_ERR_STATE;
	if ((type != FGP_TYPE_ENCAP && type != FGP_TYPE_DECAP) || (len && !data))
		return FG_ERR_INVAL;
	if (len > FGP_MAX_PAYLOAD)
		return FG_ERR_RANGE;
	if (!o->nfree)
		return FG_ERR_FULL;
	if (tag_in_flight(o, tag))
		return FG_ERR_EXISTS;
	if (type == FGP_TYPE_ENCAP)
		h.aux = next_header;
	size = frame_encode(o->tx, sizeof(o->tx), &h, data, len);
	if (size < 0)
		return (int)size;
	/* Take the slot first: the result may arrive while the frame goes out. */
	s = &o->slots[o->free_idx[--o->nfree]];
	s->state = SLOT_SENT;
	s->type = (uint8_t)type;
	s->sa = sa;
	s->tag = tag;
	s->req_seq = type == FGP_TYPE_DECAP ? offload_shadow_req_seq(o, sa, data, len) : 0;
	rc = offload_send(o, o->tx, (size_t)size);
	if (rc && o->gone) {
		/* offload_lost freed the slot. This return tells the caller of
		 * this packet; collect tells of the others, if any. */
		o->health.dropped--;
		if (!before)
			o->lost_unreported = false;
		return rc;
	}
	if (rc) {
		s->state = SLOT_FREE;
		o->free_idx[o->nfree++] = (uint16_t)(s - o->slots);
	}
	return rc;
}

size_t offload_inflight(const struct offload *o)
{
	return OFFLOAD_INFLIGHT_MAX - o->nfree;
}

uint32_t offload_bad_results(const struct offload *o)
{
	return o->bad_results;
}

void offload_health(const struct offload *o, struct offload_health *h)
{
	*h = o->health;
	h->gone = o->gone;
}

int offload_device_cycles(struct offload *o, uint64_t *cycles)
{
	/* The sim backend is the only one with a clock the host can read. */
	if (!o || !cycles)
		return FG_ERR_INVAL;
	if (strcmp(o->dev->name, "sim") && strcmp(o->dev->name, "sim-ft601"))
		return FG_ERR_UNSUPP;
	*cycles = sim_device_cycles(o->dev);
	return 0;
}

/* Hands out up to max done results, copying their data into o->deliver. */
static int deliver(struct offload *o, struct offload_result *res, size_t max)
{
	size_t n = o->ndone < max ? o->ndone : max, total = 0, i, off = 0;
	struct slot *s;
	uint8_t *buf;

	for (i = 0; i < n; i++)
		total += o->slots[o->done[(o->done_head + i) % OFFLOAD_INFLIGHT_MAX]].len;
	if (total > o->deliver_cap) {
		buf = realloc(o->deliver, total);
		if (!buf) {
			fg_err("offload %s: no memory for %zu result bytes", o->dev->name, total);
			return FG_ERR_NOMEM;
		}
		o->deliver = buf;
		o->deliver_cap = total;
	}
	for (i = 0; i < n; i++) {
		s = &o->slots[o->done[o->done_head]];
		o->done_head = (o->done_head + 1) % OFFLOAD_INFLIGHT_MAX;
		o->ndone--;
		if (s->len)
			memcpy(o->deliver + off, s->data, s->len);
		res[i] = (struct offload_result){
			.tag = s->tag,
			.sa = s->sa,
			.type = (enum fgp_type)s->type,
			.status = (enum fgp_status)s->status,
			.aux = s->aux,
			.data = o->deliver + off,
			.len = s->len,
		};
		off += s->len;
		s->state = SLOT_FREE;
		o->free_idx[o->nfree++] = (uint16_t)(s - o->slots);
	}
	return (int)n;
}

int offload_collect(struct offload *o, struct offload_result *res, size_t max, int timeout_ms)
{
	long long deadline = offload_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	long n;
	int rc;

	if (!max)
		return 0;
	if (!res)
		return FG_ERR_INVAL;
	rc = offload_ready(o);
	if (o->lost_unreported) {
		o->lost_unreported = false;
		return FG_ERR_GONE;
	}
	if (rc)
		return 0;       /* nothing can be in flight */
	n = offload_pump(o);
	if (n < 0) {
		rc = (int)n;
		goto fail;
	}
	/* Wait only while something is on its way. */
	while (!o->ndone && timeout_ms && offload_inflight(o) > 0) {
		if (timeout_ms > 0 && offload_now_ms() >= deadline)
			break;
		rc = offload_wait(o);
		if (rc < 0)
			goto fail;
	}
	return deliver(o, res, max);
fail:
	if (rc == FG_ERR_GONE)
		o->lost_unreported = false;     /* this is the report */
	return rc;
}

/* ---- open, close ---- */

int offload_open_device(struct fg_device *dev, struct offload **out)
{
	struct offload *o;
	size_t i;

	*out = NULL;
	if (!dev)
		return FG_ERR_INVAL;
	o = calloc(1, sizeof(*o));
	if (o) {
		o->slot_data = malloc((size_t)OFFLOAD_INFLIGHT_MAX * OFFLOAD_MAX_RESULT);
		o->deliver = malloc(OFFLOAD_MAX_RESULT);
		o->deliver_cap = OFFLOAD_MAX_RESULT;
	}
	if (!o || !o->slot_data || !o->deliver) {
		fg_err("offload %s: cannot allocate the handle: %s", dev->name,
		       fg_err_name(FG_ERR_NOMEM));
		if (o) {
			free(o->slot_data);
			free(o->deliver);
		}
		free(o);
		dev->ops->close(dev);
		return FG_ERR_NOMEM;
	}
	o->dev = dev;
	for (i = 0; i < OFFLOAD_INFLIGHT_MAX; i++) {
		o->slots[i].data = o->slot_data + i * OFFLOAD_MAX_RESULT;
		o->free_idx[i] = (uint16_t)(OFFLOAD_INFLIGHT_MAX - 1 - i);
	}
	o->nfree = OFFLOAD_INFLIGHT_MAX;
	*out = o;
	return 0;
}

int offload_open(const char *backend, const char *args, struct offload **out)
{
	struct fg_device *dev = NULL;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		if (!backend || strcmp(backend, backends[i].name))
			continue;
		rc = backends[i].open(args, &dev);
		if (rc)
			return rc;
		return offload_open_device(dev, out);
	}
	fg_err("offload: unknown backend \"%s\"", backend ? backend : "(none)");
	return FG_ERR_NOTFOUND;
}

const char *offload_backend(const struct offload *o)
{
	return o->dev->name;
}

void offload_close(struct offload *o)
{
	long long deadline;
	size_t pending;

	if (!o)
		return;
	/* Drain: wait for what is in flight, then drop every result. */
	deadline = offload_now_ms() + OFFLOAD_TIMEOUT_MS;
	while (!o->broken && !o->gone && offload_inflight(o) > o->ndone &&
	       offload_now_ms() <= deadline)
		if (offload_wait(o) < 0)
			break;
	pending = offload_inflight(o) - o->ndone;
	if (pending)
		fg_warn("offload %s: closing with %zu packets unanswered", o->dev->name, pending);
	o->dev->ops->close(o->dev);
	crypto_wipe(o->tx, sizeof(o->tx));
	offload_shadow_clear(o);
	free(o->shadow);
	free(o->deliver);
	free(o->slot_data);
	free(o);
}
