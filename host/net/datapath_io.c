/*
 * The datapath's packet path (datapath.h): outbound from the TUN, inbound
 * from the NAT-T and raw ESP and AH sockets, submission to the offload device
 * with tagged slots, collection, and the rate-limited drop log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "net/datapath_priv.h"

/* ---- drops ---- */

void dp_drop(struct datapath *dp, enum datapath_drop r, const struct sad_entry *e,
	     const char *fmt, ...)
{
	uint64_t now = loop_now();
	char why[160];
	va_list ap;

	dp->drops[r]++;
	if (dp->drops_logged[r] && now - dp->drop_log_ms[r] < DP_LOG_EVERY_MS)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fg_warn("datapath: dropped %llu packet(s) for %s%s%s, last: %s",
		(unsigned long long)(dp->drops[r] - dp->drops_logged[r]), datapath_drop_name(r),
		e ? " on " : "", e ? e->sa.name : "", why);
	dp->drops_logged[r] = dp->drops[r];
	dp->drop_log_ms[r] = now ? now : 1;
}

static enum datapath_drop status_drop(enum fgp_status s)
{
	switch (s) {
	case FGP_STATUS_AUTH_FAIL:
		return DP_DROP_AUTH_FAIL;
	case FGP_STATUS_REPLAY:
		return DP_DROP_REPLAY;
	case FGP_STATUS_BAD_PAD:
		return DP_DROP_BAD_PAD;
	case FGP_STATUS_BAD_LENGTH:
		return DP_DROP_BAD_LENGTH;
	case FGP_STATUS_SEQ_OVERFLOW:
		return DP_DROP_SEQ_OVERFLOW;
	case FGP_STATUS_TOO_BIG:
		return DP_DROP_TOO_BIG;
	default:
		return DP_DROP_DEVICE;
	}
}

/* ---- packet slots and the device ---- */

static void pkt_put(struct datapath *dp, struct dp_pkt *p)
{
	p->busy = false;
	dp->nbusy--;
}

/* A free slot, collecting everything in flight first when there is none. */
static struct dp_pkt *pkt_get(struct datapath *dp)
{
	unsigned i;

	if (dp->nbusy == DATAPATH_BATCH)
		datapath_flush(dp);
	for (i = 0; i < DATAPATH_BATCH; i++) {
		struct dp_pkt *p = &dp->pkts[(dp->next_free + i) % DATAPATH_BATCH];

		if (!p->busy) {
			dp->next_free = (unsigned)(p - dp->pkts + 1) % DATAPATH_BATCH;
			p->busy = true;
			dp->nbusy++;
			return p;
		}
	}
	return NULL;            /* cannot happen after a flush */
}

/* Hands packet p of SA e to the device; on failure the packet is counted
 * as dropped and its slot freed. */
static void submit(struct datapath *dp, struct dp_pkt *p, const struct sad_entry *e,
		   enum fgp_type type, uint8_t nh, const uint8_t *data, size_t len)
{
	bool encap = type == FGP_TYPE_ENCAP;
	int rc;

	if (len > dp->caps.max_payload) {
		dp_drop(dp, DP_DROP_TOO_BIG, e, "%zu bytes for the device, its limit %u", len,
			dp->caps.max_payload);
		pkt_put(dp, p);
		return;
	}
	p->tag = ++dp->gen << DP_TAG_BITS | (uint32_t)(p - dp->pkts);
	/* FG_ERR_FULL cannot happen: DATAPATH_BATCH is below the handle's
	 * OFFLOAD_INFLIGHT_MAX and a full table is flushed first. */
	rc = offload_submit(dp->o, type, encap ? e->slot_out : e->slot_in, p->tag, nh, data, len);
	if (rc) {
		dp_drop(dp, DP_DROP_DEVICE, e, "%s submit failed: %s", encap ? "ENCAP" : "DECAP",
			fg_err_name(rc));
		pkt_put(dp, p);
	}
}

/* ---- outbound ---- */

static struct dp_sock *sock_for(struct datapath *dp, uint32_t local)
{
	unsigned i;

	for (i = 0; i < dp->nsocks; i++)
		if (dp->socks[i].addr == local)
			return &dp->socks[i];
	return NULL;
}

