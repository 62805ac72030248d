/* Traffic selectors (config.h struct fg_ts) as IPsec DOI ID payloads
 * (RFC 2407 4.6.2): one address, a subnet or a range. */
#include "ike/ts.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "ike/ike_sa.h"

struct fg_ts ts_resolve(const struct fg_ts *ts, uint32_t addr)
{
	struct fg_ts r = *ts;

	if (r.dynamic) {
		r.dynamic = false;
		r.addr.first = r.addr.last = addr;
	}
	return r;
}

int ts_build_id(struct isakmp_builder *b, const struct fg_ts *ts)
{
	uint8_t data[8];
	struct isakmp_pl_id id = { .proto = ts->proto };
	uint32_t size = ts->addr.last - ts->addr.first;

	if (ts->port_first == ts->port_last)
		id.port = ts->port_first;
	isakmp_put32(data, ts->addr.first);
	if (ts->addr.first == ts->addr.last) {
		id.type = ISAKMP_ID_IPV4_ADDR;
		id.data = (struct isakmp_span){ data, 4 };
	} else if (((size + 1) & size) == 0 && (ts->addr.first & size) == 0) {
		id.type = ISAKMP_ID_IPV4_ADDR_SUBNET;
		isakmp_put32(data + 4, ~size);
		id.data = (struct isakmp_span){ data, 8 };
	} else {
		id.type = ISAKMP_ID_IPV4_ADDR_RANGE;
		isakmp_put32(data + 4, ts->addr.last);
		id.data = (struct isakmp_span){ data, 8 };
	}
	return isakmp_build_id(b, &id) < 0 ? b->err : 0;
}

int ts_parse_id(const struct isakmp_payload *p, struct fg_ts *ts)
{
	const struct isakmp_pl_id *id = &p->u.id;
	uint32_t a, b;

	memset(ts, 0, sizeof(*ts));
	ts->proto = id->proto;
	ts->port_first = id->port;
	ts->port_last = id->port ? id->port : 65535;
	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
		if (id->data.len != 4)
			return FG_ERR_PARSE;
		ts->addr.first = ts->addr.last = isakmp_get32(id->data.ptr);
		return 0;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		if (id->data.len != 8)
			return FG_ERR_PARSE;
		a = isakmp_get32(id->data.ptr);
		b = isakmp_get32(id->data.ptr + 4);
		if (id->type == ISAKMP_ID_IPV4_ADDR_SUBNET) {
			ts->addr.first = a & b;
			ts->addr.last = (a & b) | ~b;
		} else {
			if (b < a)
				return FG_ERR_PARSE;
			ts->addr.first = a;
			ts->addr.last = b;
		}
		return 0;
	default:
		return FG_ERR_UNSUPP;
	}
}

bool ts_within(const struct fg_ts *in, const struct fg_ts *cfg)
{
	if (in->addr.first < cfg->addr.first || in->addr.last > cfg->addr.last)
		return false;
	if (cfg->proto && cfg->proto != in->proto)
		return false;
	return in->port_first >= cfg->port_first && in->port_last <= cfg->port_last;
}

void ts_format(const struct fg_ts *ts, char *buf, size_t len)
{
	char a[16], b[16];
	uint32_t size = ts->addr.last - ts->addr.first;
	int bits = 32;

	if (ts->addr.first == ts->addr.last) {
		snprintf(buf, len, "%s/32", ike_addr_str(ts->addr.first, a));
		return;
	}
	if (((size + 1) & size) == 0 && (ts->addr.first & size) == 0) {
		while (size) {
			size >>= 1;
			bits--;
		}
		snprintf(buf, len, "%s/%d", ike_addr_str(ts->addr.first, a), bits);
		return;
	}
	snprintf(buf, len, "%s..%s", ike_addr_str(ts->addr.first, a),
		 ike_addr_str(ts->addr.last, b));
}
