/* host/ike exchanges end to end in one process: two managers (192.0.2.1
 * and 192.0.2.2) joined by an in-memory wire. Main and Aggressive Mode,
 * Quick Mode with ESP/AH, PFS, tunnel/transport; both sides must agree on
 * cookies, SPIs and keys. Also retransmission after loss, duplicates,
 * giving up, DELETE both ways, refused proposals, a wrong PSK, and
 * corrupted or truncated datagrams (no state change, no crash, no leak).
 * The SA lifecycle runs on a fake clock (tick()): Quick Mode rekeying by
 * time and bytes, hard expiry, lifetime mismatches, phase 1 renewal and
 * expiry, DPD (answered, peer gone with each dpd_action), NAT-T behind a
 * simulated NAT (wire.nat: detection, floating, keepalives, NAT-OA, a new
 * mapping), keyingtries with backoff, close/start actions and traps, the
 * half-open timeout, and hand-built RESPONDER-LIFETIME/NAT-OA data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "ike/child_sa.h"
#include "ike/ike_mgr.h"
#include "ike/lifetime.h"
#include "ike/natt.h"
#include "ike/quick_mode_attrs.h"
#include "unit.h"

enum { WIRE_MAX = 64, DGRAM_MAX = 2048, A_ADDR = 0xc0000201, B_ADDR = 0xc0000202,
       NAT_ADDR = 0xc6336409 /* 198.51.100.9: A's NAT, when wire.nat */ };

struct dgram {
	struct ike_endpoint from, to;
	size_t len;
	uint8_t buf[DGRAM_MAX];
};

struct wire {
	unsigned n;
	struct dgram q[WIRE_MAX];
	unsigned sent;          /* datagrams sent so far */
	uint64_t drop;          /* bit i: drop the i-th datagram sent */
	bool drop_all;
	unsigned nlog;          /* every datagram delivered, for replays */
	struct dgram log[WIRE_MAX];
	bool nat;               /* A sits behind a NAT at NAT_ADDR */
	uint16_t nat500, nat4500;       /* its public ports for 500 and 4500 */
	unsigned keepalives[2]; /* sent by A, by B */
};

struct side {
	struct fg_config *cfg;
	struct ike_mgr mgr;
	struct wire *wire;
};

static struct wire wire;
static struct side A, B;
static uint64_t now;

static int send_cb(void *ctx, const struct ike_endpoint *l, const struct ike_endpoint *r,
		   const uint8_t *buf, size_t len)
{
	struct side *s = ctx;
	struct wire *w = s->wire;
	unsigned i = w->sent++;

	if (w->drop_all || (i < 64 && (w->drop >> i) & 1))
		return 0;
	if (w->n >= WIRE_MAX || len > DGRAM_MAX)
		return FG_ERR_FULL;
	w->q[w->n].from = *l;
	if (w->nat && l->addr == A_ADDR)
		w->q[w->n].from = (struct ike_endpoint){ NAT_ADDR,
			l->port == IKE_NATT_PORT ? w->nat4500 : w->nat500 };
	w->q[w->n].to = *r;
	w->q[w->n].len = len;
	memcpy(w->q[w->n].buf, buf, len);
	w->n++;
	return 0;
}

static int keepalive_cb(void *ctx, const struct ike_endpoint *l, const struct ike_endpoint *r)
{
	struct side *s = ctx;

	(void)l;
	(void)r;
	s->wire->keepalives[s == &B]++;
	return 0;
}

static void deliver(const struct dgram *d)
{
	struct ike_mgr *m = d->to.addr == B_ADDR ? &B.mgr : &A.mgr;
	struct ike_endpoint to = d->to;

	if (to.addr == NAT_ADDR) {      /* back through A's NAT */
		if (to.port != wire.nat500 && to.port != wire.nat4500)
			return;
		to = (struct ike_endpoint){ A_ADDR, to.port == wire.nat4500 ? IKE_NATT_PORT : 500 };
	}
	ike_mgr_input(m, d->buf, d->len, &d->from, &to, now);
}

/* Delivers until the wire is empty (bounded). */
static void pump(void)
{
	int rounds = 0;

	while (wire.n && rounds++ < 200) {
		struct dgram d = wire.q[0];

		memmove(&wire.q[0], &wire.q[1], (wire.n - 1) * sizeof(wire.q[0]));
		wire.n--;
		if (wire.nlog < WIRE_MAX)
			wire.log[wire.nlog++] = d;
		deliver(&d);
	}
}

static void tick(uint64_t ms)
{
	now += ms;
	ike_mgr_tick(&A.mgr, now);
	ike_mgr_tick(&B.mgr, now);
	pump();
}

static const char *conf_fmt =
	"connections { c { version = 1\n"
	"  local_addrs = %s\n remote_addrs = %s\n proposals = %s\n aggressive = %s\n"
	"  encap = %s\n %s\n local { auth = psk }\n remote { auth = psk }\n"
	"  children { net { local_ts = %s\n remote_ts = %s\n %s\n %s\n mode = %s } } } }\n"
	"secrets { ike-c { secret = \"%s\" } }\n";

struct setup {
	const char *ike, *ike_b;        /* ike_b: B's proposals if different */
	const char *child;              /* "esp_proposals = 3des-sha1" */
	const char *aggressive, *mode, *encap;
	const char *psk_b;              /* B's PSK if different */
	const char *conn_a, *conn_b;    /* extra connection keys per side */
	const char *child_a, *child_b;  /* extra child keys per side */
	const char *remote_b;           /* B's remote_addrs if not A's address */
	bool nat;                       /* A behind a NAT (wire.nat) */
};

static const char *ts_a = "10.1.0.0/24", *ts_b = "10.2.0.0/16";

static int load(struct side *s, const char *me, const char *peer, const char *ike,
		const struct setup *u, const char *lts, const char *rts, const char *psk)
{
	char text[2048], err[256];
	bool a = s == &A;
	const char *conn = a ? u->conn_a : u->conn_b, *child = a ? u->child_a : u->child_b;

	snprintf(text, sizeof(text), conf_fmt, me, peer, ike, u->aggressive, u->encap,
		 conn ? conn : "", lts, rts, u->child, child ? child : "", u->mode, psk);
	return config_load_buffer("test", text, strlen(text), &s->cfg, err, sizeof(err));
}

static void start(const struct setup *u)
{
	memset(&wire, 0, sizeof(wire));
	wire.nat = u->nat;
	wire.nat500 = 1500;
	wire.nat4500 = 14500;
	now = 1000000;
	A.wire = B.wire = &wire;
	CU_ASSERT_EQUAL_FATAL(load(&A, "192.0.2.1", "192.0.2.2", u->ike, u, ts_a, ts_b,
				   "pre-shared secret"), 0);
	CU_ASSERT_EQUAL_FATAL(load(&B, "192.0.2.2", u->remote_b ? u->remote_b : "192.0.2.1",
				   u->ike_b ? u->ike_b : u->ike,
				   u, ts_b, ts_a,
				   u->psk_b ? u->psk_b : "pre-shared secret"), 0);
	ike_mgr_init(&A.mgr, A.cfg, send_cb, &A);
	ike_mgr_init(&B.mgr, B.cfg, send_cb, &B);
	ike_mgr_set_keepalive(&A.mgr, keepalive_cb);
	ike_mgr_set_keepalive(&B.mgr, keepalive_cb);
	A.mgr.now = B.mgr.now = now;
	CU_ASSERT_EQUAL(ike_mgr_initiate(&A.mgr, &A.cfg->conns[0], NULL), 0);
}

