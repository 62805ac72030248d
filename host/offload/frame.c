/*
 * Frame codec (docs/protocol.md): headers and the SA, CAPS, CNT and STATS
 * layouts, read and written field by field at the generated offsets.
 */
#include "offload/frame.h"

#include <string.h>

#include "common/err.h"

bool frame_word_starts_header(const uint8_t word[FRAME_WORD], size_t max_length)
{
	return word[FGP_HDR_MAGIC_OFF] == FGP_MAGIC &&
	       word[FGP_HDR_VERSION_OFF] == FGP_VERSION &&
	       frame_get16(word + FGP_HDR_LENGTH_OFF) <= max_length;
}

void frame_hdr_put(uint8_t out[FRAME_HDR], const struct frame_hdr *h)
{
	out[FGP_HDR_MAGIC_OFF] = FGP_MAGIC;
	out[FGP_HDR_VERSION_OFF] = FGP_VERSION;
	out[FGP_HDR_TYPE_OFF] = h->type;
	out[FGP_HDR_STATUS_OFF] = h->status;
	frame_put16(out + FGP_HDR_LENGTH_OFF, h->length);
	frame_put16(out + FGP_HDR_SA_OFF, h->sa);
	frame_put32(out + FGP_HDR_TAG_OFF, h->tag);
	frame_put32(out + FGP_HDR_AUX_OFF, h->aux);
}

int frame_hdr_get(const uint8_t *buf, size_t len, struct frame_hdr *h)
{
	if (len < FRAME_HDR)
		return FG_ERR_TRUNC;
	h->type = buf[FGP_HDR_TYPE_OFF];
	h->status = buf[FGP_HDR_STATUS_OFF];
	h->length = frame_get16(buf + FGP_HDR_LENGTH_OFF);
	h->sa = frame_get16(buf + FGP_HDR_SA_OFF);
	h->tag = frame_get32(buf + FGP_HDR_TAG_OFF);
	h->aux = frame_get32(buf + FGP_HDR_AUX_OFF);
	if (buf[FGP_HDR_MAGIC_OFF] != FGP_MAGIC || buf[FGP_HDR_VERSION_OFF] != FGP_VERSION)
		return FG_ERR_PARSE;
	return 0;
}

long frame_encode(uint8_t *out, size_t cap, struct frame_hdr *h,
		  const uint8_t *payload, size_t len)
{
	size_t size;

	if (len > FRAME_LENGTH_MAX || (len && !payload))
		return FG_ERR_RANGE;
	size = frame_size(len);
	if (cap < size)
		return FG_ERR_FULL;
	h->length = (uint16_t)len;
	frame_hdr_put(out, h);
	if (len)
		memmove(out + FRAME_HDR, payload, len);
	memset(out + FRAME_HDR + len, 0, size - FRAME_HDR - len);
	return (long)size;
}

static size_t cipher_key_len(unsigned cipher, size_t given)
{
	switch (cipher) {
	case FGP_CIPHER_NULL:
		return 0;
	case FGP_CIPHER_DES_CBC:
		return 8;
	case FGP_CIPHER_TDES_CBC:
		return given == 16 ? 16 : 24;
	}
	return given;   /* unknown: the device will refuse it */
}

static size_t auth_key_len(unsigned auth, size_t given)
{
	switch (auth) {
	case FGP_AUTH_NONE:
		return 0;
	case FGP_AUTH_HMAC_SHA1:
		return 20;
	case FGP_AUTH_HMAC_MD5:
		return 16;
	}
	return given;
}