/* AH: the request is the header AH goes behind (tunnel: a new outer one)
 * with its mutable fields zeroed, then the data; the packet slot is
 * released on failure. */
static void out_ah(struct datapath *dp, struct dp_pkt *p, const struct sad_entry *e)
{
	size_t rlen;
	uint8_t nh;
	int rc;

	p->pkt = p->buf + DP_HEADROOM;
	rc = esp_wire_ah_request(&e->wire_out, p->pkt, &p->ip, ++dp->ip_id, dp->req,
				 sizeof(dp->req), &rlen, &nh, &p->m);
	if (rc) {
		dp_drop(dp, rc == FG_ERR_UNSUPP ? DP_DROP_FRAGMENT : DP_DROP_BAD_INNER, e,
			"inner packet refused for AH: %s", fg_err_name(rc));
		goto drop;
	}
	submit(dp, p, e, FGP_TYPE_ENCAP, nh, dp->req, rlen);
	return;
drop:
	pkt_put(dp, p);
}

static void out_packet(struct datapath *dp, struct dp_pkt *p)
{
	uint8_t *pkt = p->buf + DP_HEADROOM, nh;
	const uint8_t *data;
	struct spd_pkt sp;
	struct sad_entry *e;
	size_t dlen, iv;
	int idx, rc;

	if (ipv4_parse(pkt, p->len, &p->ip)) {
		dp_drop(dp, DP_DROP_BAD_INNER, NULL, "%zu bytes from %s are not IPv4", p->len,
			dp->tun.name);
		goto drop;
	}
	spd_pkt_from_ipv4(pkt, p->len, &p->ip, &sp);
	idx = spd_lookup(&dp->spd, &sp);
	e = idx < 0 ? NULL : sad_get(&dp->sad, (unsigned)idx);
	if (!e) {
		struct in_addr s = { htonl(sp.src) }, d = { htonl(sp.dst) };
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		dp_drop(dp, DP_DROP_NO_POLICY, NULL, "%s -> %s proto %u",
			inet_ntop(AF_INET, &s, a, sizeof(a)), inet_ntop(AF_INET, &d, b, sizeof(b)),
			sp.proto);
		if (dp->acquire)
			dp->acquire(dp->acquire_ctx, sp.src, sp.dst);
		goto drop;
	}
	p->inbound = false;
	p->sa = (unsigned)idx;
	if (e->sa.ah) {
		out_ah(dp, p, e);
		return;
	}
	rc = esp_wire_esp_data(&e->wire_out, pkt, &p->ip, &data, &dlen, &nh);
	if (rc) {
		dp_drop(dp, rc == FG_ERR_UNSUPP ? DP_DROP_FRAGMENT : DP_DROP_BAD_INNER, e,
			"inner packet refused: %s", fg_err_name(rc));
		goto drop;
	}
	iv = dp->iv_len[idx];
	/* Tunnel mode protects the whole packet: the IV goes into the
	 * headroom. Transport mode protects what follows the header: move
	 * the header into the headroom so that the IV does not overwrite it. */
	p->pkt = pkt;
	if (iv && data != pkt) {
		memmove(pkt - iv, pkt, p->ip.hdr_len);
		p->pkt = pkt - iv;
	}
	if (iv && crypto_random((uint8_t *)data - iv, iv)) {
		dp_drop(dp, DP_DROP_DEVICE, e, "no random IV");
		goto drop;
	}
	submit(dp, p, e, FGP_TYPE_ENCAP, nh, data - iv, dlen + iv);
	return;
drop:
	pkt_put(dp, p);
}

static int send_udp(struct datapath *dp, const struct sad_entry *e, const uint8_t *buf,
		    size_t len, uint8_t tos)
{
	struct dp_sock *s = sock_for(dp, e->sa.local);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(e->sa.remote_port),
				  .sin_addr.s_addr = htonl(e->sa.remote) };
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov,
			     .msg_iovlen = 1 };
	int t = tos;

	if (!s)
		return FG_ERR_NOTFOUND;
	if (tos) {      /* the outer TOS of tunnel mode (RFC 4301 5.1.2.1) */
		memset(&c, 0, sizeof(c));
		mh.msg_control = c.b;
		mh.msg_controllen = sizeof(c.b);
		c.h.cmsg_level = IPPROTO_IP;
		c.h.cmsg_type = IP_TOS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &t, sizeof(t));
	}
	return sendmsg(s->fd, &mh, 0) < 0 ? FG_ERR_IO : 0;
}