static void finish(void)
{
	ike_mgr_free(&A.mgr);
	ike_mgr_free(&B.mgr);
	config_free(A.cfg);
	config_free(B.cfg);
	A.cfg = B.cfg = NULL;
}

static unsigned count_sas(const struct ike_mgr *m, enum ike_sa_state st)
{
	const struct ike_sa *sa;
	unsigned n = 0;

	for (sa = m->sas; sa; sa = sa->next)
		n += sa->state == st;
	return n;
}

static unsigned count_children(const struct ike_sa *sa)
{
	const struct child_sa *c;
	unsigned n = 0;

	for (c = sa ? sa->children : NULL; c; c = c->next)
		n++;
	return n;
}

static const struct ike_sa *established(const struct ike_mgr *m)
{
	const struct ike_sa *sa;

	for (sa = m->sas; sa; sa = sa->next)
		if (sa->state == IKE_SA_ESTABLISHED)
			return sa;
	return NULL;
}

/* Both sides up with one child each, agreeing on everything. (Other,
 * half-open SAs may exist: a corrupted cookie is a new request.) */
static void assert_agree(uint8_t proto, enum fg_mode mode, bool encap)
{
	const struct ike_sa *a = established(&A.mgr), *b = established(&B.mgr);
	const struct child_sa *ca, *cb;
	size_t kl;

	CU_ASSERT_EQUAL_FATAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL_FATAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT(memcmp(a->icookie, b->icookie, 8) == 0);
	CU_ASSERT(memcmp(a->rcookie, b->rcookie, 8) == 0);
	CU_ASSERT(a->initiator && !b->initiator);
	CU_ASSERT(memcmp(a->keys.skeyid, b->keys.skeyid, a->keys.prf_len) == 0);
	CU_ASSERT(memcmp(a->keys.skeyid_d, b->keys.skeyid_d, a->keys.prf_len) == 0);
	CU_ASSERT(memcmp(a->keys.enc_key, b->keys.enc_key, a->keys.key_len) == 0);
	CU_ASSERT_EQUAL_FATAL(count_children(a), 1);
	CU_ASSERT_EQUAL_FATAL(count_children(b), 1);
	ca = a->children;
	cb = b->children;
	CU_ASSERT_EQUAL(ca->spi_in, cb->spi_out);
	CU_ASSERT_EQUAL(ca->spi_out, cb->spi_in);
	CU_ASSERT(ca->spi_in > 255 && ca->spi_out > 255);
	CU_ASSERT_EQUAL(ca->proto, proto);
	CU_ASSERT_EQUAL(cb->proto, proto);
	CU_ASSERT_EQUAL(ca->mode, mode);
	CU_ASSERT_EQUAL(ca->encap, encap);
	CU_ASSERT_EQUAL(cb->encap, encap);
	kl = ca->enc_len + ca->integ_len;
	CU_ASSERT(kl > 0);
	CU_ASSERT_EQUAL(kl, cb->enc_len + cb->integ_len);
	CU_ASSERT(memcmp(ca->key_in, cb->key_out, kl) == 0);
	CU_ASSERT(memcmp(ca->key_out, cb->key_in, kl) == 0);
	CU_ASSERT(memcmp(ca->key_in, ca->key_out, kl) != 0);
	/* selectors: A's local is B's remote */
	CU_ASSERT_EQUAL(ca->ts_local.addr.first, cb->ts_remote.addr.first);
	CU_ASSERT_EQUAL(ca->ts_remote.addr.last, cb->ts_local.addr.last);
	CU_ASSERT_EQUAL(ca->ts_local.addr.last, cb->ts_remote.addr.last);
	CU_ASSERT_EQUAL(ca->ts_remote.addr.first, cb->ts_local.addr.first);
}

static const struct setup base = {
	.ike = "3des-sha1-modp1024", .child = "esp_proposals = 3des-sha1",
	.aggressive = "no", .mode = "tunnel", .encap = "no",
};

struct agree_case {
	const char *name;
	struct setup u;
	uint8_t proto;
	enum fg_mode mode;
	bool encap;
};

static const struct agree_case agree_cases[] = {
	{ "mm 3des-sha1-modp1024 esp", { .ike = "3des-sha1-modp1024",
	  .child = "esp_proposals = 3des-sha1", .aggressive = "no", .mode = "tunnel",
	  .encap = "no" }, ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false },
	{ "am 3des-sha1-modp1024 esp", { .ike = "3des-sha1-modp1024",
	  .child = "esp_proposals = 3des-sha1", .aggressive = "yes", .mode = "tunnel",
	  .encap = "no" }, ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false },
	/* AES ESP is configured first but the device cannot run it: Quick Mode
	 * offers and agrees on 3DES only */
	{ "mm aes256-sha256-modp2048, esp pfs", { .ike = "aes256-sha256-modp2048",
	  .child = "esp_proposals = aes128-sha1-modp1536, 3des-sha1-modp1536", .aggressive = "no",
	  .mode = "tunnel", .encap = "no" }, ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false },
	{ "mm des-md5-modp768, ah transport pfs", { .ike = "des-md5-modp768",
	  .child = "ah_proposals = md5-modp768", .aggressive = "no", .mode = "transport",
	  .encap = "no" }, ISAKMP_PROTO_AH, FG_MODE_TRANSPORT, false },
	{ "am aes128-md5-modp1536 encap (NAT-T)", { .ike = "aes128-md5-modp1536",
	  .child = "esp_proposals = 3des-md5", .aggressive = "yes", .mode = "tunnel",
	  .encap = "yes" }, ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, true },
	{ "mm encap (NAT-T), responder picks the 2nd offer", { .ike =
	  "aes192-sha1-modp2048, 3des-sha1-modp1024", .ike_b = "3des-sha1-modp1024",
	  .child = "esp_proposals = 3des-sha1", .aggressive = "no", .mode = "tunnel",
	  .encap = "yes" }, ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, true },
};

static void test_agree(void)
{
	size_t i;

	for (i = 0; i < sizeof(agree_cases) / sizeof(agree_cases[0]); i++) {
		const struct agree_case *c = &agree_cases[i];

		start(&c->u);
		pump();
		assert_agree(c->proto, c->mode, c->encap);
		/* every agreed child is one the offload device runs */
		CU_ASSERT(child_sa_offloadable(&A.mgr.sas->children->xf));
		CU_ASSERT(child_sa_offloadable(&B.mgr.sas->children->xf));
		CU_ASSERT_EQUAL(A.mgr.sas->children->ts_local.addr.first, 0x0a010000);
		CU_ASSERT_EQUAL(A.mgr.sas->children->ts_remote.addr.last, 0x0a02ffff);
		if (c->encap)
			CU_ASSERT(A.mgr.sas && A.mgr.sas->local.port == IKE_NATT_PORT &&
				  B.mgr.sas->local.port == IKE_NATT_PORT);
		finish();
	}
}

