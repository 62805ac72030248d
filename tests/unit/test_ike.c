/* host/ike exchanges end to end in one process: two managers (192.0.2.1
 * and 192.0.2.2) joined by an in-memory wire. Main and Aggressive Mode,
 * Quick Mode with ESP/AH, PFS, tunnel/transport; both sides must agree on
 * cookies, SPIs and keys. Also retransmission after loss, duplicates,
 * giving up, DELETE both ways, refused proposals, a wrong PSK, and
 * corrupted or truncated datagrams (no state change, no crash, no leak). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "ike/ike_mgr.h"
#include "unit.h"

enum { WIRE_MAX = 64, DGRAM_MAX = 2048, A_ADDR = 0xc0000201, B_ADDR = 0xc0000202 };

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
	w->q[w->n].to = *r;
	w->q[w->n].len = len;
	memcpy(w->q[w->n].buf, buf, len);
	w->n++;
	return 0;
}

static void deliver(const struct dgram *d)
{
	struct ike_mgr *m = d->to.addr == A_ADDR ? &A.mgr : &B.mgr;

	ike_mgr_input(m, d->buf, d->len, &d->from, &d->to, now);
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
	"  encap = %s\n local { auth = psk }\n remote { auth = psk }\n"
	"  children { net { local_ts = %s\n remote_ts = %s\n %s\n mode = %s } } } }\n"
	"secrets { ike-c { secret = \"%s\" } }\n";

struct setup {
	const char *ike, *ike_b;        /* ike_b: B's proposals if different */
	const char *child;              /* "esp_proposals = 3des-sha1" */
	const char *aggressive, *mode, *encap;
	const char *psk_b;              /* B's PSK if different */
};

static const char *ts_a = "10.1.0.0/24", *ts_b = "10.2.0.0/16";

static int load(struct side *s, const char *me, const char *peer, const char *ike,
		const struct setup *u, const char *lts, const char *rts, const char *psk)
{
	char text[2048], err[256];

	snprintf(text, sizeof(text), conf_fmt, me, peer, ike, u->aggressive, u->encap, lts,
		 rts, u->child, u->mode, psk);
	return config_load_buffer("test", text, strlen(text), &s->cfg, err, sizeof(err));
}

static void start(const struct setup *u)
{
	memset(&wire, 0, sizeof(wire));
	now = 1000000;
	A.wire = B.wire = &wire;
	CU_ASSERT_EQUAL_FATAL(load(&A, "192.0.2.1", "192.0.2.2", u->ike, u, ts_a, ts_b,
				   "pre-shared secret"), 0);
	CU_ASSERT_EQUAL_FATAL(load(&B, "192.0.2.2", "192.0.2.1", u->ike_b ? u->ike_b : u->ike,
				   u, ts_b, ts_a,
				   u->psk_b ? u->psk_b : "pre-shared secret"), 0);
	ike_mgr_init(&A.mgr, A.cfg, send_cb, &A);
	ike_mgr_init(&B.mgr, B.cfg, send_cb, &B);
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
	{ "mm aes256-sha256-modp2048, esp pfs", { .ike = "aes256-sha256-modp2048",
	  .child = "esp_proposals = aes128-sha1-modp1536", .aggressive = "no",
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
	for (i = 0; i < 8; i++)
		tick(70000);
	CU_ASSERT_PTR_NULL(B.mgr.sas);
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
		{ NULL, NULL },
	};

	fg_log_set_level(getenv("IKE_TEST_LOG") ? FG_LOG_KEYS : FG_LOG_ERROR + 0);
	unit_add_suite("ike", tests);
	return unit_run("unit-ike");
}
