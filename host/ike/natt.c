/* NAT traversal in phase 1 (RFC 3947): the vendor ID, NAT-D payloads and
 * the move to port 4500. fgated needs it even without a NAT: charon's
 * kernel-libipsec only installs UDP-encapsulated ESP, so encap = yes
 * (on either side) forces encapsulation the way charon does, with a random
 * NAT-D hash for our own address. */
#include "ike/natt.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "ike/ike_mgr.h"
#include "ike/phase1.h"

/* MD5("RFC 3947") */
static const uint8_t vid_rfc3947[16] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f,
};

int natt_build_vid(struct ike_sa *sa, struct isakmp_builder *b)
{
	if (!sa->initiator && !sa->natt)
		return 0;
	return isakmp_build_data(b, ISAKMP_PT_VID, vid_rfc3947, sizeof(vid_rfc3947)) < 0
		       ? b->err : 0;
}

void natt_process_vid(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p;

	for (p = isakmp_msg_get(m, ISAKMP_PT_VID); p; p = isakmp_msg_next(m, p))
		if (p->body.len == sizeof(vid_rfc3947) &&
		    memcmp(p->body.ptr, vid_rfc3947, sizeof(vid_rfc3947)) == 0)
			sa->natt = true;
}

static int natd_hash(struct ike_sa *sa, uint32_t addr, uint16_t port, uint8_t *out)
{
	uint8_t a[4], pt[2];
	struct crypto_part parts[4] = {
		{ sa->icookie, 8 }, { sa->rcookie, 8 }, { a, 4 }, { pt, 2 },
	};

	isakmp_put32(a, addr);
	isakmp_put16(pt, port);
	return crypto_hash(phase1_hash(sa->xf.integ), parts, 4, out);
}

int natt_build_natd(struct ike_sa *sa, struct isakmp_builder *b)
{
	uint8_t h[CRYPTO_MAX_HASH];
	size_t len = crypto_hash_len(phase1_hash(sa->xf.integ));
	int rc;

	if (!sa->natt)
		return 0;
	rc = natd_hash(sa, sa->remote.addr, sa->remote.port, h);
	if (rc || isakmp_build_data(b, ISAKMP_PT_NAT_D, h, len) < 0)
		return rc ? rc : b->err;
	if (sa->conn->encap)
		rc = crypto_random(h, len);   /* pretend we are behind a NAT */
	else
		rc = natd_hash(sa, sa->local.addr, sa->local.port, h);
	if (rc || isakmp_build_data(b, ISAKMP_PT_NAT_D, h, len) < 0)
		return rc ? rc : b->err;
	return 0;
}

void natt_process_natd(struct ike_sa *sa, const struct isakmp_msg *m)
{
	const struct isakmp_payload *p = isakmp_msg_get(m, ISAKMP_PT_NAT_D);
	uint8_t mine[CRYPTO_MAX_HASH], theirs[CRYPTO_MAX_HASH];
	size_t len = crypto_hash_len(phase1_hash(sa->xf.integ));
	bool local_ok = false, remote_ok = false;

	if (!sa->natt || !p)
		return;
	if (natd_hash(sa, sa->local.addr, sa->local.port, mine) ||
	    natd_hash(sa, sa->remote.addr, sa->remote.port, theirs))
		return;
	/* the first one is the hash of our address, the others the peer's */
	local_ok = p->body.len == len && memcmp(p->body.ptr, mine, len) == 0;
	for (p = isakmp_msg_next(m, p); p; p = isakmp_msg_next(m, p))
		if (p->body.len == len && memcmp(p->body.ptr, theirs, len) == 0)
			remote_ok = true;
	sa->nat = sa->conn->encap || !local_ok || !remote_ok;
	sa->nat_here = !local_ok;
	if (sa->nat)
		fg_info("%s: NAT-T: %s%s%s", ike_sa_name(sa), !local_ok ? "we are behind a NAT" : "",
			!local_ok && !remote_ok ? ", " : "",
			!remote_ok ? "the peer is behind a NAT (or forces encapsulation)"
				   : local_ok ? "encapsulation forced by encap = yes" : "");
}

void natt_float(struct ike_sa *sa)
{
	if (!sa->nat || sa->local.port == IKE_NATT_PORT)
		return;
	sa->local.port = IKE_NATT_PORT;
	sa->remote.port = IKE_NATT_PORT;
	ike_sa_rename(sa);
	fg_info("%s: moving to port %u for NAT-T", ike_sa_name(sa), IKE_NATT_PORT);
}

void natt_tick(struct ike_sa *sa, uint64_t now)
{
	struct ike_mgr *m = sa->mgr;

	if (sa->state != IKE_SA_ESTABLISHED || !sa->nat_here || !m->keepalive ||
	    sa->local.port != IKE_NATT_PORT)
		return;
	if (!sa->keepalive_at) {
		sa->keepalive_at = now + NATT_KEEPALIVE_MS;
		return;
	}
	if (now < sa->keepalive_at)
		return;
	sa->keepalive_at = now + NATT_KEEPALIVE_MS;
	fg_debug("%s: NAT-T keepalive", ike_sa_name(sa));
	if (m->keepalive(m->send_ctx, &sa->local, &sa->remote))
		fg_debug("%s: keepalive not sent", ike_sa_name(sa));
}
