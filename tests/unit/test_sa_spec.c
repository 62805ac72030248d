/* host/tools/sa_spec: fgate-pcap's --sa SPEC: every field and default,
 * the conversion to the device SA and the wire format, and every error,
 * each of which must name its field ("<field>: reason").
 *
 * sa_spec.c belongs to the tool, not to libfgate.a, and the unit rules
 * link a test with the library only: the source is included here. */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "tools/sa_spec.c"
#include "unit.h"

#define K3DES "0x0123456789abcdef0123456789ABCDEF0123456789abcdef"
#define KDES "0x0123456789abcdef"
#define KSHA "0x000102030405060708090a0b0c0d0e0f10111213"
#define KMD5 "0xffeeddccbbaa99887766554433221100"
#define TUN "spi=0x1001,src=192.0.2.1,dst=192.0.2.2"

static void test_full(void)
{
	static const uint8_t k3[24] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
		0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};
	struct sa_spec s;
	struct offload_sa sa;
	struct esp_wire_cfg c;
	char err[SA_SPEC_ERR_MAX] = "";
	size_t i;

	CU_ASSERT_EQUAL_FATAL(sa_spec_parse("proto=esp,mode=tunnel,spi=0xdeadbeef,src=192.0.2.1,"
					    "dst=198.51.100.7,enc=3des-cbc:" K3DES
					    ",auth=hmac-sha1-96:" KSHA ",encap=udp,seq=100,replay=32",
					    &s, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_FALSE(s.ah);
	CU_ASSERT_FALSE(s.transport);
	CU_ASSERT_TRUE(s.udp_encap);
	CU_ASSERT_EQUAL(s.spi, 0xdeadbeef);
	CU_ASSERT_EQUAL(s.src, 0xc0000201);
	CU_ASSERT_EQUAL(s.dst, 0xc6336407);
	CU_ASSERT_EQUAL(s.cipher, FGP_CIPHER_TDES_CBC);
	CU_ASSERT_EQUAL(s.cipher_key_len, 24);
	CU_ASSERT_EQUAL(memcmp(s.cipher_key, k3, 24), 0);
	CU_ASSERT_EQUAL(s.auth, FGP_AUTH_HMAC_SHA1);
	CU_ASSERT_EQUAL(s.auth_key_len, 20);
	for (i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(s.auth_key[i], i);
	CU_ASSERT_EQUAL(s.seq, 100);
	CU_ASSERT_EQUAL(s.replay, 32);

	sa_spec_offload(&s, true, 3, &sa);
	CU_ASSERT_EQUAL(sa.index, 3);
	CU_ASSERT_TRUE(sa.inbound);
	CU_ASSERT_FALSE(sa.ah);
	CU_ASSERT_EQUAL(sa.spi, 0xdeadbeef);
	CU_ASSERT_EQUAL(sa.seq, 100);
	CU_ASSERT_EQUAL(sa.replay_window, 32);
	CU_ASSERT_EQUAL(sa.cipher_key_len, 24);
	CU_ASSERT_EQUAL(memcmp(sa.cipher_key, k3, 24), 0);
	CU_ASSERT_EQUAL(sa.auth_key_len, 20);
	sa_spec_offload(&s, false, 0, &sa);
	CU_ASSERT_EQUAL(sa.replay_window, 0);   /* outbound */

	sa_spec_wire(&s, &c);
	CU_ASSERT_TRUE(c.udp_encap);
	CU_ASSERT_FALSE(c.ah || c.transport);
	CU_ASSERT_EQUAL(c.src, 0xc0000201);
	CU_ASSERT_EQUAL(c.dst, 0xc6336407);
	CU_ASSERT_EQUAL(c.df, ESP_WIRE_DF_COPY);
	CU_ASSERT_EQUAL(c.ttl, 64);

	sa_spec_wipe(&s);
	for (i = 0; i < 24; i++)
		CU_ASSERT_EQUAL(s.cipher_key[i], 0);
	for (i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(s.auth_key[i], 0);
}

static void test_defaults_and_variants(void)
{
	struct sa_spec s;
	char err[SA_SPEC_ERR_MAX];

	CU_ASSERT_EQUAL_FATAL(sa_spec_parse(TUN ",enc=des-cbc:" KDES, &s, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(s.ah || s.transport || s.udp_encap);
	CU_ASSERT_EQUAL(s.cipher, FGP_CIPHER_DES_CBC);
	CU_ASSERT_EQUAL(s.cipher_key_len, 8);
	CU_ASSERT_EQUAL(s.auth, FGP_AUTH_NONE);
	CU_ASSERT_EQUAL(s.auth_key_len, 0);
	CU_ASSERT_EQUAL(s.seq, 1);
	CU_ASSERT_EQUAL(s.replay, 64);

	CU_ASSERT_EQUAL_FATAL(sa_spec_parse("proto=ah,mode=transport,spi=4096,auth=hmac-md5-96:" KMD5
					    ",replay=0,seq=4294967295", &s, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(s.ah && s.transport);
	CU_ASSERT_EQUAL(s.spi, 4096);
	CU_ASSERT_EQUAL(s.cipher, FGP_CIPHER_NULL);
	CU_ASSERT_EQUAL(s.auth, FGP_AUTH_HMAC_MD5);
	CU_ASSERT_EQUAL(s.auth_key_len, 16);
	CU_ASSERT_EQUAL(s.auth_key[0], 0xff);
	CU_ASSERT_EQUAL(s.auth_key[15], 0x00);
	CU_ASSERT_EQUAL(s.replay, 0);
	CU_ASSERT_EQUAL(s.seq, 0xffffffffu);

	/* ESP NULL with an ICV; key without 0x; upper-case hex; SPI 256. */
	CU_ASSERT_EQUAL_FATAL(sa_spec_parse("spi=256,mode=transport,enc=null,"
					    "auth=hmac-sha1-96:000102030405060708090A0B0C0D0E0F10111213",
					    &s, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(s.spi, 256);
	CU_ASSERT_EQUAL(s.cipher, FGP_CIPHER_NULL);
	CU_ASSERT_EQUAL(s.cipher_key_len, 0);
	CU_ASSERT_EQUAL(s.auth_key[10], 10);
	sa_spec_wipe(&s);
}

static void test_errors(void)
{
	static const struct { const char *spec, *field; } t[] = {
		{ "", "spec" },
		{ "spi", "spec" },
		{ "=1", "spec" },
		{ TUN ",enc=null,auth=hmac-sha1-96:" KSHA ",", "spec" },
		{ TUN ",,enc=null", "spec" },
		{ TUN ",enc=null,colour=red", "colour" },
		{ TUN ",enc=null,proto=gre", "proto" },
		{ TUN ",enc=null,proto=", "proto" },
		{ TUN ",enc=null,mode=beet", "mode" },
		{ "src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi=0,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi=255,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi=0x100000000,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi=-5,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi=0x,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi=12ab,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ "spi= 4096,src=192.0.2.1,dst=192.0.2.2,enc=des-cbc:" KDES, "spi" },
		{ TUN ",spi=0x2002,enc=des-cbc:" KDES, "spi" },
		{ "spi=0x1001,dst=192.0.2.2,enc=des-cbc:" KDES, "src" },
		{ "spi=0x1001,src=192.0.2.1,enc=des-cbc:" KDES, "dst" },
		{ "spi=0x1001,src=192.0.2.300,dst=192.0.2.2,enc=des-cbc:" KDES, "src" },
		{ "spi=0x1001,src=192.0.2.1,dst=::1,enc=des-cbc:" KDES, "dst" },
		{ "spi=0x1001,src=192.0.2.1,dst=host.example,enc=des-cbc:" KDES, "dst" },
		{ "mode=transport,spi=0x1001,src=192.0.2.1,enc=des-cbc:" KDES, "src" },
		{ "mode=transport,spi=0x1001,dst=192.0.2.1,enc=des-cbc:" KDES, "dst" },
		{ TUN, "enc" },
		{ TUN ",enc=aes-cbc:0x00", "enc" },
		{ TUN ",enc=3des-cbc", "enc" },
		{ TUN ",enc=3des-cbc:", "enc" },
		{ TUN ",enc=3des-cbc:0x0123", "enc" },
		{ TUN ",enc=3des-cbc:" K3DES "00", "enc" },
		{ TUN ",enc=3des-cbc:0x0123456789abcdef0123456789abcdef0123456789abcdeg", "enc" },
		{ TUN ",enc=des-cbc:" K3DES, "enc" },
		{ TUN ",enc=des-cbc:0x01234567", "enc" },
		{ TUN ",enc=null:0x00", "enc" },
		{ TUN ",enc=3DES-CBC:" K3DES, "enc" },
		{ TUN ",enc=null", "auth" },
		{ TUN ",enc=null,auth=none", "auth" },
		{ TUN ",enc=des-cbc:" KDES ",auth=sha256:0x00", "auth" },
		{ TUN ",enc=des-cbc:" KDES ",auth=hmac-sha1-96:" KMD5, "auth" },
		{ TUN ",enc=des-cbc:" KDES ",auth=hmac-md5-96:" KSHA, "auth" },
		{ TUN ",enc=des-cbc:" KDES ",auth=hmac-md5-96", "auth" },
		{ TUN ",enc=des-cbc:" KDES ",auth=none:0x00", "auth" },
		{ "proto=ah," TUN, "auth" },
		{ "proto=ah," TUN ",auth=none", "auth" },
		{ "proto=ah," TUN ",enc=null,auth=hmac-md5-96:" KMD5, "enc" },
		{ "proto=ah," TUN ",auth=hmac-md5-96:" KMD5 ",encap=udp", "encap" },
		{ TUN ",enc=des-cbc:" KDES ",encap=tcp", "encap" },
		{ TUN ",enc=des-cbc:" KDES ",seq=0", "seq" },
		{ TUN ",enc=des-cbc:" KDES ",seq=4294967296", "seq" },
		{ TUN ",enc=des-cbc:" KDES ",seq=1x", "seq" },
		{ TUN ",enc=des-cbc:" KDES ",replay=65536", "replay" },
		{ TUN ",enc=des-cbc:" KDES ",replay=-1", "replay" },
		{ TUN ",enc=des-cbc:" KDES ",replay=", "replay" },
		{ TUN ",enc=des-cbc:" KDES ",replay=1,replay=2", "replay" },
	};
	struct sa_spec s;
	char err[SA_SPEC_ERR_MAX], prefix[32], msg[400];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(err, 0, sizeof(err));
		memset(&s, 0x5a, sizeof(s));
		snprintf(prefix, sizeof(prefix), "%s: ", t[i].field);
		if (sa_spec_parse(t[i].spec, &s, err, sizeof(err)) != FG_ERR_PARSE ||
		    strncmp(err, prefix, strlen(prefix)) || strlen(err) <= strlen(prefix)) {
			snprintf(msg, sizeof(msg), "\"%s\" gave \"%s\", want \"%s...\"", t[i].spec, err,
				 prefix);
			CU_FAIL(msg);
			fprintf(stderr, "%s\n", msg);
		}
		/* Wiped on failure: no key bytes left behind. */
		CU_ASSERT_EQUAL(s.cipher_key[0] | s.auth_key[0] | s.cipher_key[23], 0);
	}
}

static void test_long_and_truncated_error(void)
{
	char big[2048], err[16];
	struct sa_spec s;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(sa_spec_parse(big, &s, err, sizeof(err)), FG_ERR_PARSE);
	CU_ASSERT_EQUAL(strncmp(err, "spec: ", 6), 0);
	CU_ASSERT_EQUAL(strlen(err), sizeof(err) - 1);  /* cut, terminated */
}

int main(void)
{
	static const struct unit_test tests[] = {
		{ "every field", test_full },
		{ "defaults, AH, transport, NULL", test_defaults_and_variants },
		{ "every error names its field", test_errors },
		{ "long spec, small error buffer", test_long_and_truncated_error },
		{ NULL, NULL },
	};

	unit_add_suite("sa_spec", tests);
	return unit_run("unit-sa_spec");
}
