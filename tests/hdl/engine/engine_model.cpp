// engine bench: frames, the fgate_sim driver and the OpenSSL reference
// (see engine_model.h). The reference follows docs/protocol.md step by step;
// the statuses it predicts are checked against the RTL by the bench.
#include "engine_model.h"

#include "../../../sim/fgate_sim.h"

#include <cstdio>
#include <algorithm>
#include <cstring>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/provider.h>

namespace eng {

namespace {

void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void put32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t padded(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

std::string hexs(const Bytes &b)
{
	static const char d[] = "0123456789abcdef";
	std::string s;

	for (uint8_t c : b) {
		s += d[c >> 4];
		s += d[c & 15];
	}
	return s;
}

size_t iv_len(const Sa &sa)
{
	return sa.cipher == FGP_CIPHER_NULL ? 0 : IV_LEN;
}

size_t block_len(const Sa &sa)
{
	return sa.cipher == FGP_CIPHER_NULL ? 4 : 8;
}

size_t icv_len(const Sa &sa)
{
	return sa.auth == FGP_AUTH_NONE ? 0 : ICV_LEN;
}

// RFC 4303 3.4.3 without changing the window.
bool replay_bad(const SaState &st, uint32_t seq)
{
	if (!st.sa.window)
		return false;
	if (seq == 0)
		return true;
	if (seq > st.top)
		return false;
	uint32_t diff = st.top - seq;
	return diff >= st.sa.window || ((st.bitmap >> diff) & 1);
}

void replay_update(SaState &st, uint32_t seq)
{
	if (seq > st.top) {
		uint32_t shift = seq - st.top;
		st.bitmap = shift < 64 ? (st.bitmap << shift) | 1 : 1;
		st.top = seq;
	} else if (st.top - seq < 64) {
		st.bitmap |= 1ull << (st.top - seq);
	}
}

// ---- transforms; each returns a status and fills out / aux / bytes ----

struct Pkt {
	Bytes out;
	uint32_t aux = 0;
	uint64_t bytes = 0;
};

uint8_t esp_encap(SaState &st, const Bytes &in, uint8_t nh, Pkt &p)
{
	const Sa &sa = st.sa;

	if (in.size() < iv_len(sa))
		return FGP_STATUS_BAD_LENGTH;
	if (st.next_seq > 0xffffffffull)
		return FGP_STATUS_SEQ_OVERFLOW;
	p.out = esp_packet(sa, (uint32_t)st.next_seq, in, nh);
	p.aux = (uint32_t)st.next_seq++;
	p.bytes = in.size() - iv_len(sa);
	return FGP_STATUS_OK;
}

uint8_t esp_decap(SaState &st, const Bytes &in, Pkt &p)
{
	const Sa &sa = st.sa;
	size_t ivl = iv_len(sa), blk = block_len(sa), icvl = icv_len(sa), len = in.size();

	if (len < 4)
		return FGP_STATUS_BAD_LENGTH;
	if (get32(in.data()) != sa.spi)
		return FGP_STATUS_SPI_MISMATCH;
	if (len < 8 + ivl + blk + icvl || (len - 8 - ivl - icvl) % blk)
		return FGP_STATUS_BAD_LENGTH;
	uint32_t seq = get32(in.data() + 4);
	if (replay_bad(st, seq))
		return FGP_STATUS_REPLAY;
	if (icvl) {
		Bytes covered(in.begin(), in.end() - (long)icvl);
		Bytes icv = hmac96(sa, covered);
		if (memcmp(icv.data(), in.data() + len - icvl, icvl) != 0)
			return FGP_STATUS_AUTH_FAIL;
	}
	replay_update(st, seq);
	Bytes ct(in.begin() + 8 + (long)ivl, in.end() - (long)icvl);
	Bytes pt = sa.cipher == FGP_CIPHER_NULL ? ct : cbc(sa, false, in.data() + 8, ct);
	size_t n = pt.size(), padlen = pt[n - 2];
	if (padlen > n - 2)
		return FGP_STATUS_BAD_PAD;
	for (size_t i = 0; i < padlen; i++)
		if (pt[n - 2 - padlen + i] != (uint8_t)(i + 1))
			return FGP_STATUS_BAD_PAD;
	p.out.assign(pt.begin(), pt.begin() + (long)(n - 2 - padlen));
	p.aux = pt[n - 1];
	p.bytes = p.out.size();
	return FGP_STATUS_OK;
}

size_t ip_hdr_len(const Bytes &in)
{
	if (in.size() < 20)
		return 0;
	size_t ihl = (size_t)(in[0] & 15) * 4;
	return ihl >= 20 && ihl <= in.size() ? ihl : 0;
}

uint8_t ah_encap(SaState &st, const Bytes &in, uint8_t nh, Pkt &p)
{
	if (!ip_hdr_len(in))
		return FGP_STATUS_BAD_LENGTH;
	if (st.next_seq > 0xffffffffull)
		return FGP_STATUS_SEQ_OVERFLOW;
	p.out = ah_packet(st.sa, (uint32_t)st.next_seq, in, nh);
	p.aux = (uint32_t)st.next_seq++;
	p.bytes = in.size();
	return FGP_STATUS_OK;
}

uint8_t ah_decap(SaState &st, const Bytes &in, Pkt &p)
{
	size_t ihl = ip_hdr_len(in), len = in.size();

	if (!ihl || len < ihl + 8)
		return FGP_STATUS_BAD_LENGTH;
	if (get32(&in[ihl + 4]) != st.sa.spi)
		return FGP_STATUS_SPI_MISMATCH;
	if (len < ihl + 24 || in[ihl + 1] != 4)
		return FGP_STATUS_BAD_LENGTH;
	uint32_t seq = get32(&in[ihl + 8]);
	if (replay_bad(st, seq))
		return FGP_STATUS_REPLAY;
	Bytes covered = in;
	memset(&covered[ihl + 12], 0, ICV_LEN);
	Bytes icv = hmac96(st.sa, covered);
	if (memcmp(icv.data(), &in[ihl + 12], ICV_LEN) != 0)
		return FGP_STATUS_AUTH_FAIL;
	replay_update(st, seq);
	p.out.assign(in.begin(), in.begin() + (long)ihl);
	p.out.insert(p.out.end(), in.begin() + (long)ihl + 24, in.end());
	p.aux = in[ihl];
	p.bytes = p.out.size();
	return FGP_STATUS_OK;
}

void count(SaState &st, uint8_t status, uint64_t bytes)
{
	switch (status) {
	case FGP_STATUS_OK:
		st.packets++;
		st.bytes += bytes;
		break;
	case FGP_STATUS_AUTH_FAIL:
		st.auth_fail++;
		break;
	case FGP_STATUS_REPLAY:
		st.replay++;
		break;
	case FGP_STATUS_BAD_PAD:
		st.bad_pad++;
		break;
	default:
		st.other_err++;
		break;
	}
}

} // namespace

// ---------------------------------------------------------------- frames

Bytes frame_bytes(const Frame &f, bool force_length)
{
	size_t len = force_length ? f.length : f.payload.size();
	Bytes b(HDR + padded(f.payload.size()), 0);

	b[0] = FGP_MAGIC;
	b[1] = FGP_VERSION;
	b[2] = f.type;
	b[3] = f.status;
	put16(&b[4], (uint16_t)len);
	put16(&b[6], f.sa);
	put32(&b[8], f.tag);
	put32(&b[12], f.aux);
	if (!f.payload.empty())
		memcpy(&b[HDR], f.payload.data(), f.payload.size());
	return b;
}

std::string describe(const Frame &f)
{
	char h[128];

	snprintf(h, sizeof(h), "type 0x%02x status %s sa %u tag %u aux 0x%08x len %zu payload ",
		 f.type, fgp_status_name(f.status), f.sa, f.tag, f.aux, f.payload.size());
	return h + hexs(f.payload);
}

bool same(const Frame &a, const Frame &b)
{
	return a.type == b.type && a.status == b.status && a.sa == b.sa && a.tag == b.tag &&
	       a.aux == b.aux && a.payload == b.payload;
}

bool parse_frames(const Bytes &s, size_t *head, std::vector<Frame> &out, std::string &err)
{
	while (s.size() - *head >= HDR) {
		const uint8_t *h = &s[*head];
		size_t len = get16(h + 4), total = HDR + padded(len);

		if (h[0] != FGP_MAGIC || h[1] != FGP_VERSION) {
			err = "result frame with a bad MAGIC/VERSION: " +
			      hexs(Bytes(h, h + std::min<size_t>(s.size() - *head, 48)));
			return false;
		}
		if (s.size() - *head < total)
			break;
		Frame f;
		f.type = h[2];
		f.status = h[3];
		f.length = (uint16_t)len;
		f.sa = get16(h + 6);
		f.tag = get32(h + 8);
		f.aux = get32(h + 12);
		f.payload.assign(h + HDR, h + HDR + len);
		for (size_t i = HDR + len; i < total; i++)
			if (h[i]) {
				err = "result frame with non-zero padding: " + describe(f);
				return false;
			}
		out.push_back(f);
		*head += total;
	}
	return true;
}

// ---------------------------------------------------------------- SAs

Bytes Sa::layout() const
{
	Bytes b(FGP_SA_SIZE, 0);

	b[FGP_SA_FLAGS_OFF] = flags;
	b[FGP_SA_CIPHER_OFF] = cipher;
	b[FGP_SA_AUTH_OFF] = auth;
	b[FGP_SA_RESERVED_OFF] = rsv[0];
	put32(&b[FGP_SA_SPI_OFF], spi);
	put32(&b[FGP_SA_SEQ_OFF], seq);
	put16(&b[FGP_SA_REPLAY_WINDOW_OFF], window);
	b[FGP_SA_RESERVED2_OFF] = rsv[1];
	b[FGP_SA_RESERVED2_OFF + 1] = rsv[2];
	memcpy(&b[FGP_SA_CIPHER_KEY_OFF], ckey, sizeof(ckey));
	memcpy(&b[FGP_SA_AUTH_KEY_OFF], akey, sizeof(akey));
	b[FGP_SA_RESERVED3_OFF + 3] = rsv[3];
	return b;
}

std::string Sa::name() const
{
	char s[96];

	snprintf(s, sizeof(s), "slot %u %s %s %s/%s spi 0x%08x seq %u win %u", slot,
		 inbound() ? "in" : "out", ah() ? "AH" : "ESP", fgp_cipher_name(cipher),
		 fgp_auth_name(auth), spi, seq, window);
	return s;
}

Bytes SaState::counters() const
{
	Bytes b(FGP_CNT_SIZE, 0);

	put64(&b[FGP_CNT_PACKETS_OFF], packets);
	put64(&b[FGP_CNT_BYTES_OFF], bytes);
	put32(&b[FGP_CNT_AUTH_FAIL_OFF], auth_fail);
	put32(&b[FGP_CNT_REPLAY_OFF], replay);
	put32(&b[FGP_CNT_BAD_PAD_OFF], bad_pad);
	put32(&b[FGP_CNT_OTHER_ERR_OFF], other_err);
	put32(&b[FGP_CNT_SEQ_OFF], sa.inbound() ? top : (uint32_t)(next_seq - 1));
	return b;
}

// ---------------------------------------------------------------- OpenSSL

bool crypto_init()
{
	static bool done, ok;

	if (!done) {
		done = true;
		ok = OSSL_PROVIDER_load(NULL, "legacy") && OSSL_PROVIDER_load(NULL, "default");
	}
	return ok;
}

Bytes hmac96(const Sa &sa, const Bytes &msg)
{
	const EVP_MD *md = sa.auth == FGP_AUTH_HMAC_MD5 ? EVP_md5() : EVP_sha1();
	int keylen = sa.auth == FGP_AUTH_HMAC_MD5 ? 16 : 20;
	uint8_t out[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	HMAC(md, sa.akey, keylen, msg.data(), msg.size(), out, &n);
	return Bytes(out, out + ICV_LEN);
}

Bytes cbc(const Sa &sa, bool encrypt, const uint8_t *iv, const Bytes &in)
{
	bool des = sa.cipher == FGP_CIPHER_DES_CBC;
	EVP_CIPHER *ci = EVP_CIPHER_fetch(NULL, des ? "DES-CBC" : "DES-EDE3-CBC", NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	Bytes out(in.size() + 8);
	int n = 0, m = 0;
	bool ok = ci && ctx && EVP_CipherInit_ex(ctx, ci, NULL, sa.ckey, iv, encrypt) &&
		  EVP_CIPHER_CTX_set_padding(ctx, 0) &&
		  EVP_CipherUpdate(ctx, out.data(), &n, in.data(), (int)in.size()) &&
		  EVP_CipherFinal_ex(ctx, out.data() + n, &m);

	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ci);
	if (!ok) {
		fprintf(stderr, "engine: OpenSSL CBC failed\n");
		exit(2);
	}
	out.resize(in.size());
	return out;
}

Bytes esp_packet(const Sa &sa, uint32_t seq, const Bytes &in, uint8_t nh)
{
	size_t ivl = iv_len(sa), blk = block_len(sa);
	size_t n = in.size() - ivl, pad = (blk - (n + 2) % blk) % blk;
	Bytes pt(in.begin() + (long)ivl, in.end());
	Bytes out(8);

	for (size_t i = 1; i <= pad; i++)
		pt.push_back((uint8_t)i);
	pt.push_back((uint8_t)pad);
	pt.push_back(nh);
	put32(&out[0], sa.spi);
	put32(&out[4], seq);
	out.insert(out.end(), in.begin(), in.begin() + (long)ivl);
	Bytes ct = sa.cipher == FGP_CIPHER_NULL ? pt : cbc(sa, true, in.data(), pt);
	out.insert(out.end(), ct.begin(), ct.end());
	if (icv_len(sa)) {
		Bytes icv = hmac96(sa, out);
		out.insert(out.end(), icv.begin(), icv.end());
	}
	return out;
}

Bytes ah_packet(const Sa &sa, uint32_t seq, const Bytes &ip, uint8_t nh)
{
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	Bytes out(ip.begin(), ip.begin() + (long)ihl);
	uint8_t ah[24] = { nh, 4 };

	put32(ah + 4, sa.spi);
	put32(ah + 8, seq);
	out.insert(out.end(), ah, ah + 24);
	out.insert(out.end(), ip.begin() + (long)ihl, ip.end());
	Bytes icv = hmac96(sa, out);
	memcpy(&out[ihl + 12], icv.data(), ICV_LEN);
	return out;
}

Frame expect_packet(SaState *st, const Frame &req)
{
	Frame r;
	Pkt p;
	uint8_t status;
	bool encap = req.type == FGP_TYPE_ENCAP;

	r.type = req.type | FGP_RESULT_BIT;
	r.sa = req.sa;
	r.tag = req.tag;
	if (req.payload.size() > FGP_MAX_PAYLOAD) {
		r.status = FGP_STATUS_TOO_BIG;
		return r;
	}
	if (!st) {
		r.status = FGP_STATUS_NO_SA;
		return r;
	}
	if (st->sa.inbound() == encap)
		status = FGP_STATUS_WRONG_DIR;
	else if (st->sa.ah())
		status = encap ? ah_encap(*st, req.payload, (uint8_t)req.aux, p) : ah_decap(*st, req.payload, p);
	else
		status = encap ? esp_encap(*st, req.payload, (uint8_t)req.aux, p) : esp_decap(*st, req.payload, p);
	count(*st, status, p.bytes);
	r.status = status;
	if (status == FGP_STATUS_OK) {
		r.payload = p.out;
		r.aux = p.aux;
	}
	return r;
}

Bytes ipv4(unsigned ihl, size_t total, uint8_t proto)
{
	Bytes h(ihl * 4, 0);

	h[0] = (uint8_t)(0x40 | ihl);
	put16(&h[2], (uint16_t)total);
	h[9] = proto;
	put32(&h[12], 0x0a000001);
	put32(&h[16], 0x0a000002);
	return h;
}

// ---------------------------------------------------------------- device

Dev::Dev() : sim_(fgate_sim_open(nullptr)) {}

Dev::~Dev()
{
	fgate_sim_close(sim_);
}

void Dev::send(const Frame &f, bool force_length)
{
	send_raw(frame_bytes(f, force_length));
}

void Dev::send_raw(const Bytes &b)
{
	fgate_sim_write(sim_, b.data(), b.size());
}

void Dev::drain()
{
	uint8_t buf[4096];
	long n;

	while ((n = fgate_sim_read(sim_, buf, sizeof(buf))) > 0)
		rx_.insert(rx_.end(), buf, buf + n);
}

bool Dev::parse(std::vector<Frame> &out)
{
	drain();
	if (!parse_frames(rx_, &rx_head_, out, error))
		return false;
	if (rx_head_ == rx_.size()) {
		rx_.clear();
		rx_head_ = 0;
	}
	return true;
}

std::vector<Frame> Dev::collect(uint64_t limit)
{
	std::vector<Frame> out;

	fgate_sim_run(sim_, limit);
	if (!fgate_sim_idle(sim_))
		error = "engine not idle after the cycle limit (hang?)";
	parse(out);
	for (Frame &f : out)
		f.cycle = fgate_sim_cycles(sim_);
	return out;
}

std::vector<Frame> Dev::collect_timed(size_t n, uint64_t limit)
{
	std::vector<Frame> out;
	uint64_t start = fgate_sim_cycles(sim_);

	while (out.size() < n) {
		size_t before = out.size();
		if (fgate_sim_run(sim_, 1) == 0 || fgate_sim_cycles(sim_) - start > limit) {
			error = "engine went idle or hung before every result came";
			break;
		}
		if (!parse(out))
			break;
		for (size_t i = before; i < out.size(); i++)
			out[i].cycle = fgate_sim_cycles(sim_);
	}
	return out;
}

Frame Dev::call(const Frame &f)
{
	send(f);
	std::vector<Frame> r = collect();
	if (r.size() != 1) {
		if (error.empty())
			error = "expected one result, got " + std::to_string(r.size());
		return Frame();
	}
	return r[0];
}

void Dev::stalls(unsigned in_pct, unsigned out_pct, uint64_t seed)
{
	fgate_sim_set_stalls(sim_, in_pct, out_pct, seed);
}

void Dev::hw_reset()
{
	fgate_sim_reset(sim_);
	rx_.clear();
	rx_head_ = 0;
}

void Dev::run(uint64_t n)
{
	fgate_sim_run(sim_, n);
}

uint64_t Dev::cycles() const
{
	return fgate_sim_cycles(sim_);
}

} // namespace eng