static int send_raw(struct datapath *dp, const struct sad_entry *e, const uint8_t *buf,
		    size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(e->sa.remote) };

	if (dp->raw_tx < 0)
		return FG_ERR_STATE;
	return sendto(dp->raw_tx, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ?
	       FG_ERR_IO : 0;
}

static void out_result(struct datapath *dp, struct dp_pkt *p, const struct offload_result *r)
{
	struct sad_entry *e = sad_get(&dp->sad, p->sa);
	size_t olen, hdr;
	int rc;

	if (!e) {
		dp_drop(dp, DP_DROP_DEVICE, NULL, "SA gone while the packet was in flight");
		return;
	}
	if (r->status != FGP_STATUS_OK) {
		dp_drop(dp, status_drop(r->status), e, "ENCAP SPI %08x: %s", e->sa.spi_out,
			fgp_status_name(r->status));
		return;
	}
	if (e->sa.ah) {         /* the result is the packet, mutable fields zero */
		if (r->len > sizeof(dp->out)) {
			dp_drop(dp, DP_DROP_TOO_BIG, e, "AH result of %zu bytes", r->len);
			return;
		}
		memcpy(dp->out, r->data, r->len);
		rc = esp_wire_ah_finish(dp->out, r->len, &p->m);
		if (rc) {
			dp_drop(dp, DP_DROP_DEVICE, e, "AH result: %s", fg_err_name(rc));
			return;
		}
		if (send_raw(dp, e, dp->out, r->len)) {
			dp_drop(dp, DP_DROP_TX, e, "send to the peer: %s", strerror(errno));
			return;
		}
		dp->tx_packets++;
		return;
	}
	rc = esp_wire_esp_wrap(&e->wire_out, p->pkt, &p->ip, ++dp->ip_id, r->data, r->len, dp->out,
			       sizeof(dp->out), &olen);
	if (rc) {
		dp_drop(dp, DP_DROP_TOO_BIG, e, "outer header: %s", fg_err_name(rc));
		return;
	}
	if (e->sa.encap) {
		hdr = olen - r->len;    /* outer IPv4 + UDP: the kernel writes its own */
		rc = send_udp(dp, e, dp->out + hdr, r->len, dp->out[IPV4_OFF_TOS]);
	} else {
		rc = send_raw(dp, e, dp->out, olen);
	}
	if (rc) {
		dp_drop(dp, DP_DROP_TX, e, "send to the peer: %s", strerror(errno));
		return;
	}
	dp->tx_packets++;
}

void dp_on_tun(void *ctx, int fd)
{
	struct datapath *dp = ctx;
	unsigned round, i;

	(void)fd;
	for (round = 0; round < DP_READ_ROUNDS; round++) {
		for (i = 0; i < DATAPATH_BATCH; i++) {
			struct dp_pkt *p = pkt_get(dp);

			if (!p)
				return;
			if (tun_read(&dp->tun, p->buf + DP_HEADROOM, DP_BUF - DP_HEADROOM, &p->len)) {
				pkt_put(dp, p);
				if (errno != EAGAIN && errno != EINTR)
					fg_warn("datapath: read from %s: %s", dp->tun.name,
						strerror(errno));
				datapath_flush(dp);
				return;
			}
			out_packet(dp, p);
		}
		datapath_flush(dp);
	}
}

/* ---- inbound ---- */

/* AH in: the request is the received packet with its mutable fields
 * zeroed (saved in p->m for the transport-mode restore). */
static void in_ah(struct datapath *dp, struct dp_pkt *p, const struct sad_entry *e)
{
	size_t rlen;
	int rc;

	rc = esp_wire_ah_request_in(p->buf, &p->rx, dp->req, sizeof(dp->req), &rlen, &p->m);
	if (rc) {
		dp_drop(dp, DP_DROP_MALFORMED, e, "AH packet of %zu bytes: %s", p->rx.payload_len,
			fg_err_name(rc));
		pkt_put(dp, p);
		return;
	}
	submit(dp, p, e, FGP_TYPE_DECAP, 0, dp->req, rlen);
}