/* Selectors of every ID type: hosts (dynamic and explicit), a range. */
static void test_selectors(void)
{
	static const struct {
		const char *a, *b;
		uint32_t a_first, a_last, b_first, b_last;
	} cases[] = {
		{ "dynamic", "dynamic", A_ADDR, A_ADDR, B_ADDR, B_ADDR },
		{ "10.1.0.1/32", "10.2.0.1", 0x0a010001, 0x0a010001, 0x0a020001, 0x0a020001 },
		{ "10.1.0.5-10.1.0.9", "0.0.0.0/0", 0x0a010005, 0x0a010009, 0, 0xffffffff },
		{ "10.1.0.0/24[tcp/80]", "10.2.0.0/16[tcp]", 0x0a010000, 0x0a0100ff,
		  0x0a020000, 0x0a02ffff },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct child_sa *c;

		ts_a = cases[i].a;
		ts_b = cases[i].b;
		start(&base);
		pump();
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		c = A.mgr.sas->children;
		CU_ASSERT_EQUAL(c->ts_local.addr.first, cases[i].a_first);
		CU_ASSERT_EQUAL(c->ts_local.addr.last, cases[i].a_last);
		CU_ASSERT_EQUAL(c->ts_remote.addr.first, cases[i].b_first);
		CU_ASSERT_EQUAL(c->ts_remote.addr.last, cases[i].b_last);
		finish();
	}
	ts_a = "10.1.0.0/24";
	ts_b = "10.2.0.0/16";
}

/* Each of the 9 datagrams of Main Mode + Quick Mode (and of Aggressive
 * Mode + Quick Mode) lost once, and two in a row: retransmissions (or a
 * duplicate answered with the last reply) recover. */
static void test_loss(void)
{
	static const uint64_t drops[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 3, 0x30, 0x180 };
	struct setup am = base;
	unsigned i, k;

	am.aggressive = "yes";
	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++) {
			start(k ? &am : &base);
			wire.drop = drops[i];
			pump();
			tick(IKE_RETX_BASE_MS + 1);
			tick(2 * IKE_RETX_BASE_MS + 1);
			tick(4 * IKE_RETX_BASE_MS + 1);
			assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
			finish();
		}
	}
}

/* Replaying every datagram changes nothing. */
static void test_duplicates(void)
{
	unsigned i, n;

	start(&base);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	n = wire.nlog;
	CU_ASSERT(n >= 9);   /* 6 Main Mode + 3 Quick Mode */
	for (i = 0; i < n; i++)
		deliver(&wire.log[i]);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	finish();
}

/* Corrupted, truncated or extended copies of each datagram are dropped. */
static void test_corrupt(void)
{
	static const size_t spots[] = { 0, 8, 16, 17, 18, 19, 20, 24, 27, 28, 29, 31, 40, 60 };
	unsigned i, n;
	size_t j;

	start(&base);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	n = wire.nlog;
	for (i = 0; i < n; i++) {
		struct dgram d = wire.log[i];
		size_t k;

		for (j = 0; j < sizeof(spots) / sizeof(spots[0]); j++) {
			d = wire.log[i];
			if (spots[j] >= d.len)
				continue;
			d.buf[spots[j]] ^= 0x5a;
			deliver(&d);
		}
		for (k = 0; k < wire.log[i].len; k += 7) {   /* truncations */
			d = wire.log[i];
			d.len = k;
			deliver(&d);
		}
		d = wire.log[i];
		if (d.len + 8 <= DGRAM_MAX) {
			memset(d.buf + d.len, 0, 8);
			d.len += 8;
			deliver(&d);
		}
		d = wire.log[i];   /* the last byte of an encrypted body */
		d.buf[d.len - 1] ^= 1;
		deliver(&d);
	}
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	finish();
}

/* No answer at all: the initiator gives up after its retransmissions. */
static void test_give_up(void)
{
	unsigned i;

	start(&base);
	wire.n = 0;             /* message 1 lost too */
	wire.drop_all = true;
	for (i = 0; i < 12; i++)
		tick(70000);
	CU_ASSERT_PTR_NULL(A.mgr.sas);
	CU_ASSERT_EQUAL(wire.sent, 1 + IKE_RETX_TRIES);
	if (wire.sent != 1 + IKE_RETX_TRIES)
		printf("give_up: %u datagrams sent\n", wire.sent);
	finish();
}

static void test_delete(void)
{
	start(&base);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	/* children from A, then the ISAKMP SA from B */
	ike_mgr_delete_children(&A.mgr);
	pump();
	CU_ASSERT_EQUAL(count_children(A.mgr.sas), 0);
	CU_ASSERT_EQUAL(count_children(B.mgr.sas), 0);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	ike_mgr_delete_all(&B.mgr);
	pump();
	tick(1);
	CU_ASSERT_PTR_NULL(A.mgr.sas);
	CU_ASSERT_PTR_NULL(B.mgr.sas);
	finish();
	/* everything at once from the responder side */
	start(&base);
	pump();
	ike_mgr_delete_all(&B.mgr);
	pump();
	tick(1);
	CU_ASSERT_PTR_NULL(A.mgr.sas);
	finish();
}

/* Informational messages B sent; *type gets the notify type of the last
 * unencrypted one (0 if none), *enc the number of encrypted ones. */
static unsigned infos_from_b(unsigned *type, unsigned *enc)
{
	unsigned i, n = 0;

	*type = 0;
	*enc = 0;
	for (i = 0; i < wire.nlog; i++) {
		const struct dgram *d = &wire.log[i];

		if (d->from.addr != B_ADDR || d->len < 40 || d->buf[18] != ISAKMP_EXCH_INFO)
			continue;
		n++;
		if (d->buf[19] & ISAKMP_FLAG_ENC)
			(*enc)++;
		else if (d->buf[16] == ISAKMP_PT_NOTIFY)
			*type = (unsigned)(d->buf[38] << 8 | d->buf[39]);
	}
	return n;
}

/* A restarts (its SAs vanish without DELETE) and connects again: its
 * INITIAL-CONTACT makes B drop the stale SA; without it (a second SA while
 * the first lives) B keeps both. */
static void test_initial_contact(void)
{
	uint8_t old_icookie[8];

	start(&base);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	memcpy(old_icookie, B.mgr.sas->icookie, 8);
	/* a second SA from the running A: no INITIAL-CONTACT, both stay */
	CU_ASSERT_EQUAL(ike_mgr_initiate(&A.mgr, &A.cfg->conns[0], NULL), 0);
	pump();
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 2);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 2);
	/* restart A */
	ike_mgr_free(&A.mgr);
	ike_mgr_init(&A.mgr, A.cfg, send_cb, &A);
	A.mgr.now = now;
	CU_ASSERT_EQUAL(ike_mgr_initiate(&A.mgr, &A.cfg->conns[0], NULL), 0);
	pump();
	tick(1);
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	/* the one left on B is the new one: same cookies as A's */
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	CU_ASSERT(memcmp(established(&B.mgr)->icookie, old_icookie, 8) != 0);
	finish();
}

