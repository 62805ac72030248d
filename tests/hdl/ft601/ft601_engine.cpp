// ft601 bench: the whole path host library -> usb_stream framing -> FT601
// cycle model -> bridge RTL -> fgate_engine -> back, through the offload API
// (host/offload/offload.h) on a struct fg_device over the rig, compared
// with the soft device (the golden model): ESP 3DES/HMAC-SHA1 packets of
// sizes around the USB packet boundaries, submitted in bursts, encapsulated
// and then decapsulated, with the flags throttling both ways; results must
// be identical byte for byte.
#include "ft601_rig.h"

#include <cstring>
#include <map>

#include <openssl/crypto.h>

extern "C" {
#include "common/err.h"
#include "offload/device.h"
#include "offload/offload.h"
}

namespace ftb {

namespace {

struct RigDev {
	struct fg_device dev;
	Rig *rig;
};

long dev_write(struct fg_device *d, const uint8_t *buf, size_t len)
{
	return usb_stream_write(&((RigDev *)d)->rig->en.s, buf, len);
}

long dev_read(struct fg_device *d, uint8_t *buf, size_t max)
{
	return usb_stream_read(&((RigDev *)d)->rig->en.s, buf, max);
}

// A "millisecond" of the model: up to 2000 cycles, less once results wait.
int dev_poll(struct fg_device *d, int timeout_ms)
{
	Rig *rig = ((RigDev *)d)->rig;

	for (int i = 0; i < 2000 * (timeout_ms > 0 ? 1 : 0) + 50; i++) {
		rig->run(1);
		if (rig->en.s.rx_len)
			break;
	}
	return rig->en.s.err;
}

void dev_close(struct fg_device *) {}

const struct fg_device_ops rig_ops = { dev_write, dev_read, dev_poll, dev_close };

const uint8_t ckey[24] = { 1, 35, 69, 103, 137, 171, 205, 239, 254, 220, 186, 152,
			   118, 84, 50, 16, 137, 171, 205, 239, 1, 35, 69, 103 };
const uint8_t akey[20] = { 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
			   21, 22, 23, 24, 25, 26, 27, 28, 29, 30 };

struct offload_sa esp_sa(uint16_t index, bool inbound)
{
	struct offload_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.index = index;
	sa.inbound = inbound;
	sa.cipher = FGP_CIPHER_TDES_CBC;
	sa.auth = FGP_AUTH_HMAC_SHA1;
	sa.spi = 0x5001;
	sa.seq = 1;
	sa.replay_window = inbound ? 64 : 0;
	memcpy(sa.cipher_key, ckey, 24);
	sa.cipher_key_len = 24;
	memcpy(sa.auth_key, akey, 20);
	sa.auth_key_len = 20;
	return sa;
}

struct Res {
	int status;
	uint32_t aux;
	Bytes data;
};

// Submits the packets (tags 1..n) and collects every result by tag.
int run_batch(struct offload *o, enum fgp_type type, uint16_t sa, const std::vector<Bytes> &pk,
	      std::map<uint32_t, Res> &out)
{
	struct offload_result res[32];
	size_t i = 0;
	unsigned idle = 0;
	int rc;

	while (out.size() < pk.size()) {
		if (idle > 20)          // about 40000 cycles without a result
			return FG_ERR_TIMEOUT;
		while (i < pk.size()) {
			rc = offload_submit(o, type, sa, (uint32_t)(i + 1), 4, pk[i].data(), pk[i].size());
			if (rc == FG_ERR_FULL)
				break;
			if (rc)
				return rc;
			i++;
		}
		rc = offload_collect(o, res, 32, 2000);
		if (rc < 0)
			return rc;
		if (rc == 0 && i == pk.size() && offload_inflight(o) == 0)
			break;
		idle = rc ? 0 : idle + 1;
		for (int k = 0; k < rc; k++)
			out[res[k].tag] = Res{ (int)res[k].status, res[k].aux,
					       Bytes(res[k].data, res[k].data + res[k].len) };
	}
	return 0;
}

int setup(struct offload *o)
{
	struct offload_sa out = esp_sa(1, false), in = esp_sa(2, true);
	int rc = offload_sa_load(o, &out, NULL);

	return rc ? rc : offload_sa_load(o, &in, NULL);
}

size_t payload_size(bench::Bench &b)
{
	static const size_t edges[] = { 0, 1, 7, 8, 455, 463, 464, 471, 480, 487, 488, 496,
					967, 975, 976, 991, 1000, 1456, 1999, 2000, 2040 };
	if (b.chance(60))
		return edges[b.below(sizeof(edges) / sizeof(edges[0]))];
	return b.below(2041);
}

bool compare(bench::Bench &b, const char *what, const std::map<uint32_t, Res> &usb,
	     const std::map<uint32_t, Res> &soft, size_t n)
{
	bool ok = usb.size() == n && soft.size() == n;

	for (const auto &kv : soft) {
		auto it = usb.find(kv.first);
		bool same = it != usb.end() && it->second.status == kv.second.status &&
			    it->second.aux == kv.second.aux && it->second.data == kv.second.data;
		if (!same) {
			b.check(false, "engine over FT601, %s, tag %u: soft status %d aux %u len %zu %s; "
				"usb %s", what, kv.first, kv.second.status, kv.second.aux,
				kv.second.data.size(), bench::hex(kv.second.data).substr(0, 96).c_str(),
				it == usb.end() ? "no result" : bench::hex(it->second.data).substr(0, 96).c_str());
			return false;
		}
	}
	return b.check(ok, "engine over FT601, %s: %zu packets, %zu results from usb, %zu from soft",
		       what, n, usb.size(), soft.size());
}

} // namespace

void test_engine(bench::Bench &b, Rig &rig)
{
	RigDev rd = { { &rig_ops, "ft601-sim" }, &rig };
	struct offload *usb = NULL, *soft = NULL;
	std::vector<Bytes> pk;
	std::map<uint32_t, Res> eu, es, du, ds;
	unsigned n = 8 * b.count;
	ft601::Config thr;
	int rc;

	thr.buffers = 1;
	thr.usb_stall = 30;
	thr.throttle = 10;
	thr.rx_gap_max = 4;
	rig.reset();
	for (unsigned k = 0; k < n; k++) {
		Bytes p = b.bytes(8 + payload_size(b));        // IV | payload
		pk.push_back(p);
	}
	if (!b.check(offload_open_device(&rd.dev, &usb) == 0 && offload_open("soft", NULL, &soft) == 0,
		     "cannot open the offload handles"))
		goto out;
	if (!b.check(setup(usb) == 0 && setup(soft) == 0, "SA_LOAD through the FT601 path failed"))
		goto out;
	b.check(run_batch(soft, FGP_TYPE_ENCAP, 1, pk, es) == 0, "soft ENCAP batch failed");
	rc = run_batch(usb, FGP_TYPE_ENCAP, 1, pk, eu);
	if (!b.check(rc == 0,
		     "ENCAP batch through the FT601 failed (%s): %zu of %u results, %zu in flight, first "
		     "size %zu; engine idle %d; chip %s; stream unsent %zu rx %zu; errors '%s'",
		     fg_err_name(rc), eu.size(), n, offload_inflight(usb), pk[0].size(), rig.top.en_idle,
		     rig.en.model->empty() ? "empty" : "holding data", usb_stream_unsent(&rig.en.s),
		     rig.en.s.rx_len, rig.errors(rig.en).c_str()))
		goto out;
	if (!compare(b, "ENCAP", eu, es, n))
		goto out;
	rig.en.model->config() = thr;
	pk.clear();
	for (const auto &kv : es)
		if (kv.second.data.size() <= FGP_MAX_PAYLOAD)   // the largest ones grew past it
			pk.push_back(kv.second.data);
	b.check(run_batch(soft, FGP_TYPE_DECAP, 2, pk, ds) == 0, "soft DECAP batch failed");
	b.check(run_batch(usb, FGP_TYPE_DECAP, 2, pk, du) == 0,
		"DECAP batch through the throttled FT601 failed");
	compare(b, "DECAP (throttled flags)", du, ds, pk.size());
	b.check(rig.errors(rig.en).empty() && rig.en.model->stats().writes_ignored > 0,
		"engine side: errors '%s', %llu writes refused by TXE_N (want > 0)",
		rig.errors(rig.en).c_str(), (unsigned long long)rig.en.model->stats().writes_ignored);
	printf("ft601: engine over FT601: %u ENCAP + %zu DECAP identical to soft; %llu packets in, "
	       "%llu out\n", n, pk.size(), (unsigned long long)rig.en.model->stats().packets_in,
	       (unsigned long long)rig.en.model->stats().packets_out);
out:
	offload_close(usb);
	offload_close(soft);
	// Also keeps -lcrypto, which the bench link line puts before
	// libfgate.a, from being dropped as unused (--as-needed).
	OPENSSL_cleanse(&rd, 0);
}

} // namespace ftb
