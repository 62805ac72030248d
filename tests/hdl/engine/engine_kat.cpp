// engine bench: known answers through the device. The RFC 2202 HMAC
// vectors (tests/vectors/hmac-sha1.txt, hmac-md5.txt) whose key fits the
// SA layout (20 bytes SHA-1, 16 MD5; shorter keys are zero-padded, which
// HMAC does anyway) and whose message is at least 12 bytes and 8 + a
// multiple of 4 long are sent as ESP NULL DECAP packets msg || mac96 on an
// inbound SA with SPI = msg[0..3]: the device must verify the ICV (then the
// result is OK or BAD_PAD, as the message's last bytes read as a trailer),
// and refuse the same packet with one ICV bit flipped (AUTH_FAIL). This
// checks the SA_LOAD key setup (istate/ostate) and the HMAC path against
// the published values, not against OpenSSL.
#include "engine_ctx.h"
#include "vectors.h"

using bench::Bench;
using bench::hex;

namespace eng {

namespace {

// ESP trailer check of docs/protocol.md DECAP step 6 on plaintext pt.
bool pad_ok(const Bytes &pt)
{
	size_t n = pt.size(), padlen = pt[n - 2];

	if (padlen > n - 2)
		return false;
	for (size_t i = 0; i < padlen; i++)
		if (pt[n - 2 - padlen + i] != (uint8_t)(i + 1))
			return false;
	return true;
}

// The device's status must be the vector's (the OpenSSL reference is
// checked too, and must agree).
void kat_packet(Ctx &c, uint16_t slot, const Bytes &pkt, uint8_t want, const std::string &what)
{
	auto it = c.table.find(slot);
	Frame f = c.req(FGP_TYPE_DECAP, slot, pkt);
	Frame ref = expect_packet(&it->second, f);
	Frame got = c.dev.call(f);

	c.frames_in++;
	c.frames_out++;
	c.b.check(c.dev.error.empty() && got.status == want, "%s: device says %s, the vector %s (packet %s)",
		  what.c_str(), fgp_status_name(got.status), fgp_status_name(want), hex(pkt).c_str());
	c.b.check(same(got, ref), "%s: device and OpenSSL reference differ\n  reference %s\n  device    %s",
		  what.c_str(), describe(ref).c_str(), describe(got).c_str());
}

unsigned kat_file(Ctx &c, const char *file, uint8_t auth, size_t keymax, uint16_t slot)
{
	struct vec_file vf;
	char err[256];
	unsigned used = 0;

	if (!c.b.check(vec_load(c.b.vector_path(file).c_str(), &vf, err, sizeof(err)) == 0, "%s", err))
		return 0;
	for (size_t i = 0; i < vf.nrecs; i++) {
		const struct vec_record *r = &vf.recs[i];
		const struct vec_field *key = vec_get(r, "key"), *msg = vec_get(r, "msg");
		const struct vec_field *mac = vec_get(r, "mac96");
		if (!key || !msg || !mac || !key->data || !msg->data || !mac->data || key->len > keymax ||
		    msg->len < 12 || (msg->len - 8) % 4 || mac->len != ICV_LEN)
			continue;
		Sa sa;
		sa.slot = slot;
		sa.flags = FGP_SAFLAG_INBOUND;
		sa.cipher = FGP_CIPHER_NULL;
		sa.auth = auth;
		sa.spi = (uint32_t)msg->data[0] << 24 | msg->data[1] << 16 | msg->data[2] << 8 | msg->data[3];
		sa.window = 0;
		memcpy(sa.akey, key->data, key->len);
		c.load(sa);
		Bytes pkt(msg->data, msg->data + msg->len);
		pkt.insert(pkt.end(), mac->data, mac->data + mac->len);
		Bytes pt(msg->data + 8, msg->data + msg->len);
		std::string rec = std::string(file) + ":" + std::to_string(r->line) + " " + r->section;
		kat_packet(c, slot, pkt, pad_ok(pt) ? FGP_STATUS_OK : FGP_STATUS_BAD_PAD, rec + ": ICV verified");
		pkt[msg->len] ^= 0x80;
		kat_packet(c, slot, pkt, FGP_STATUS_AUTH_FAIL, rec + ": ICV bit flipped");
		used++;
	}
	vec_free(&vf);
	c.b.check(used > 0, "%s: no record usable as an ESP packet", file);
	return used;
}

} // namespace

void test_kat(Ctx &c)
{
	kat_file(c, "hmac-sha1.txt", FGP_AUTH_HMAC_SHA1, 20, 120);
	kat_file(c, "hmac-md5.txt", FGP_AUTH_HMAC_MD5, 16, 121);
}

} // namespace eng
