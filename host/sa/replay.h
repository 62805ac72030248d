/*
 * The anti-replay window of an inbound SA (RFC 4303 3.4.3 and appendix A,
 * 32-bit sequence numbers only: no ESN). The window is a bitmap of up to
 * REPLAY_MAX packets ending at the highest verified sequence number: bit i
 * says that top - i was received.
 *
 * Use it in two steps, as strongSwan's esp_context and WireGuard's counter.c
 * do: replay_check() before the ICV is verified (it changes nothing), and
 * replay_update() only after the ICV verified, so a forged packet can never
 * move the window.
 *
 * With a window of 0 (anti-replay off) every number passes the check and
 * replay_update() still tracks the highest number seen.
 */
#ifndef FGATE_SA_REPLAY_H
#define FGATE_SA_REPLAY_H

#include <stdint.h>

enum {
	REPLAY_MAX = 64,        /* largest window: one 64-bit bitmap */
};

struct replay {
	uint64_t bitmap;        /* bit i: top - i seen (bit 0 is top itself) */
	uint32_t top;           /* highest verified sequence number, 0 = none */
	uint16_t window;        /* packets, 0 = anti-replay off */
};

/* Empty window of the given size. Returns 0, or FG_ERR_RANGE when window is
 * above REPLAY_MAX (r is then left a disabled window). */
int replay_init(struct replay *r, unsigned window);
/* 0 when seq may be accepted, FG_ERR_EXISTS for a number already seen,
 * FG_ERR_RANGE for 0 or a number left of the window. Changes nothing. */
int replay_check(const struct replay *r, uint32_t seq);
/* Records seq, which passed replay_check() and whose ICV verified: moves
 * the window right when seq is above the top, else marks its bit. */
void replay_update(struct replay *r, uint32_t seq);

#endif