static void test_refused(void)
{
	unsigned type, enc;
	struct setup u = base;
	unsigned i;

	/* phase 1 proposal mismatch */
	u.ike_b = "aes128-sha256-modp2048";
	start(&u);
	pump();
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 0);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 0);
	CU_ASSERT_EQUAL(infos_from_b(&type, &enc), 1);
	CU_ASSERT_EQUAL(type, ISAKMP_N_NO_PROPOSAL_CHOSEN);
	CU_ASSERT_EQUAL(enc, 0);
	for (i = 0; i < 8; i++)
		tick(70000);
	CU_ASSERT_PTR_NULL(A.mgr.sas);
	CU_ASSERT_PTR_NULL(B.mgr.sas);
	finish();
	/* wrong pre-shared key: HASH_I does not verify */
	u = base;
	u.psk_b = "another secret";
	start(&u);
	pump();
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 0);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 0);
	/* B's other key cannot decrypt message 5 into valid payloads: it is
	 * dropped as malformed, unanswered, and B's SA times out */
	CU_ASSERT_EQUAL(infos_from_b(&type, &enc), 0);
	for (type = 0; type < 8; type++)
		tick(70000);
	CU_ASSERT_PTR_NULL(B.mgr.sas);
	finish();
	/* Quick Mode proposal mismatch: NO-PROPOSAL-CHOSEN under the ISAKMP SA */
	u = base;
	start(&u);
	config_free(B.cfg);
	{
		static const char *t =
			"connections { c { version = 1\n local_addrs = 192.0.2.2\n"
			" remote_addrs = 192.0.2.1\n proposals = 3des-sha1-modp1024\n"
			" local { auth = psk }\n remote { auth = psk }\n"
			" children { net { local_ts = 10.2.0.0/16\n remote_ts = 10.1.0.0/24\n"
			" esp_proposals = aes256-sha256 } } } }\n"
			"secrets { ike-c { secret = \"pre-shared secret\" } }\n";
		char err[256];

		CU_ASSERT_EQUAL_FATAL(config_load_buffer("b", t, strlen(t), &B.cfg, err,
							 sizeof(err)), 0);
		B.mgr.cfg = B.cfg;
	}
	pump();
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL(count_children(established(&A.mgr)), 0);
	CU_ASSERT_EQUAL(count_children(established(&B.mgr)), 0);
	CU_ASSERT_EQUAL(infos_from_b(&type, &enc), 1);
	CU_ASSERT_EQUAL(enc, 1);
	finish();
	/* wrong PSK in Aggressive Mode: HASH_R fails at the initiator */
	u.psk_b = "another secret";
	u.aggressive = "yes";
	start(&u);
	pump();
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 0);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 0);
	finish();
}

/* Copies of A's first message with other initiator cookies: B keeps at
 * most IKE_HALF_OPEN_MAX half-open SAs, and they expire. */
static void test_half_open(void)
{
	struct dgram d;
	unsigned i;

	start(&base);
	wire.drop_all = true;
	d = wire.q[0];
	wire.n = 0;
	for (i = 0; i < 3 * IKE_HALF_OPEN_MAX; i++) {
		d.buf[0] = (uint8_t)i;
		d.buf[1] = (uint8_t)(i >> 8);
		deliver(&d);
	}
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_CONNECTING), IKE_HALF_OPEN_MAX);
	tick(IKE_HALF_OPEN_TIMEOUT_MS - 1);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_CONNECTING), IKE_HALF_OPEN_MAX);
	tick(1);
	CU_ASSERT_PTR_NULL(B.mgr.sas);
	/* room again for new requests */
	d.buf[2] ^= 0xff;
	deliver(&d);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_CONNECTING), 1);
	finish();
}

static void test_garbage(void)
{
	static const uint8_t junk[][40] = {
		{ 0 },
		{ 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 2, 0, 0, 0, 0, 0,
		  0, 0, 0, 28 },
		{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9, 8, 0x10, 32, 1, 1, 2, 3, 4,
		  0, 0, 0, 40 },
		{ 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, 2, 0, 0, 0, 0, 0,
		  0, 0, 0, 40, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1 },
	};
	struct dgram d = { .from = { B_ADDR, 500 }, .to = { A_ADDR, 500 } };
	size_t i, l;

	start(&base);
	wire.drop_all = true;   /* A's own first message goes nowhere */
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		for (l = 0; l <= sizeof(junk[i]); l++) {
			memcpy(d.buf, junk[i], l);
			d.len = l;
			deliver(&d);
			d.to = (struct ike_endpoint){ B_ADDR, 500 };
			d.from = (struct ike_endpoint){ A_ADDR, 500 };
			deliver(&d);
			d.to = (struct ike_endpoint){ A_ADDR, 500 };
			d.from = (struct ike_endpoint){ B_ADDR, 500 };
		}
	}
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 0);
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 0);
	finish();
}


/* --- lifetimes, rekeying, renewal (lifetime.c) */

static struct ike_sa *est(struct ike_mgr *m)
{
	return (struct ike_sa *)established(m);
}

/* Advances the clock in steps of step ms, pumping after each. */
static void run_for(uint64_t ms, uint64_t step)
{
	uint64_t t;

	for (t = 0; t < ms; t += step)
		tick(step);
}

static bool has_spi(const struct ike_sa *sa, uint32_t spi_in)
{
	const struct child_sa *c;

	for (c = sa ? sa->children : NULL; c; c = c->next)
		if (c->spi_in == spi_in)
			return true;
	return false;
}

/* Quick Mode rekeying by time: A (rekey 60 s, hard 100 s) rekeys first;
 * both install the new SA; A deletes the old one after the overlap, or as
 * soon as the new one carries inbound traffic. */
static void test_child_rekey(void)
{
	struct setup u = base;
	unsigned traffic;

	u.child_a = "rekey_time = 60s\n life_time = 100s\n rand_time = 0s";
	for (traffic = 0; traffic < 2; traffic++) {
		uint32_t old_a, old_b;
		struct ike_sa *a, *b;

		start(&u);
		pump();
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		a = est(&A.mgr);
		b = est(&B.mgr);
		/* B took the shorter offer, and so schedules its own rekeying
		 * at 90% of it: after A's */
		CU_ASSERT_EQUAL(a->children->life_time, 100);
		CU_ASSERT_EQUAL(b->children->life_time, 100);
		CU_ASSERT_EQUAL(a->children->rekey_at, now + 60000);
		CU_ASSERT_EQUAL(b->children->rekey_at, now + 90000);
		CU_ASSERT_EQUAL(a->children->expire_at, now + 100000);
		old_a = a->children->spi_in;
		old_b = b->children->spi_in;
		run_for(59000, 1000);
		CU_ASSERT_EQUAL(count_children(a), 1);
		tick(1000);
		CU_ASSERT_EQUAL(count_children(a), 2);
		CU_ASSERT_EQUAL(count_children(b), 2);
		CU_ASSERT(has_spi(a, old_a) && has_spi(b, old_b));
		CU_ASSERT_EQUAL(a->children->next->lstate, CHILD_SA_REKEYED);
		CU_ASSERT_EQUAL(b->children->next->lstate, CHILD_SA_REKEYED);
		CU_ASSERT_EQUAL(a->children->lstate, CHILD_SA_INSTALLED);
		if (traffic) {
			CU_ASSERT_EQUAL(ike_mgr_child_bytes(&A.mgr, a->children->spi_in, 1000, 0,
							    10, 0), 0);
			tick(1);
		} else {
			run_for(LIFETIME_OVERLAP_MS - 1000, 1000);
			CU_ASSERT_EQUAL(count_children(a), 2);
			tick(1000);
		}
		CU_ASSERT_EQUAL(count_children(a), 1);
		CU_ASSERT_EQUAL(count_children(b), 1);
		CU_ASSERT(!has_spi(a, old_a) && !has_spi(b, old_b));
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		CU_ASSERT_EQUAL(ike_mgr_child_bytes(&A.mgr, old_a, 1, 1, 1, 1), FG_ERR_NOTFOUND);
		finish();
	}
}

