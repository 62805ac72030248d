// engine bench: every status of docs/protocol.md with hand-made packets,
// the counters after them, and the resynchronisation after bad headers.
#include "engine_ctx.h"

#include <vector>

using bench::Bench;

namespace eng {

namespace {

void put32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

// An ESP packet around a plaintext the test chose (padding included, good
// or bad), with a correct ICV.
Bytes esp_raw(Bench &b, const Sa &sa, uint32_t seq, const Bytes &pt)
{
	Bytes out(8);
	Bytes iv = b.bytes(IV_LEN);

	put32(&out[0], sa.spi);
	put32(&out[4], seq);
	Bytes ct = pt;
	if (sa.cipher != FGP_CIPHER_NULL) {
		out.insert(out.end(), iv.begin(), iv.end());
		ct = cbc(sa, true, iv.data(), pt);
	}
	out.insert(out.end(), ct.begin(), ct.end());
	if (sa.auth != FGP_AUTH_NONE) {
		Bytes icv = hmac96(sa, out);
		out.insert(out.end(), icv.begin(), icv.end());
	}
	return out;
}

// A good ESP packet from a peer: data_len bytes, sequence seq.
Bytes esp_good(Bench &b, const Sa &sa, uint32_t seq, size_t data_len)
{
	return esp_packet(sa, seq, esp_payload(b, sa, data_len), 4);
}

Bytes flip(Bytes p, size_t byte, unsigned bit)
{
	p[byte] ^= (uint8_t)(1u << bit);
	return p;
}

// Plaintext data | pad bytes | pad length | next header.
Bytes plaintext(Bench &b, size_t data_len, const Bytes &pad, uint8_t padlen)
{
	Bytes pt = b.bytes(data_len);

	pt.insert(pt.end(), pad.begin(), pad.end());
	pt.push_back(padlen);
	pt.push_back(4);
	return pt;
}

void esp_statuses(Ctx &c)
{
	Bench &b = c.b;
	Sa out = make_sa(b, 60, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_SHA1);
	Sa in = twin(out, 61);
	Sa nin = make_sa(b, 62, true, false, FGP_CIPHER_NULL, FGP_AUTH_HMAC_MD5);
	Sa din = make_sa(b, 65, true, false, FGP_CIPHER_DES_CBC, FGP_AUTH_NONE);
	c.load(out);
	c.load(in);
	c.load(nin);
	c.load(din);

	// AUTH_FAIL: ICV and ciphertext bits; the window must not move.
	Bytes p1 = esp_good(b, in, 1, 40);
	c.packet(c.req(FGP_TYPE_DECAP, 61, flip(p1, p1.size() - 1, 0)), "AUTH_FAIL: ICV bit", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 61, flip(p1, 20, 7)), "AUTH_FAIL: ciphertext bit", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 61, flip(p1, 9, 3)), "AUTH_FAIL: IV bit", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 61, flip(p1, 5, 0)), "AUTH_FAIL: sequence bit", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 61, p1), "good packet after AUTH_FAILs", FGP_STATUS_OK);

	// REPLAY: duplicate, left of the window, 0; the window's edge.
	c.packet(c.req(FGP_TYPE_DECAP, 61, p1), "REPLAY: duplicate", FGP_STATUS_REPLAY);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 100, 16)), "jump to 100", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 36, 16)), "REPLAY: 36 left of the window", FGP_STATUS_REPLAY);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 37, 16)), "37: last in the window", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 37, 16)), "REPLAY: 37 again", FGP_STATUS_REPLAY);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 99, 16)), "99 inside the window", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 0, 16)), "REPLAY: 0", FGP_STATUS_REPLAY);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 0xffffffff, 16)), "jump to 2^32-1", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, in, 150, 16)), "REPLAY: far left", FGP_STATUS_REPLAY);

	// BAD_PAD: wrong pad bytes, pad length too long; the window moved.
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 1, plaintext(b, 3, { 1, 2, 4 }, 3))),
		 "BAD_PAD: pad byte 3 is 4", FGP_STATUS_BAD_PAD);
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 1, plaintext(b, 3, { 1, 2, 3 }, 3))),
		 "REPLAY after BAD_PAD (the window moved)", FGP_STATUS_REPLAY);
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 2, plaintext(b, 2, {}, 3))),
		 "BAD_PAD: pad length 3 > 2 data bytes", FGP_STATUS_BAD_PAD);
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 3, plaintext(b, 0, { 1, 2 }, 2))),
		 "NULL: 0 data bytes, 2 pad bytes", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 4, plaintext(b, 0, { 1, 2, 3, 4, 5, 6 }, 6))),
		 "NULL: only padding", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 5, plaintext(b, 0, { 0, 1, 2, 3, 4, 5 }, 5))),
		 "NULL: pad 5 after a zero byte", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 62, esp_raw(b, nin, 6, plaintext(b, 3, { 2, 2, 3 }, 3))),
		 "BAD_PAD: first pad byte 2", FGP_STATUS_BAD_PAD);
	Bytes big_pad;
	for (unsigned i = 1; i <= 254; i++)
		big_pad.push_back((uint8_t)i);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_raw(b, in, 0xfffffff0, plaintext(b, 0, big_pad, 254))),
		 "3DES: 254 pad bytes", FGP_STATUS_OK);
	big_pad[100] ^= 1;
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_raw(b, in, 0xfffffff1, plaintext(b, 0, big_pad, 254))),
		 "BAD_PAD: 254 pad bytes, one wrong", FGP_STATUS_BAD_PAD);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_raw(b, in, 0xfffffff2, plaintext(b, 6, {}, 255))),
		 "BAD_PAD: pad length 255", FGP_STATUS_BAD_PAD);
	c.packet(c.req(FGP_TYPE_DECAP, 65, esp_raw(b, din, 7, plaintext(b, 12, { 1, 3 }, 2))),
		 "BAD_PAD: DES without ICV", FGP_STATUS_BAD_PAD);
	c.packet(c.req(FGP_TYPE_DECAP, 65, esp_raw(b, din, 8, plaintext(b, 12, { 1, 2 }, 2))),
		 "DES without ICV", FGP_STATUS_OK);

	// NO_SA, WRONG_DIR, SPI_MISMATCH.
	for (uint16_t slot : { 100, 101, 256, 4000, 0xffff }) {
		c.packet(c.req(FGP_TYPE_ENCAP, slot, b.bytes(24), 4), "NO_SA ENCAP", FGP_STATUS_NO_SA);
		c.packet(c.req(FGP_TYPE_DECAP, slot, esp_good(b, in, 7, 8)), "NO_SA DECAP", FGP_STATUS_NO_SA);
	}
	c.packet(c.req(FGP_TYPE_ENCAP, 61, b.bytes(24), 4), "WRONG_DIR: ENCAP on inbound", FGP_STATUS_WRONG_DIR);
	c.packet(c.req(FGP_TYPE_DECAP, 60, esp_good(b, in, 7, 8)), "WRONG_DIR: DECAP on outbound",
		 FGP_STATUS_WRONG_DIR);
	c.packet(c.req(FGP_TYPE_DECAP, 61, esp_good(b, nin, 7, 8)), "SPI_MISMATCH", FGP_STATUS_SPI_MISMATCH);
	Bytes other = esp_good(b, nin, 7, 8);
	c.packet(c.req(FGP_TYPE_DECAP, 61, Bytes(other.begin(), other.begin() + 5)),
		 "SPI_MISMATCH before the length check", FGP_STATUS_SPI_MISMATCH);

	// BAD_LENGTH.
	c.packet(c.req(FGP_TYPE_ENCAP, 60, Bytes(), 4), "BAD_LENGTH: ENCAP without IV", FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_ENCAP, 60, b.bytes(7), 4), "BAD_LENGTH: ENCAP 7-byte IV", FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_ENCAP, 60, b.bytes(8), 4), "ENCAP of IV only", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 61, Bytes(p1.begin(), p1.begin() + 3)), "BAD_LENGTH: no SPI",
		 FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 61, Bytes()), "BAD_LENGTH: empty", FGP_STATUS_BAD_LENGTH);
	Bytes p2 = esp_good(b, in, 300, 40);
	for (size_t cut : { 1, 4, 7, 13 }) {
		Bytes s(p2.begin(), p2.end() - (long)cut);
		c.packet(c.req(FGP_TYPE_DECAP, 61, s), "BAD_LENGTH: cut ESP packet", FGP_STATUS_BAD_LENGTH);
	}
	c.packet(c.req(FGP_TYPE_DECAP, 61, Bytes(p2.begin(), p2.begin() + 8 + 8 + 8 + 11)),
		 "BAD_LENGTH: one byte short of the minimum", FGP_STATUS_BAD_LENGTH);
	Bytes n1 = esp_raw(b, nin, 9, plaintext(b, 2, {}, 0));
	n1.push_back(0);
	c.packet(c.req(FGP_TYPE_DECAP, 62, n1), "BAD_LENGTH: NULL, 5 bytes", FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 62, Bytes(n1.begin(), n1.begin() + 8 + 12 + 3)),
		 "BAD_LENGTH: NULL, 3 bytes", FGP_STATUS_BAD_LENGTH);

	// SEQ_OVERFLOW: 2^32-1 is the last number sent.
	Sa last = make_sa(b, 66, false, false, FGP_CIPHER_DES_CBC, FGP_AUTH_HMAC_MD5);
	last.seq = 0xffffffff;
	c.load(last);
	c.packet(c.req(FGP_TYPE_ENCAP, 66, b.bytes(30), 4), "sequence 2^32-1", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_ENCAP, 66, b.bytes(30), 4), "SEQ_OVERFLOW", FGP_STATUS_SEQ_OVERFLOW);
	c.packet(c.req(FGP_TYPE_ENCAP, 66, b.bytes(3), 4), "BAD_LENGTH before SEQ_OVERFLOW", FGP_STATUS_BAD_LENGTH);
	Sa zero = make_sa(b, 67, false, false, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1);
	zero.seq = 0;
	c.load(zero);
	c.packet(c.req(FGP_TYPE_ENCAP, 67, b.bytes(3), 4), "first sequence 0", FGP_STATUS_OK);

	// TOO_BIG: for a packet on a loaded SA (through its lane) or not.
	c.packet(c.req(FGP_TYPE_ENCAP, 60, b.bytes(FGP_MAX_PAYLOAD + 1), 4), "TOO_BIG 2049", FGP_STATUS_TOO_BIG);
	c.packet(c.req(FGP_TYPE_DECAP, 61, b.bytes(4000)), "TOO_BIG 4000", FGP_STATUS_TOO_BIG);
	c.packet(c.req(FGP_TYPE_ENCAP, 300, b.bytes(2050), 4), "TOO_BIG out of range", FGP_STATUS_TOO_BIG);
	c.packet(c.req(FGP_TYPE_ENCAP, 60, b.bytes(FGP_MAX_PAYLOAD), 4), "2048 bytes", FGP_STATUS_OK);
	Frame big = c.req(FGP_TYPE_CAPS, 0, b.bytes(3000));
	c.call(big, c.result(big, FGP_STATUS_TOO_BIG), "TOO_BIG before a control frame's length check");

	for (uint16_t slot : { 60, 61, 62, 65, 66, 67 })
		c.counters(slot, "COUNTERS after the statuses");
}