int frame_sa_put(uint8_t out[FGP_SA_SIZE], const struct offload_sa *sa)
{
	uint8_t *ck = out + FGP_SA_CIPHER_KEY_OFF;

	if ((unsigned)sa->cipher > 0xff || (unsigned)sa->auth > 0xff ||
	    sa->cipher_key_len > FGP_SA_CIPHER_KEY_LEN || sa->auth_key_len > FGP_SA_AUTH_KEY_LEN ||
	    sa->cipher_key_len != cipher_key_len(sa->cipher, sa->cipher_key_len) ||
	    sa->auth_key_len != auth_key_len(sa->auth, sa->auth_key_len))
		return FG_ERR_INVAL;
	memset(out, 0, FGP_SA_SIZE);
	out[FGP_SA_FLAGS_OFF] = (uint8_t)((sa->inbound ? FGP_SAFLAG_INBOUND : 0) |
					  (sa->ah ? FGP_SAFLAG_AH : 0) |
					  (sa->transport ? FGP_SAFLAG_TRANSPORT : 0));
	out[FGP_SA_CIPHER_OFF] = (uint8_t)sa->cipher;
	out[FGP_SA_AUTH_OFF] = (uint8_t)sa->auth;
	frame_put32(out + FGP_SA_SPI_OFF, sa->spi);
	frame_put32(out + FGP_SA_SEQ_OFF, sa->seq);
	frame_put16(out + FGP_SA_REPLAY_WINDOW_OFF, sa->replay_window);
	memcpy(ck, sa->cipher_key, sa->cipher_key_len);
	if (sa->cipher == FGP_CIPHER_TDES_CBC && sa->cipher_key_len == 16)
		memcpy(ck + 16, sa->cipher_key, 8);     /* two-key 3DES: K3 = K1 */
	memcpy(out + FGP_SA_AUTH_KEY_OFF, sa->auth_key, sa->auth_key_len);
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n--)
		acc |= *p++;
	return acc == 0;
}

int frame_sa_get(const uint8_t *buf, size_t len, struct frame_sa *sa)
{
	if (len != FGP_SA_SIZE)
		return FG_ERR_PARSE;
	sa->flags = buf[FGP_SA_FLAGS_OFF];
	sa->cipher = buf[FGP_SA_CIPHER_OFF];
	sa->auth = buf[FGP_SA_AUTH_OFF];
	sa->spi = frame_get32(buf + FGP_SA_SPI_OFF);
	sa->seq = frame_get32(buf + FGP_SA_SEQ_OFF);
	sa->replay_window = frame_get16(buf + FGP_SA_REPLAY_WINDOW_OFF);
	sa->reserved_zero = all_zero(buf + FGP_SA_RESERVED_OFF, FGP_SA_RESERVED_LEN) &&
			    all_zero(buf + FGP_SA_RESERVED2_OFF, FGP_SA_RESERVED2_LEN) &&
			    all_zero(buf + FGP_SA_RESERVED3_OFF, FGP_SA_RESERVED3_LEN);
	memcpy(sa->cipher_key, buf + FGP_SA_CIPHER_KEY_OFF, FGP_SA_CIPHER_KEY_LEN);
	memcpy(sa->auth_key, buf + FGP_SA_AUTH_KEY_OFF, FGP_SA_AUTH_KEY_LEN);
	return 0;
}

void frame_caps_put(uint8_t out[FGP_CAPS_SIZE], const struct offload_caps *c)
{
	memset(out, 0, FGP_CAPS_SIZE);
	out[FGP_CAPS_VERSION_OFF] = (uint8_t)c->version;
	out[FGP_CAPS_CIPHER_CORES_OFF] = (uint8_t)c->cipher_cores;
	out[FGP_CAPS_AUTH_CORES_OFF] = (uint8_t)c->auth_cores;
	frame_put16(out + FGP_CAPS_SA_ENTRIES_OFF, (uint16_t)c->sa_entries);
	frame_put16(out + FGP_CAPS_REPLAY_MAX_OFF, (uint16_t)c->replay_max);
	frame_put16(out + FGP_CAPS_MAX_PAYLOAD_OFF, (uint16_t)c->max_payload);
	frame_put16(out + FGP_CAPS_ALGS_OFF, c->algs);
	frame_put32(out + FGP_CAPS_CLOCK_KHZ_OFF, c->clock_khz);
	frame_put32(out + FGP_CAPS_BUILD_ID_OFF, c->build_id);
}