/* Hard limits without rekeying: time, then bytes (life_bytes offered in
 * kilobytes). Each side sends DELETE; the ISAKMP SA stays. */
static void test_child_expire(void)
{
	struct setup u = base;
	struct ike_sa *a, *b;

	u.child_a = u.child_b = "rekey_time = 0s\n life_time = 50s";
	start(&u);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	a = est(&A.mgr);
	CU_ASSERT_EQUAL(a->children->rekey_at, 0);
	run_for(49000, 1000);
	CU_ASSERT_EQUAL(count_children(a), 1);
	tick(1000);
	CU_ASSERT_EQUAL(count_children(est(&A.mgr)), 0);
	CU_ASSERT_EQUAL(count_children(est(&B.mgr)), 0);
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	finish();
	/* bytes: A's soft limit 1000, hard 4 kB; B takes the kilobytes */
	u = base;
	u.child_a = "rekey_bytes = 1000\n life_bytes = 4k\n rand_bytes = 0";
	start(&u);
	pump();
	a = est(&A.mgr);
	b = est(&B.mgr);
	CU_ASSERT_EQUAL(a->children->life_kb, 4);
	CU_ASSERT_EQUAL(b->children->life_kb, 4);
	CU_ASSERT_EQUAL(b->children->expire_bytes, 4096);
	CU_ASSERT_EQUAL(a->children->rekey_bytes, 1000);
	CU_ASSERT_EQUAL(ike_mgr_child_bytes(&A.mgr, a->children->spi_in, 500, 499, 5, 5), 0);
	tick(1);
	CU_ASSERT_EQUAL(count_children(a), 1);
	CU_ASSERT_EQUAL(ike_mgr_child_bytes(&A.mgr, a->children->spi_in, 500, 500, 5, 5), 0);
	tick(1);
	CU_ASSERT_EQUAL(count_children(a), 2);              /* rekeyed by bytes */
	CU_ASSERT_EQUAL(count_children(b), 2);
	/* the peer's hard byte limit on the old SA */
	CU_ASSERT_EQUAL(ike_mgr_child_bytes(&B.mgr, b->children->next->spi_in, 4000, 96, 9, 9),
			0);
	tick(1);
	CU_ASSERT_EQUAL(count_children(b), 1);
	CU_ASSERT_EQUAL(count_children(a), 1);
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	finish();
}

/* Lifetime mismatch (RFC 2407 4.5.4): the responder takes the shorter;
 * when that shortens the offer it says so (RESPONDER-LIFETIME), and the
 * initiator ends with the same value either way. */
static void test_lifetime_mismatch(void)
{
	static const struct {
		const char *a, *b;
		uint64_t secs, kb;
	} cases[] = {
		{ "life_time = 100s", "life_time = 50s", 50, 0 },
		{ "life_time = 100s", "life_time = 200s", 100, 0 },
		{ "life_time = 100s\n life_bytes = 8m", "life_time = 300s\n life_bytes = 2m",
		  100, 2048 },
		{ "life_time = 100s", "life_time = 30s\n life_bytes = 1m", 30, 1024 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct setup u = base;

		u.child_a = cases[i].a;
		u.child_b = cases[i].b;
		start(&u);
		pump();
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		CU_ASSERT_EQUAL(est(&A.mgr)->children->life_time, cases[i].secs);
		CU_ASSERT_EQUAL(est(&B.mgr)->children->life_time, cases[i].secs);
		CU_ASSERT_EQUAL(est(&A.mgr)->children->life_kb, cases[i].kb);
		CU_ASSERT_EQUAL(est(&B.mgr)->children->life_kb, cases[i].kb);
		finish();
	}
	/* phase 1: the shorter too */
	{
		struct setup u = base;

		u.conn_a = "rekey_time = 1000s\n over_time = 100s";
		u.conn_b = "rekey_time = 500s\n over_time = 50s";
		start(&u);
		pump();
		CU_ASSERT_EQUAL(est(&A.mgr)->life_time, 550);
		CU_ASSERT_EQUAL(est(&B.mgr)->life_time, 550);
		finish();
	}
}

/* One ISAKMP SA a side (new cookies, the same on both), the old child SA
 * (same SPIs) on it. Either side may have renewed: B's share of the
 * shorter hard lifetime makes it renew at 90% of it. */
static void assert_renewed(const uint8_t *old_ck, uint32_t spi)
{
	struct ike_sa *a = est(&A.mgr), *b = est(&B.mgr);

	CU_ASSERT_EQUAL_FATAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL_FATAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT(memcmp(a->icookie, old_ck, 8) != 0);
	CU_ASSERT(memcmp(a->icookie, b->icookie, 8) == 0);
	CU_ASSERT(memcmp(a->rcookie, b->rcookie, 8) == 0);
	CU_ASSERT(a->initiator != b->initiator);
	CU_ASSERT_EQUAL_FATAL(count_children(a), 1);
	CU_ASSERT_EQUAL_FATAL(count_children(b), 1);
	CU_ASSERT_EQUAL(a->children->spi_in, spi);
	CU_ASSERT_EQUAL(b->children->spi_out, spi);
}

/* Phase 1 renewal: a new Main Mode before the hard lifetime; the new SA
 * takes over the child SAs (same SPIs), the old one is deleted. Then the
 * same with all traffic lost: the ISAKMP SAs expire (over_time). */
static void test_ike_renew(void)
{
	struct setup u = base;
	uint8_t old_ck[8];
	uint32_t spi;
	unsigned aggr;

	u.conn_a = "rekey_time = 100s\n over_time = 10s\n rand_time = 0s";
	for (aggr = 0; aggr < 2; aggr++) {
		u.aggressive = aggr ? "yes" : "no";
		start(&u);
		pump();
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		CU_ASSERT_EQUAL(est(&A.mgr)->life_time, 110);
		CU_ASSERT_EQUAL(est(&A.mgr)->renew_at, now + 100000);
		memcpy(old_ck, est(&A.mgr)->icookie, 8);
		spi = est(&A.mgr)->children->spi_in;
		run_for(98000, 1000);
		CU_ASSERT(memcmp(est(&A.mgr)->icookie, old_ck, 8) == 0);   /* not yet */
		CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
		run_for(3000, 1000);
		assert_renewed(old_ck, spi);
		/* and the next renewal works the same */
		memcpy(old_ck, est(&A.mgr)->icookie, 8);
		run_for(101000, 1000);
		assert_renewed(old_ck, spi);
		finish();
	}
	u.aggressive = "no";
	start(&u);
	pump();
	wire.drop_all = true;
	run_for(109000, 1000);
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	run_for(2000, 1000);
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 0);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 0);
	finish();
}

/* --- DPD (dpd.c) */