/* p->buf holds len bytes of an IPv4 packet (outer header first). */
static void in_packet(struct datapath *dp, struct dp_pkt *p, size_t len)
{
	struct sad_entry *e;
	bool ah;
	int rc = esp_wire_parse(p->buf, len, &p->rx);

	if (rc) {
		dp_drop(dp, rc == FG_ERR_TRUNC ? DP_DROP_TRUNCATED :
			rc == FG_ERR_UNSUPP ? DP_DROP_FRAGMENT : DP_DROP_MALFORMED, NULL,
			"%zu-byte packet: %s", len, fg_err_name(rc));
		goto drop;
	}
	if (p->rx.kind == ESP_WIRE_KEEPALIVE || p->rx.kind == ESP_WIRE_IKE)
		goto drop;      /* not ours: IKE reads its own socket */
	if (p->rx.kind != ESP_WIRE_ESP && p->rx.kind != ESP_WIRE_AH) {
		dp_drop(dp, DP_DROP_WRONG_PROTO, NULL, "IP protocol %u", p->rx.ip.proto);
		goto drop;
	}
	ah = p->rx.kind == ESP_WIRE_AH;
	e = sad_find_in(&dp->sad, ah, p->rx.spi, p->rx.ip.dst);
	if (!e) {
		dp_drop(dp, DP_DROP_UNKNOWN_SPI, NULL, "%s SPI %08x", ah ? "AH" : "ESP", p->rx.spi);
		goto drop;
	}
	p->inbound = true;
	p->sa = (unsigned)(e - dp->sad.e);
	if (ah) {
		in_ah(dp, p, e);
		return;
	}
	if (e->sa.encap != p->rx.udp_encap) {
		dp_drop(dp, DP_DROP_WRONG_PROTO, e, "ESP %s UDP encapsulation",
			p->rx.udp_encap ? "with" : "without");
		goto drop;
	}
	submit(dp, p, e, FGP_TYPE_DECAP, 0, p->rx.payload, p->rx.payload_len);
	return;
drop:
	pkt_put(dp, p);
}

void datapath_input_udp(struct datapath *dp, const uint8_t *buf, size_t len, uint32_t from,
			uint16_t port, uint32_t to)
{
	struct ipv4_hdr h = { .total_len = (uint16_t)(DP_HEADROOM + len), .ttl = IPV4_TTL_DEFAULT,
			      .proto = IPV4_PROTO_UDP, .src = from, .dst = to };
	struct dp_pkt *p;
	uint8_t *u;

	if (len > DP_BUF - DP_HEADROOM) {
		dp_drop(dp, DP_DROP_TOO_BIG, NULL, "%zu-byte ESP-in-UDP datagram", len);
		return;
	}
	p = pkt_get(dp);
	if (!p)
		return;
	/* The outer headers the kernel took off, rebuilt so that one parser
	 * (esp_wire_parse) serves UDP and raw ESP alike. */
	ipv4_build(p->buf, IPV4_HDR_MIN, &h);
	u = p->buf + IPV4_HDR_MIN;
	u[0] = (uint8_t)(port >> 8);
	u[1] = (uint8_t)port;
	u[2] = ESP_WIRE_NATT_PORT >> 8;
	u[3] = ESP_WIRE_NATT_PORT & 0xff;
	u[4] = (uint8_t)((ESP_WIRE_UDP_HDR + len) >> 8);
	u[5] = (uint8_t)(ESP_WIRE_UDP_HDR + len);
	u[6] = u[7] = 0;
	memcpy(p->buf + DP_HEADROOM, buf, len);
	in_packet(dp, p, DP_HEADROOM + len);
}

void dp_on_raw(void *ctx, int fd)
{
	struct datapath *dp = ctx;
	unsigned i;

	for (i = 0; i < DATAPATH_BATCH; i++) {
		struct dp_pkt *p = pkt_get(dp);
		ssize_t n;

		if (!p)
			break;
		n = recv(fd, p->buf, sizeof(p->buf), MSG_DONTWAIT);
		if (n < 0) {
			pkt_put(dp, p);
			break;
		}
		in_packet(dp, p, (size_t)n);
	}
	datapath_flush(dp);
}