void ah_statuses(Ctx &c)
{
	Bench &b = c.b;
	Sa out = make_sa(b, 70, false, true, FGP_CIPHER_NULL, FGP_AUTH_HMAC_MD5);
	Sa in = twin(out, 71);
	c.load(out);
	c.load(in);

	Bytes ip = ip_packet(b, 5, 33);
	Bytes p1 = ah_packet(out, 1, ip, 17);
	c.packet(c.req(FGP_TYPE_DECAP, 71, p1), "AH DECAP", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 71, p1), "AH REPLAY", FGP_STATUS_REPLAY);
	Bytes p2 = ah_packet(out, 2, ip, 17);
	c.packet(c.req(FGP_TYPE_DECAP, 71, flip(p2, 20 + 12, 0)), "AH AUTH_FAIL: ICV", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 71, flip(p2, 8, 0)), "AH AUTH_FAIL: TTL not zeroed", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 71, flip(p2, p2.size() - 1, 5)), "AH AUTH_FAIL: data", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 71, flip(p2, 20 + 2, 0)), "AH AUTH_FAIL: reserved", FGP_STATUS_AUTH_FAIL);
	c.packet(c.req(FGP_TYPE_DECAP, 71, flip(p2, 20 + 1, 0)), "AH BAD_LENGTH: payload length 5",
		 FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 71, flip(p2, 20 + 4, 0)), "AH SPI_MISMATCH", FGP_STATUS_SPI_MISMATCH);
	c.packet(c.req(FGP_TYPE_DECAP, 71, Bytes(p2.begin(), p2.begin() + 28)), "AH BAD_LENGTH: up to the SPI",
		 FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 71, Bytes(p2.begin(), p2.begin() + 27)), "AH BAD_LENGTH: SPI cut",
		 FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 71, Bytes(p2.begin(), p2.begin() + 43)), "AH BAD_LENGTH: ICV cut",
		 FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 71, Bytes(p2.begin(), p2.begin() + 19)), "AH BAD_LENGTH: 19 bytes",
		 FGP_STATUS_BAD_LENGTH);
	Bytes opt = flip(p2, 0, 0);     // IHL 5 -> 4
	c.packet(c.req(FGP_TYPE_DECAP, 71, opt), "AH BAD_LENGTH: IHL 4", FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_DECAP, 71, p2), "AH DECAP after the errors", FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_DECAP, 70, p2), "AH WRONG_DIR", FGP_STATUS_WRONG_DIR);

	c.packet(c.req(FGP_TYPE_ENCAP, 70, Bytes(ip.begin(), ip.begin() + 19), 6), "AH ENCAP BAD_LENGTH: 19",
		 FGP_STATUS_BAD_LENGTH);
	Bytes ihl4 = ip;
	ihl4[0] = 0x44;
	c.packet(c.req(FGP_TYPE_ENCAP, 70, ihl4, 6), "AH ENCAP BAD_LENGTH: IHL 4", FGP_STATUS_BAD_LENGTH);
	Bytes ihl15 = ipv4(5, 40, 51);
	ihl15[0] = 0x4f;
	c.packet(c.req(FGP_TYPE_ENCAP, 70, ihl15, 6), "AH ENCAP BAD_LENGTH: IHL 15 in 20 bytes",
		 FGP_STATUS_BAD_LENGTH);
	c.packet(c.req(FGP_TYPE_ENCAP, 70, Bytes(ip.begin(), ip.begin() + 20), 6), "AH ENCAP header only",
		 FGP_STATUS_OK);
	c.packet(c.req(FGP_TYPE_ENCAP, 71, ip, 6), "AH ENCAP WRONG_DIR", FGP_STATUS_WRONG_DIR);
	Sa last = make_sa(b, 72, false, true, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1);
	last.seq = 0xfffffffe;
	c.load(last);
	for (uint8_t st : { FGP_STATUS_OK, FGP_STATUS_OK, FGP_STATUS_SEQ_OVERFLOW, FGP_STATUS_SEQ_OVERFLOW })
		c.packet(c.req(FGP_TYPE_ENCAP, 72, ip, 6), "AH sequence end", st);
	for (uint16_t slot : { 70, 71, 72 })
		c.counters(slot, "AH COUNTERS after the statuses");
}

} // namespace