int frame_caps_get(const uint8_t *buf, size_t len, struct offload_caps *c)
{
	if (len != FGP_CAPS_SIZE)
		return FG_ERR_PARSE;
	c->version = buf[FGP_CAPS_VERSION_OFF];
	c->cipher_cores = buf[FGP_CAPS_CIPHER_CORES_OFF];
	c->auth_cores = buf[FGP_CAPS_AUTH_CORES_OFF];
	c->sa_entries = frame_get16(buf + FGP_CAPS_SA_ENTRIES_OFF);
	c->replay_max = frame_get16(buf + FGP_CAPS_REPLAY_MAX_OFF);
	c->max_payload = frame_get16(buf + FGP_CAPS_MAX_PAYLOAD_OFF);
	c->algs = frame_get16(buf + FGP_CAPS_ALGS_OFF);
	c->clock_khz = frame_get32(buf + FGP_CAPS_CLOCK_KHZ_OFF);
	c->build_id = frame_get32(buf + FGP_CAPS_BUILD_ID_OFF);
	return 0;
}

void frame_cnt_put(uint8_t out[FGP_CNT_SIZE], const struct offload_counters *c)
{
	memset(out, 0, FGP_CNT_SIZE);
	frame_put64(out + FGP_CNT_PACKETS_OFF, c->packets);
	frame_put64(out + FGP_CNT_BYTES_OFF, c->bytes);
	frame_put32(out + FGP_CNT_AUTH_FAIL_OFF, c->auth_fail);
	frame_put32(out + FGP_CNT_REPLAY_OFF, c->replay);
	frame_put32(out + FGP_CNT_BAD_PAD_OFF, c->bad_pad);
	frame_put32(out + FGP_CNT_OTHER_ERR_OFF, c->other_err);
	frame_put32(out + FGP_CNT_SEQ_OFF, c->seq);
}

int frame_cnt_get(const uint8_t *buf, size_t len, struct offload_counters *c)
{
	if (len != FGP_CNT_SIZE)
		return FG_ERR_PARSE;
	c->packets = frame_get64(buf + FGP_CNT_PACKETS_OFF);
	c->bytes = frame_get64(buf + FGP_CNT_BYTES_OFF);
	c->auth_fail = frame_get32(buf + FGP_CNT_AUTH_FAIL_OFF);
	c->replay = frame_get32(buf + FGP_CNT_REPLAY_OFF);
	c->bad_pad = frame_get32(buf + FGP_CNT_BAD_PAD_OFF);
	c->other_err = frame_get32(buf + FGP_CNT_OTHER_ERR_OFF);
	c->seq = frame_get32(buf + FGP_CNT_SEQ_OFF);
	return 0;
}

void frame_stats_put(uint8_t out[FGP_STATS_SIZE], const struct offload_stats *s)
{
	memset(out, 0, FGP_STATS_SIZE);
	frame_put32(out + FGP_STATS_FRAMES_IN_OFF, s->frames_in);
	frame_put32(out + FGP_STATS_FRAMES_OUT_OFF, s->frames_out);
	frame_put32(out + FGP_STATS_MALFORMED_OFF, s->malformed);
	frame_put32(out + FGP_STATS_NO_SA_OFF, s->no_sa);
	frame_put32(out + FGP_STATS_RESYNC_BYTES_OFF, s->resync_bytes);
}

int frame_stats_get(const uint8_t *buf, size_t len, struct offload_stats *s)
{
	if (len != FGP_STATS_SIZE)
		return FG_ERR_PARSE;
	s->frames_in = frame_get32(buf + FGP_STATS_FRAMES_IN_OFF);
	s->frames_out = frame_get32(buf + FGP_STATS_FRAMES_OUT_OFF);
	s->malformed = frame_get32(buf + FGP_STATS_MALFORMED_OFF);
	s->no_sa = frame_get32(buf + FGP_STATS_NO_SA_OFF);
	s->resync_bytes = frame_get32(buf + FGP_STATS_RESYNC_BYTES_OFF);
	return 0;
}
