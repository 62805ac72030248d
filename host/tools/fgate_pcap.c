/*
 * fgate-pcap: protect or unprotect the IPv4 packets of a pcap file with one
 * ESP or AH SA through any offload backend.
 *
 *   fgate-pcap [--offload BACKEND] --sa SPEC (--encrypt|--decrypt)
 *              [--iv-seed N] [--log LEVEL] IN.pcap OUT.pcap
 *
 * SPEC: see sa_spec.h. Input: linktype raw IP (LINKTYPE_RAW 101 or
 * LINKTYPE_IPV4 228), Ethernet (VLAN tags skipped) or Linux cooked capture;
 * output: LINKTYPE_RAW, each packet with its input packet's timestamp, in
 * input order. Up to OFFLOAD_INFLIGHT_MAX packets are at the device at
 * once. Prints the count of each outcome; exits 0 when every packet came
 * out (or was skipped: not IPv4, NAT-keepalive, IKE), 1 when one failed or
 * the device failed, 2 for a bad command line, SPEC or file.
 */
#include <getopt.h>
#include <stddef.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/crypto.h"
#include "offload/offload.h"
#include "tools/pcap_xform.h"
#include "tools/sa_spec.h"

enum {
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	WINDOW = OFFLOAD_INFLIGHT_MAX,  /* packets between read and write */
	COLLECT_BATCH = 64,
	COLLECT_TIMEOUT_MS = 60000,    /* a simulated device is slow; a hung one is not */
	SA_SLOT = 0,
	SNAPLEN = 65535,
	ETH_HDR = 14,
	VLAN_TAG = 4,
	SLL_HDR = 16,
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_QINQ = 0x88a8,
};

struct opts {
	const char *backend, *in, *out;
	char *spec_text;
	bool encrypt, decrypt, seeded;
	unsigned long long seed;
	enum fg_log_level level;
};

/* The pipeline: a ring of WINDOW packets, head (oldest not yet written) to
 * next (next to read); packet i lives in ring[i % WINDOW]. */
struct run {
	struct offload *o;
	pcap_t *in;
	const char *in_name;
	pcap_dumper_t *dump;
	int linktype;
	struct xform *x;
	struct xform_pkt *ring;
	struct pcap_pkthdr *ts;         /* per ring slot: the input's pcap header */
	uint32_t head, next;
	unsigned long counts[XFORM_OUTCOME_END];
	unsigned long in_pkts, out_pkts;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: fgate-pcap [--offload soft|sim|sim-ft601|usb] --sa SPEC"
			" (--encrypt|--decrypt) [--iv-seed N] [--log error|warn|info|debug]"
			" IN.pcap OUT.pcap\n");
}