void test_statuses(Ctx &c)
{
	esp_statuses(c);
	ah_statuses(c);

	// Unknown types: MALFORMED, payload skipped, next frame fine.
	for (uint8_t t : { 0x00, 0x09, 0x7f, 0x80, 0x85, 0xff }) {
		Frame f = c.req(t, 60, c.b.bytes(c.b.below(100)));
		c.malformed++;
		c.call(f, c.result(f, FGP_STATUS_MALFORMED), "unknown type");
	}
	Frame f = c.req(0x42, 60, c.b.bytes(2100));
	c.call(f, c.result(f, FGP_STATUS_TOO_BIG), "unknown type with too long a payload");
	c.stats("STATS after the statuses");
}

// Bad headers: one ERROR result each, then words are dropped until a word
// that can start a header; the frames after are answered normally.
void test_resync(Ctx &c)
{
	Bench &b = c.b;
	Frame err;
	err.type = FGP_TYPE_ERROR | FGP_RESULT_BIT;
	err.status = FGP_STATUS_MALFORMED;
	err.sa = FGP_SA_NONE;

	struct Case {
		const char *what;
		Bytes garbage;
		unsigned errors, words;   // ERROR results, dropped words
	};
	Bytes badmagic = frame_bytes(c.req(FGP_TYPE_CAPS, 1));
	badmagic[0] = 0xfb;
	Bytes badver = frame_bytes(c.req(FGP_TYPE_STATS, 1));
	badver[1] = 2;
	Bytes toolong = frame_bytes(c.req(FGP_TYPE_CAPS, 1));
	toolong[4] = 0x08;
	toolong[5] = 0x01;                  // LENGTH 2049: not a header in resync
	Bytes lone = { 0xfa, 0x01, 0x05, 0, 0, 0, 0, 0 };
	std::vector<Case> cases = {
		{ "bad MAGIC", badmagic, 1, 2 },
		{ "bad VERSION", badver, 1, 2 },
		{ "zero words", Bytes(40, 0), 1, 5 },
		{ "bad MAGIC then a too-long header", [&] {
			  Bytes g = badmagic;
			  g.insert(g.end(), toolong.begin(), toolong.end());
			  return g;
		  }(), 1, 4 },
	};
	for (auto &k : cases) {
		Frame good = c.req(FGP_TYPE_CAPS, FGP_SA_NONE);
		c.dev.send_raw(k.garbage);
		c.dev.send(good);
		std::vector<Frame> got = c.dev.collect();
		c.malformed += k.errors;
		c.resync += 8 * k.words;
		c.frames_out += k.errors + 1;
		c.frames_in += 1;
		bool ok = c.dev.error.empty() && got.size() == k.errors + 1;
		for (size_t i = 0; ok && i < k.errors; i++)
			ok = same(got[i], err);
		ok = ok && got.back().tag == good.tag && got.back().status == FGP_STATUS_OK;
		b.check(ok, "resync after %s: %s, %zu results", k.what, c.dev.error.c_str(), got.size());
	}

	// A header word that looks good in the middle of garbage is taken: a
	// lone ENCAP word 0 (SA 0, LENGTH 0) takes word 0 of the next frame as
	// its word 1 and gets NO_SA (slot 0 is empty); that frame's word 1 is
	// then a bad header (second ERROR) and its payload is dropped.
	Sa sa = make_sa(b, 80, false, false, FGP_CIPHER_NULL, FGP_AUTH_HMAC_SHA1);
	c.load(sa);
	Bytes g = badmagic;
	g.insert(g.end(), lone.begin(), lone.end());
	c.dev.send_raw(g);
	Frame after = c.req(FGP_TYPE_ENCAP, 80, Bytes(50, 0x11), 4);
	c.dev.send(after);
	std::vector<Frame> got = c.dev.collect();
	c.malformed += 2;
	c.no_sa++;
	c.frames_in++;
	c.frames_out += 3;
	c.resync += 8 * (2 + 1 + (50 + 7) / 8);
	unsigned errors = 0, nosa = 0;
	for (const Frame &r : got) {
		errors += same(r, err);
		nosa += r.type == (FGP_TYPE_ENCAP | FGP_RESULT_BIT) && r.status == FGP_STATUS_NO_SA &&
			r.sa == 0 && r.tag == 0xfa010500;
	}
	b.check(c.dev.error.empty() && got.size() == 3 && errors == 2 && nosa == 1,
		"a lone header word during resync: %s, %zu results", c.dev.error.c_str(), got.size());
	// Still resyncing: the next good frame is found.
	c.packet(c.req(FGP_TYPE_ENCAP, 80, b.bytes(50), 4), "ENCAP after resync", FGP_STATUS_OK);
	c.stats("STATS after the resyncs");
}

// rst in the middle of traffic: everything in flight is lost, the SA table
// and STATS are empty, and frames sent while the table is being wiped are
// answered once it is.
void test_hw_reset(Ctx &c)
{
	Bench &b = c.b;
	Sa sa = make_sa(b, 90, false, false, FGP_CIPHER_TDES_CBC, FGP_AUTH_HMAC_MD5);

	c.load(sa);
	for (int i = 0; i < 5; i++)
		c.dev.send(c.req(FGP_TYPE_ENCAP, 90, b.bytes(1000), 4));
	c.dev.run(3000);
	c.dev.hw_reset();
	c.table.clear();
	c.frames_in = c.frames_out = c.malformed = c.no_sa = c.resync = 0;
	c.packet(c.req(FGP_TYPE_ENCAP, 90, b.bytes(20), 4), "ENCAP right after rst: slot empty", FGP_STATUS_NO_SA);
	c.load(sa);
	c.packet(c.req(FGP_TYPE_ENCAP, 90, b.bytes(20), 4), "ENCAP after rst and SA_LOAD", FGP_STATUS_OK);
	c.stats("STATS after rst");
}

} // namespace eng