static void in_result(struct datapath *dp, struct dp_pkt *p, const struct offload_result *r)
{
	struct sad_entry *e = sad_get(&dp->sad, p->sa);
	struct spd_sel sel;
	struct spd_pkt sp;
	struct ipv4_hdr ip;
	size_t olen;
	int rc;

	if (!e) {
		dp_drop(dp, DP_DROP_DEVICE, NULL, "SA gone while the packet was in flight");
		return;
	}
	if (r->status != FGP_STATUS_OK) {
		dp_drop(dp, status_drop(r->status), e, "DECAP SPI %08x: %s", e->sa.spi_in,
			fgp_status_name(r->status));
		return;
	}
	rc = e->sa.ah ?
	     esp_wire_ah_unwrap(&e->wire_in, &p->m, (uint8_t)r->aux, r->data, r->len, dp->out,
				sizeof(dp->out), &olen) :
	     esp_wire_esp_unwrap(&e->wire_in, p->buf, &p->rx, (uint8_t)r->aux, r->data, r->len,
				 dp->out, sizeof(dp->out), &olen);
	if (rc) {
		dp_drop(dp, DP_DROP_BAD_DECAP, e, "next header %u: %s", (unsigned)(r->aux & 0xff),
			fg_err_name(rc));
		return;
	}
	if (!olen)
		return;         /* dummy packet (RFC 4303 2.6) */
	if (ipv4_parse(dp->out, olen, &ip)) {
		dp_drop(dp, DP_DROP_BAD_DECAP, e, "inner packet is not IPv4");
		return;
	}
	spd_pkt_from_ipv4(dp->out, olen, &ip, &sp);
	if (spd_sel_from_ts(&e->sa.ts_remote, &e->sa.ts_local, &sel) || !spd_sel_match(&sel, &sp)) {
		struct in_addr s = { htonl(sp.src) }, d = { htonl(sp.dst) };
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		dp_drop(dp, DP_DROP_POLICY_MISMATCH, e, "%s -> %s proto %u",
			inet_ntop(AF_INET, &s, a, sizeof(a)), inet_ntop(AF_INET, &d, b, sizeof(b)),
			sp.proto);
		return;
	}
	if (tun_write(&dp->tun, dp->out, olen)) {
		dp_drop(dp, DP_DROP_TX, e, "write to %s: %s", dp->tun.name, strerror(errno));
		return;
	}
	dp->rx_packets++;
}

/* ---- collection ---- */

void datapath_flush(struct datapath *dp)
{
	uint64_t last = loop_now();

	while (dp->nbusy) {
		int n = offload_collect(dp->o, dp->res, DATAPATH_BATCH, DP_COLLECT_MS), i;

		if (n < 0 || (n == 0 && loop_now() - last > DP_STALL_MS)) {
			unsigned k;

			fg_err("datapath: offload %s gives no results (%s): dropping %u packets",
			       offload_backend(dp->o), n < 0 ? fg_err_name(n) : "timeout", dp->nbusy);
			for (k = 0; k < DATAPATH_BATCH; k++) {
				if (dp->pkts[k].busy) {
					dp->drops[DP_DROP_DEVICE]++;
					pkt_put(dp, &dp->pkts[k]);
				}
			}
			return;
		}
		if (n > 0)
			last = loop_now();
		for (i = 0; i < n; i++) {
			const struct offload_result *r = &dp->res[i];
			uint32_t k = r->tag & ((1u << DP_TAG_BITS) - 1);
			struct dp_pkt *p = &dp->pkts[k < DATAPATH_BATCH ? k : 0];

			if (k >= DATAPATH_BATCH || !p->busy || p->tag != r->tag) {
				fg_warn("datapath: result with tag %08x matches no packet", r->tag);
				continue;
			}
			if (p->inbound)
				in_result(dp, p, r);
			else
				out_result(dp, p, r);
			pkt_put(dp, p);
		}
	}
}