static int parse_opts(int argc, char **argv, struct opts *op)
{
	static const struct option longs[] = {
		{ "offload", required_argument, NULL, 'o' },
		{ "sa", required_argument, NULL, 's' },
		{ "encrypt", no_argument, NULL, 'e' },
		{ "decrypt", no_argument, NULL, 'd' },
		{ "iv-seed", required_argument, NULL, 'i' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(op, 0, sizeof(*op));
	op->backend = "soft";
	op->level = FG_LOG_WARN;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'o': op->backend = optarg; break;
		case 's': op->spec_text = optarg; break;
		case 'e': op->encrypt = true; break;
		case 'd': op->decrypt = true; break;
		case 'i':
			op->seeded = true;
			op->seed = strtoull(optarg, &end, 0);
			if (!*optarg || *end || *optarg == '-') {
				fprintf(stderr, "fgate-pcap: --iv-seed: \"%s\" is not a number\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'l':
			if (fg_log_level_parse(optarg, &op->level)) {
				fprintf(stderr, "fgate-pcap: --log: \"%s\" is not error, warn, info"
					" or debug\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!op->spec_text || op->encrypt == op->decrypt || argc - optind != 2) {
		fprintf(stderr, "fgate-pcap: %s (--help for usage)\n",
			!op->spec_text ? "--sa SPEC is required" :
			op->encrypt == op->decrypt ? "give exactly one of --encrypt and --decrypt" :
			"give IN.pcap and OUT.pcap");
		return EXIT_USAGE;
	}
	op->in = argv[optind];
	op->out = argv[optind + 1];
	return 0;
}

/* Offset of the IPv4 header in a captured frame, or -1 to skip the frame
 * (not IPv4), or -2 when it is too short for its link header. */
static long l3_offset(int linktype, const uint8_t *f, size_t len)
{
	size_t off;
	unsigned type;

	switch (linktype) {
	case DLT_RAW:
	case DLT_IPV4:
		return 0;
	case DLT_LINUX_SLL:
		if (len < SLL_HDR)
			return -2;
		return (f[14] << 8 | f[15]) == ETHERTYPE_IPV4 ? SLL_HDR : -1;
	}
	/* DLT_EN10MB, with up to two VLAN tags. */
	if (len < ETH_HDR)
		return -2;
	off = 12;
	type = (unsigned)(f[off] << 8 | f[off + 1]);
	while ((type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && off < 12 + 2 * VLAN_TAG) {
		off += VLAN_TAG;
		if (len < off + 2)
			return -2;
		type = (unsigned)(f[off] << 8 | f[off + 1]);
	}
	return type == ETHERTYPE_IPV4 ? (long)off + 2 : -1;
}

/* Reads one packet into ring slot next and submits it (or settles it at
 * once). Returns 1 when a packet was read, 0 at the end of the file, or a
 * negative fg_err (logged). */
static int feed(struct run *r)
{
	struct pcap_pkthdr *h;
	const uint8_t *f, *req;
	struct xform_pkt *p = &r->ring[r->next % WINDOW];
	size_t req_len;
	uint8_t nh;
	long off;
	int rc;

	rc = pcap_next_ex(r->in, &h, &f);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		fg_err("fgate-pcap: %s: reading packet %u: %s", r->in_name, r->next + 1,
		       pcap_geterr(r->in));
		return FG_ERR_IO;
	}
	r->in_pkts++;
	r->ts[r->next % WINDOW] = *h;
	off = l3_offset(r->linktype, f, h->caplen);
	if (off < 0) {
		memset(p, 0, offsetof(struct xform_pkt, out));
		p->index = r->next;
		p->outcome = off == -1 ? XFORM_SKIPPED : FGP_STATUS_BAD_LENGTH;
		r->next++;
		return 1;
	}
	rc = xform_prepare(r->x, p, r->next, f + off, h->caplen - (size_t)off, &req, &req_len, &nh);
	if (rc) {
		fg_err("fgate-pcap: packet %u: %s", r->next + 1, fg_err_name(rc));
		return rc;
	}
	if (p->outcome == XFORM_PENDING) {
		rc = offload_submit(r->o, r->x->decrypt ? FGP_TYPE_DECAP : FGP_TYPE_ENCAP, SA_SLOT,
				    r->next, nh, req, req_len);
		if (rc == FG_ERR_RANGE) {
			p->outcome = FGP_STATUS_TOO_BIG;
		} else if (rc) {
			fg_err("fgate-pcap: packet %u: submit to %s failed: %s", r->next + 1,
			       offload_backend(r->o), fg_err_name(rc));
			return rc;
		}
	}
	r->next++;
	return 1;
}

/* Waits for results and settles their packets. */
static int collect(struct run *r)
{
	struct offload_result res[COLLECT_BATCH];
	struct xform_pkt *p;
	int n, i;

	n = offload_collect(r->o, res, COLLECT_BATCH, COLLECT_TIMEOUT_MS);
	if (n < 0) {
		fg_err("fgate-pcap: collecting results from %s: %s", offload_backend(r->o),
		       fg_err_name(n));
		return n;
	}
	if (n == 0) {
		fg_err("fgate-pcap: %s returned no result within %d ms (%zu packets in flight)",
		       offload_backend(r->o), COLLECT_TIMEOUT_MS, offload_inflight(r->o));
		return FG_ERR_TIMEOUT;
	}
	for (i = 0; i < n; i++) {
		p = &r->ring[res[i].tag % WINDOW];
		if (res[i].tag - r->head >= r->next - r->head || p->index != res[i].tag ||
		    p->outcome != XFORM_PENDING) {
			fg_warn("fgate-pcap: %s answered tag %u, which is not in flight: dropped",
				offload_backend(r->o), res[i].tag);
			continue;
		}
		xform_finish(r->x, p, &res[i]);
	}
	return 0;
}

/* Writes the settled packets at the head of the ring, in input order. */
static void flush(struct run *r)
{
	struct xform_pkt *p;
	struct pcap_pkthdr h;

	while (r->head != r->next) {
		p = &r->ring[r->head % WINDOW];
		if (p->outcome == XFORM_PENDING)
			return;
		r->counts[p->outcome]++;
		if (xform_outcome_failed(p->outcome))
			fg_info("fgate-pcap: packet %u: %s", p->index + 1,
				xform_outcome_name(p->outcome));
		if (p->outcome == FGP_STATUS_OK) {
			h = r->ts[r->head % WINDOW];
			h.caplen = h.len = (bpf_u_int32)p->out_len;
			pcap_dump((u_char *)r->dump, &h, p->out);
			r->out_pkts++;
		}
		r->head++;
	}
}

static int pipeline(struct run *r)
{
	bool eof = false;
	int rc;

	while (!eof || r->head != r->next) {
		while (!eof && r->next - r->head < WINDOW) {
			rc = feed(r);
			if (rc < 0)
				return rc;
			eof = rc == 0;
		}
		flush(r);
		if (r->head != r->next) {
			rc = collect(r);
			if (rc)
				return rc;
			flush(r);
		}
	}
	return 0;
}

/* Loads the SA (keys wiped from every copy afterwards). */
static int load_sa(struct offload *o, struct sa_spec *spec, bool inbound)
{
	struct offload_caps caps;
	struct offload_sa sa;
	enum fgp_status st = FGP_STATUS_OK;
	int rc;

	rc = offload_caps(o, &caps);
	if (rc)
		goto out;
	if (inbound && spec->replay > caps.replay_max) {
		fprintf(stderr, "fgate-pcap: --sa: replay: window %u above the %s device's"
			" maximum %u\n", spec->replay, offload_backend(o), caps.replay_max);
		rc = FG_ERR_RANGE;
		goto out;
	}
	sa_spec_offload(spec, inbound, SA_SLOT, &sa);
	rc = offload_sa_load(o, &sa, &st);
	crypto_wipe(&sa, sizeof(sa));
	if (rc)
		fprintf(stderr, "fgate-pcap: --sa: the %s device refused the SA: %s\n",
			offload_backend(o), fgp_status_name(st));
out:
	crypto_wipe(spec->cipher_key, sizeof(spec->cipher_key));
	crypto_wipe(spec->auth_key, sizeof(spec->auth_key));
	return rc;
}

static void report(const struct run *r)
{
	int i;

	printf("fgate-pcap: %lu packets in, %lu out:", r->in_pkts, r->out_pkts);
	printf(" OK %lu", r->counts[FGP_STATUS_OK]);
	for (i = 1; i < XFORM_OUTCOME_END; i++)
		if (r->counts[i])
			printf(", %s %lu", xform_outcome_name(i), r->counts[i]);
	printf("\n");
}

/* libpcap's message without the "FILE: " it may start with. */
static const char *without_name(const char *msg, const char *file)
{
	size_t n = strlen(file);

	return !strncmp(msg, file, n) && !strncmp(msg + n, ": ", 2) ? msg + n + 2 : msg;
}

static int open_files(struct run *r, const struct opts *op)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *dead;

	r->in_name = op->in;
	r->in = pcap_open_offline(op->in, errbuf);
	if (!r->in) {
		fprintf(stderr, "fgate-pcap: %s: %s\n", op->in, without_name(errbuf, op->in));
		return FG_ERR_IO;
	}
	r->linktype = pcap_datalink(r->in);
	if (r->linktype != DLT_RAW && r->linktype != DLT_IPV4 && r->linktype != DLT_EN10MB &&
	    r->linktype != DLT_LINUX_SLL) {
		fprintf(stderr, "fgate-pcap: %s: link type %s is not raw IPv4, Ethernet or"
			" Linux cooked\n", op->in, pcap_datalink_val_to_name(r->linktype));
		return FG_ERR_UNSUPP;
	}
	dead = pcap_open_dead(DLT_RAW, SNAPLEN);
	if (!dead) {
		fprintf(stderr, "fgate-pcap: %s: cannot make a pcap handle\n", op->out);
		return FG_ERR_NOMEM;
	}
	r->dump = pcap_dump_open(dead, op->out);
	if (!r->dump) {
		fprintf(stderr, "fgate-pcap: %s: %s\n", op->out,
			without_name(pcap_geterr(dead), op->out));
		pcap_close(dead);
		return FG_ERR_IO;
	}
	/* The dumper keeps what it needs from dead. */
	pcap_close(dead);
	return 0;
}

int main(int argc, char **argv)
{
	struct run r;
	struct opts op;
	struct sa_spec spec;
	char err[SA_SPEC_ERR_MAX];
	int rc, status = EXIT_USAGE, i;
	bool bad_sa;

	memset(&r, 0, sizeof(r));
	memset(&spec, 0, sizeof(spec));
	rc = parse_opts(argc, argv, &op);
	if (rc)
		return rc;
	fg_log_set_level(op.level);
	rc = sa_spec_parse(op.spec_text, &spec, err, sizeof(err));
	/* The keys are in spec now: keep them out of ps(1). */
	crypto_wipe(op.spec_text, strlen(op.spec_text));
	if (rc) {
		fprintf(stderr, "fgate-pcap: --sa: %s\n", err);
		goto out;
	}
	r.x = calloc(1, sizeof(*r.x));
	r.ring = calloc(WINDOW, sizeof(*r.ring));
	r.ts = calloc(WINDOW, sizeof(*r.ts));
	if (!r.x || !r.ring || !r.ts) {
		fprintf(stderr, "fgate-pcap: out of memory\n");
		status = EXIT_FAILED;
		goto out;
	}
	sa_spec_wire(&spec, &r.x->cfg);
	r.x->decrypt = op.decrypt;
	r.x->has_iv = !spec.ah && spec.cipher != FGP_CIPHER_NULL;
	r.x->seeded = op.seeded;
	for (i = 0; i < 8; i++)
		r.x->seed[i] = (uint8_t)(op.seed >> (56 - 8 * i));
	if (open_files(&r, &op))
		goto out;
	status = EXIT_FAILED;
	rc = offload_open(op.backend, NULL, &r.o);
	if (rc) {
		if (rc == FG_ERR_NOTFOUND || rc == FG_ERR_INVAL)
			status = EXIT_USAGE;
		fprintf(stderr, "fgate-pcap: --offload %s: cannot open the backend: %s\n",
			op.backend, fg_err_name(rc));
		goto out;
	}
	rc = load_sa(r.o, &spec, op.decrypt);
	if (rc) {
		/* The SA itself is wrong for this device: a usage error. */
		bad_sa = rc == FG_ERR_RANGE || rc == FG_ERR_INVAL || rc == FG_ERR_UNSUPP;
		status = bad_sa ? EXIT_USAGE : EXIT_FAILED;
		goto out;
	}
	rc = pipeline(&r);
	report(&r);
	status = rc || r.out_pkts + r.counts[XFORM_SKIPPED] != r.in_pkts ? EXIT_FAILED : 0;
out:
	sa_spec_wipe(&spec);
	offload_close(r.o);
	if (r.dump)
		pcap_dump_close(r.dump);
	if (r.in)
		pcap_close(r.in);
	free(r.ts);
	free(r.ring);
	free(r.x);
	return status;
}