/* An idle SA: R-U-THERE every dpd_delay, answered, nothing else changes. */
static void test_dpd_alive(void)
{
	static const char *conns[] = { "dpd_delay = 10s", "dpd_delay = 10s\n dpd_timeout = 30s" };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct setup u = base;
		uint32_t seq;

		u.conn_a = conns[i];
		start(&u);
		pump();
		CU_ASSERT(est(&A.mgr)->dpd && est(&B.mgr)->dpd);
		seq = est(&A.mgr)->dpd_seq;
		CU_ASSERT(seq > 0 && seq < 0x80000000u);
		run_for(300000, 1000);
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		CU_ASSERT(est(&A.mgr)->dpd_seq >= seq + 25);
		CU_ASSERT(!est(&A.mgr)->dpd_waiting);
		CU_ASSERT_EQUAL(est(&B.mgr)->dpd_peer_seq, est(&A.mgr)->dpd_seq);
		/* B (no dpd_delay) never asks */
		CU_ASSERT_EQUAL(est(&B.mgr)->dpd_at, 0);
		/* inbound ESP traffic counts as liveness: no R-U-THERE */
		seq = est(&A.mgr)->dpd_seq;
		for (unsigned k = 0; k < 30; k++) {
			ike_mgr_child_bytes(&A.mgr, est(&A.mgr)->children->spi_in, 100 * (k + 1),
					    0, k + 1, 0);
			tick(1000);
		}
		CU_ASSERT_EQUAL(est(&A.mgr)->dpd_seq, seq);
		finish();
	}
}

/* The peer vanishes: A declares it dead (after dpd_timeout, or after the
 * R-U-THERE retransmissions) and runs the child's dpd_action. */
static void test_dpd_dead(void)
{
	static const struct {
		const char *conn, *child;
		uint64_t dead_after_ms;         /* since the peer vanished */
		enum fg_action action;
	} cases[] = {
		{ "dpd_delay = 10s\n dpd_timeout = 30s", "dpd_action = clear", 30000,
		  FG_ACTION_NONE },
		{ "dpd_delay = 10s\n dpd_timeout = 30s", "dpd_action = restart", 30000,
		  FG_ACTION_START },
		{ "dpd_delay = 10s\n dpd_timeout = 30s", "dpd_action = trap", 30000,
		  FG_ACTION_TRAP },
		/* 10 s idle, then 4+8+16+32+64+128 s of retransmissions */
		{ "dpd_delay = 10s", "dpd_action = clear", 262000, FG_ACTION_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct setup u = base;
		unsigned sent;

		u.conn_a = cases[i].conn;
		u.child_a = cases[i].child;
		start(&u);
		pump();
		assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		wire.drop_all = true;
		sent = wire.sent;
		run_for(cases[i].dead_after_ms - 1000, 1000);
		CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
		CU_ASSERT(wire.sent > sent);                    /* R-U-THERE went out */
		tick(1000);
		CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 0);
		if (cases[i].action == FG_ACTION_START) {
			CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_CONNECTING), 1);
			/* the peer is back: the restart succeeds */
			wire.drop_all = false;
			ike_mgr_free(&B.mgr);
			ike_mgr_init(&B.mgr, B.cfg, send_cb, &B);
			B.mgr.now = now;
			run_for(10000, 1000);
			assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		} else {
			CU_ASSERT_PTR_NULL(A.mgr.sas);
		}
		CU_ASSERT_EQUAL(A.mgr.n_traps, cases[i].action == FG_ACTION_TRAP ? 1u : 0u);
		if (cases[i].action == FG_ACTION_TRAP) {
			/* traffic outside the selectors does nothing; inside, it initiates */
			CU_ASSERT_EQUAL(ike_mgr_acquire(&A.mgr, 0x0a090001, 0x0a020001),
					FG_ERR_NOTFOUND);
			CU_ASSERT_PTR_NULL(A.mgr.sas);
			wire.drop_all = false;
			ike_mgr_free(&B.mgr);
			ike_mgr_init(&B.mgr, B.cfg, send_cb, &B);
			B.mgr.now = now;
			CU_ASSERT_EQUAL(ike_mgr_acquire(&A.mgr, 0x0a010005, 0x0a020005), 0);
			CU_ASSERT_EQUAL(ike_mgr_acquire(&A.mgr, 0x0a010005, 0x0a020005), 0);
			pump();
			assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
		}
		finish();
	}
}

/* --- NAT-T (natt.c) */

/* A behind a NAT: both detect it, float to 4500, A alone sends
 * keepalives every 20 s; transport mode carries NAT-OA both ways; a new
 * NAT mapping moves B's idea of A's port. */
static void test_natt(void)
{
	struct setup u = base;
	struct ike_sa *a, *b;

	u.nat = true;
	u.remote_b = "%any";
	u.mode = "transport";
	start(&u);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TRANSPORT, true);
	a = est(&A.mgr);
	b = est(&B.mgr);
	CU_ASSERT(a->nat && a->nat_here);
	CU_ASSERT(b->nat && !b->nat_here);
	CU_ASSERT_EQUAL(a->local.port, IKE_NATT_PORT);
	CU_ASSERT_EQUAL(b->remote.addr, NAT_ADDR);
	CU_ASSERT_EQUAL(b->remote.port, 14500);
	CU_ASSERT_EQUAL(b->children->nat_oa_peer, A_ADDR);
	CU_ASSERT_EQUAL(a->children->nat_oa_peer, B_ADDR);
	run_for(NATT_KEEPALIVE_MS * 3 + 1000, 1000);
	CU_ASSERT_EQUAL(wire.keepalives[0], 3);
	CU_ASSERT_EQUAL(wire.keepalives[1], 0);
	/* the NAT forgets the mapping; A's next message comes from another port */
	wire.nat4500 = 14501;
	ike_mgr_delete_children(&A.mgr);
	pump();
	CU_ASSERT_EQUAL(count_children(b), 0);
	CU_ASSERT_EQUAL(b->remote.port, 14501);
	finish();
	/* no NAT, no forcing: no NAT-T, no keepalives, no NAT-OA */
	u = base;
	u.mode = "transport";
	start(&u);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TRANSPORT, false);
	CU_ASSERT(!est(&A.mgr)->nat && !est(&B.mgr)->nat);
	CU_ASSERT_EQUAL(est(&B.mgr)->children->nat_oa_peer, 0);
	run_for(NATT_KEEPALIVE_MS * 2, 1000);
	CU_ASSERT_EQUAL(wire.keepalives[0] + wire.keepalives[1], 0);
	finish();
	/* encap = yes: encapsulated, but nobody is really behind a NAT */
	u = base;
	u.encap = "yes";
	start(&u);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, true);
	CU_ASSERT(!est(&A.mgr)->nat_here && !est(&B.mgr)->nat_here);
	run_for(NATT_KEEPALIVE_MS * 2, 1000);
	CU_ASSERT_EQUAL(wire.keepalives[0] + wire.keepalives[1], 0);
	finish();
}

/* --- keyingtries, actions */

static void test_keyingtries(void)
{
	static const struct {
		const char *conn;
		unsigned attempts;      /* 0: still trying at the end */
	} cases[] = {
		{ "keyingtries = 1", 1 },
		{ "keyingtries = 3", 3 },
		{ "keyingtries = 0", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct setup u = base;
		unsigned k;

		u.conn_a = cases[i].conn;
		start(&u);
		wire.n = 0;
		wire.drop_all = true;
		for (k = 0; k < 30; k++)
			tick(70000);
		if (cases[i].attempts) {
			CU_ASSERT_PTR_NULL(A.mgr.sas);
			CU_ASSERT_EQUAL(A.mgr.n_sched, 0);
			CU_ASSERT_EQUAL(wire.sent, cases[i].attempts * (1 + IKE_RETX_TRIES));
		} else {
			CU_ASSERT(wire.sent >= 4 * (1 + IKE_RETX_TRIES));
			if (wire.sent < 4 * (1 + IKE_RETX_TRIES))
				printf("keyingtries 0: %u sent\n", wire.sent);
			CU_ASSERT(A.mgr.sas || A.mgr.n_sched == 1);
		}
		finish();
	}
	/* backoff: the second try waits IKE_RETX_BASE, the third twice that */
	{
		struct setup u = base;
		uint64_t t0;

		u.conn_a = "keyingtries = 3";
		start(&u);
		wire.n = 0;
		wire.drop_all = true;
		while (A.mgr.sas)
			tick(1000);
		CU_ASSERT_EQUAL(A.mgr.n_sched, 1);
		t0 = now;
		CU_ASSERT_EQUAL(A.mgr.sched[0].at, t0 + IKE_RETRY_BASE_MS);
		CU_ASSERT_EQUAL(A.mgr.sched[0].attempt, 2);
		tick(IKE_RETRY_BASE_MS);
		CU_ASSERT_PTR_NOT_NULL(A.mgr.sas);
		CU_ASSERT_EQUAL(A.mgr.sas ? A.mgr.sas->attempt : 0, 2);
		while (A.mgr.sas)
			tick(1000);
		CU_ASSERT_EQUAL(A.mgr.sched[0].at, now + 2 * IKE_RETRY_BASE_MS);
		finish();
	}
	/* a permanent error is not retried */
	{
		struct setup u = base;
		unsigned k;

		u.conn_a = "keyingtries = 0";
		u.ike_b = "aes128-sha256-modp2048";
		start(&u);
		for (k = 0; k < 10; k++)
			tick(70000);
		CU_ASSERT_PTR_NULL(A.mgr.sas);
		CU_ASSERT_EQUAL(A.mgr.n_sched, 0);
		finish();
	}
}

/* close_action on a DELETE from the peer; start_action = trap. */
static void test_actions(void)
{
	struct setup u = base;
	uint32_t spi;

	u.child_b = "close_action = start";
	start(&u);
	pump();
	spi = est(&B.mgr)->children->spi_in;
	ike_mgr_delete_children(&A.mgr);
	pump();
	CU_ASSERT_EQUAL(count_children(est(&B.mgr)), 0);
	tick(1);
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	CU_ASSERT(est(&B.mgr)->children->spi_in != spi);
	CU_ASSERT(est(&B.mgr)->children->initiated && !est(&A.mgr)->children->initiated);
	/* the ISAKMP SA too (children first, as charon does): B starts a new
	 * one with the child */
	ike_mgr_delete_all(&A.mgr);
	pump();
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 0);
	tick(1);
	CU_ASSERT_EQUAL(count_sas(&A.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL(count_sas(&B.mgr, IKE_SA_ESTABLISHED), 1);
	CU_ASSERT_EQUAL(count_children(est(&A.mgr)), 1);
	CU_ASSERT(est(&B.mgr)->initiator);
	finish();
	/* close_action = trap, none */
	u.child_b = "close_action = trap";
	start(&u);
	pump();
	ike_mgr_delete_children(&A.mgr);
	pump();
	CU_ASSERT_EQUAL(count_children(est(&B.mgr)), 0);
	CU_ASSERT_EQUAL(B.mgr.n_traps, 1);
	CU_ASSERT_EQUAL(ike_mgr_acquire(&B.mgr, 0x0a020001, 0x0a010001), 0);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	finish();
	u.child_b = NULL;
	start(&u);
	pump();
	ike_mgr_delete_children(&A.mgr);
	pump();
	tick(1);
	CU_ASSERT_EQUAL(count_children(est(&B.mgr)), 0);
	CU_ASSERT_EQUAL(B.mgr.n_traps, 0);
	finish();
	/* start_action = trap: nothing until traffic */
	u.child_a = "start_action = trap";
	start(&u);
	wire.n = 0;
	ike_mgr_free(&A.mgr);
	ike_mgr_init(&A.mgr, A.cfg, send_cb, &A);
	A.mgr.now = now;
	ike_mgr_start_all(&A.mgr);
	CU_ASSERT_PTR_NULL(A.mgr.sas);
	CU_ASSERT_EQUAL(A.mgr.n_traps, 1);
	CU_ASSERT_EQUAL(ike_mgr_acquire(&A.mgr, 0x0a010009, 0x0a020009), 0);
	pump();
	assert_agree(ISAKMP_PROTO_ESP, FG_MODE_TUNNEL, false);
	finish();
}

/* --- Quick Mode attributes (quick_mode_attrs.c): hand-built notify data */

static void one_notify(struct isakmp_msg *m, uint16_t type, const uint8_t *data, size_t len)
{
	unsigned i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < ISAKMP_PT_COUNT; i++)
		m->first[i] = -1;
	m->npayloads = 1;
	m->payloads[0].type = ISAKMP_PT_NOTIFY;
	m->payloads[0].next_same = -1;
	m->payloads[0].u.notify.type = type;
	m->payloads[0].u.notify.data = (struct isakmp_span){ data, len };
	m->first[ISAKMP_PT_NOTIFY] = 0;
	m->count[ISAKMP_PT_NOTIFY] = 1;
}

static void test_qm_attrs(void)
{
	static const struct {
		const char *name;
		uint8_t data[24];
		size_t len;
		uint64_t secs, kb;      /* before: 100 s, 1000 kB */
	} cases[] = {
		{ "seconds TV+TLV", { 0x80, 1, 0, 1, 0, 2, 0, 4, 0, 0, 0, 40 }, 12, 40, 1000 },
		{ "seconds TV+TV", { 0x80, 1, 0, 1, 0x80, 2, 0, 50 }, 8, 50, 1000 },
		{ "kilobytes", { 0x80, 1, 0, 2, 0x80, 2, 0x01, 0x00 }, 8, 100, 256 },
		{ "both", { 0x80, 1, 0, 1, 0x80, 2, 0, 10, 0x80, 1, 0, 2, 0x80, 2, 0, 20 }, 16,
		  10, 20 },
		{ "duration first counts as seconds", { 0x80, 2, 0, 60 }, 4, 60, 1000 },
		{ "longer: no effect", { 0x80, 1, 0, 1, 0, 2, 0, 4, 0, 1, 0, 0 }, 12, 100, 1000 },
		{ "zero: no effect", { 0x80, 1, 0, 1, 0x80, 2, 0, 0 }, 8, 100, 1000 },
		{ "TLV cut short", { 0x80, 1, 0, 1, 0, 2, 0, 4, 0, 0 }, 10, 100, 1000 },
		{ "TLV of 9 bytes", { 0x80, 1, 0, 1, 0, 2, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 17,
		  100, 1000 },
		{ "3 stray bytes", { 0x80, 1, 0, 1, 0x80, 2, 0, 30, 0x80, 2, 0 }, 11, 30, 1000 },
		{ "empty", { 0 }, 0, 100, 1000 },
		{ "unknown type then duration", { 0x80, 1, 0, 7, 0x80, 2, 0, 5 }, 8, 100, 1000 },
	};
	struct isakmp_msg *m = calloc(1, sizeof(*m));
	struct ike_sa sa = { .name = "#0 test" };
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct child_sa ch = { .life_time = 100, .life_kb = 1000 };

		one_notify(m, ISAKMP_N_RESPONDER_LIFETIME, cases[i].data, cases[i].len);
		qm_attr_read_responder_lifetime(&sa, m, &ch);
		CU_ASSERT_EQUAL(ch.life_time, cases[i].secs);
		CU_ASSERT_EQUAL(ch.life_kb, cases[i].kb);
		if (ch.life_time != cases[i].secs || ch.life_kb != cases[i].kb)
			printf("qm_attrs %s: %llu s %llu kB\n", cases[i].name,
			       (unsigned long long)ch.life_time, (unsigned long long)ch.life_kb);
		/* another notify type is not looked at */
		ch = (struct child_sa){ .life_time = 100, .life_kb = 1000 };
		one_notify(m, ISAKMP_N_INITIAL_CONTACT, cases[i].data, cases[i].len);
		qm_attr_read_responder_lifetime(&sa, m, &ch);
		CU_ASSERT(ch.life_time == 100 && ch.life_kb == 1000);
	}
	/* NAT-OA: the peer's is the first for a responder, the second for an
	 * initiator; other ID types and sizes are ignored */
	{
		static const uint8_t a1[4] = { 10, 0, 0, 1 }, a2[4] = { 10, 0, 0, 2 };
		struct child_sa ch = { 0 };

		memset(m, 0, sizeof(*m));
		for (i = 0; i < ISAKMP_PT_COUNT; i++)
			m->first[i] = -1;
		m->npayloads = 2;
		m->payloads[0] = (struct isakmp_payload){ .type = ISAKMP_PT_NAT_OA, .next_same = 1 };
		m->payloads[0].u.nat_oa = (struct isakmp_pl_nat_oa){ ISAKMP_ID_IPV4_ADDR, { a1, 4 } };
		m->payloads[1] = (struct isakmp_payload){ .type = ISAKMP_PT_NAT_OA, .next_same = -1 };
		m->payloads[1].u.nat_oa = (struct isakmp_pl_nat_oa){ ISAKMP_ID_IPV4_ADDR, { a2, 4 } };
		m->first[ISAKMP_PT_NAT_OA] = 0;
		qm_attr_read_nat_oa(m, false, &ch);
		CU_ASSERT_EQUAL(ch.nat_oa_peer, 0x0a000001);
		qm_attr_read_nat_oa(m, true, &ch);
		CU_ASSERT_EQUAL(ch.nat_oa_peer, 0x0a000002);
		ch.nat_oa_peer = 0;
		m->payloads[0].u.nat_oa.addr.len = 3;
		qm_attr_read_nat_oa(m, false, &ch);
		m->payloads[0].u.nat_oa.id_type = ISAKMP_ID_IPV6_ADDR;
		m->payloads[0].u.nat_oa.addr.len = 4;
		qm_attr_read_nat_oa(m, false, &ch);
		m->npayloads = 1;
		m->payloads[0].next_same = -1;
		qm_attr_read_nat_oa(m, true, &ch);      /* only one: none for an initiator */
		CU_ASSERT_EQUAL(ch.nat_oa_peer, 0);
	}
	/* transform attributes: pairs in any order */
	{
		struct isakmp_attr at[4] = {
			isakmp_attr_num(ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_IPSEC_LIFE_KILOBYTES),
			isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 4608),
			isakmp_attr_num(ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_IPSEC_LIFE_SECONDS),
			isakmp_attr_num(ISAKMP_IPSEC_LIFE_DURATION, 100000),
		};
		uint64_t secs, kb;

		qm_attr_lifes(at, 4, &secs, &kb);
		CU_ASSERT(secs == 100000 && kb == 4608);
		qm_attr_lifes(at, 0, &secs, &kb);
		CU_ASSERT(secs == 0 && kb == 0);
		CU_ASSERT_EQUAL(qm_attr_shorter(0, 5), 5);
		CU_ASSERT_EQUAL(qm_attr_shorter(7, 0), 7);
		CU_ASSERT_EQUAL(qm_attr_shorter(7, 5), 5);
		CU_ASSERT_EQUAL(qm_attr_shorter(0, 0), 0);
	}
	/* the codec takes several life type/duration pairs (RFC 2407 4.5), but
	 * not two durations for one type */
	{
		static const struct {
			uint16_t t[5];
			uint64_t v[5];
			size_t n;
			int rc;
		} pairs[] = {
			{ { 1, 2, 1, 2, 4 }, { 1, 100, 2, 4096, 1 }, 5, 0 },
			{ { 1, 2, 2, 4 }, { 1, 100, 200, 1 }, 4, FG_ERR_INVAL },
			{ { 1, 2, 4, 2 }, { 1, 100, 1, 200 }, 4, FG_ERR_INVAL },
			{ { 4, 4 }, { 1, 1 }, 2, FG_ERR_INVAL },
			{ { 1, 1, 2, 4 }, { 2, 1, 100, 1 }, 4, 0 },
		};
		uint8_t spi[4] = { 1, 2, 3, 4 }, out[256];
		size_t k, j, len;

		for (k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
			struct isakmp_attr at[5];
			struct isakmp_transform x = { .num = 1, .id = 3, .attrs = at };
			struct isakmp_proposal pr = { .num = 1, .proto = ISAKMP_PROTO_ESP,
						      .spi_size = 4, .spi = spi, .nxforms = 1,
						      .xforms = &x };
			struct isakmp_sa sa_p = { .doi = ISAKMP_DOI_IPSEC,
						  .situation = ISAKMP_SIT_IDENTITY_ONLY,
						  .nprops = 1, .props = &pr };
			struct isakmp_sa dec;

			for (j = 0; j < pairs[k].n; j++)
				at[j] = isakmp_attr_num(pairs[k].t[j], pairs[k].v[j]);
			x.nattrs = pairs[k].n;
			CU_ASSERT_EQUAL(isakmp_sa_encode(&sa_p, out, sizeof(out), &len), pairs[k].rc);
			if (pairs[k].rc || isakmp_sa_decode(out, len, &dec, NULL))
				continue;
			{
				uint64_t secs, kb;

				qm_attr_lifes(dec.props[0].xforms[0].attrs,
					      dec.props[0].xforms[0].nattrs, &secs, &kb);
				CU_ASSERT_EQUAL(secs, 100);
				CU_ASSERT_EQUAL(kb, k == 0 ? 4096 : 0);
			}
			isakmp_sa_free(&dec);
		}
	}
	free(m);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "agree", test_agree },
		{ "selectors", test_selectors },
		{ "loss", test_loss },
		{ "duplicates", test_duplicates },
		{ "corrupt", test_corrupt },
		{ "give_up", test_give_up },
		{ "delete", test_delete },
		{ "initial_contact", test_initial_contact },
		{ "refused", test_refused },
		{ "half_open", test_half_open },
		{ "garbage", test_garbage },
		{ "child_rekey", test_child_rekey },
		{ "child_expire", test_child_expire },
		{ "lifetime_mismatch", test_lifetime_mismatch },
		{ "ike_renew", test_ike_renew },
		{ "dpd_alive", test_dpd_alive },
		{ "dpd_dead", test_dpd_dead },
		{ "natt", test_natt },
		{ "keyingtries", test_keyingtries },
		{ "actions", test_actions },
		{ "qm_attrs", test_qm_attrs },
		{ NULL, NULL },
	};

	fg_log_set_level(getenv("IKE_TEST_LOG") ? FG_LOG_KEYS : FG_LOG_ERROR + 0);
	unit_add_suite("ike", tests);
	return unit_run("unit-ike");
}
