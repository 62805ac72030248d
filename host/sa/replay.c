/*
 * Anti-replay window (RFC 4303 3.4.3, the bitmap algorithm of RFC 4303
 * appendix A and RFC 2401 appendix C), without extended sequence numbers.
 */
#include "sa/replay.h"

#include "common/err.h"

int replay_init(struct replay *r, unsigned window)
{
	r->bitmap = 0;
	r->top = 0;
	r->window = 0;
	if (window > REPLAY_MAX)
		return FG_ERR_RANGE;
	r->window = (uint16_t)window;
	return 0;
}

int replay_check(const struct replay *r, uint32_t seq)
{
	uint32_t diff;

	if (!r->window)
		return 0;
	/* The sender starts at 1 and never sends 0 (RFC 4303 3.3.3). */
	if (seq == 0)
		return FG_ERR_RANGE;
	if (seq > r->top)
		return 0;
	diff = r->top - seq;
	if (diff >= r->window)
		return FG_ERR_RANGE;
	return (r->bitmap >> diff) & 1 ? FG_ERR_EXISTS : 0;
}

void replay_update(struct replay *r, uint32_t seq)
{
	uint32_t shift;

	if (seq > r->top) {
		shift = seq - r->top;
		r->bitmap = shift < REPLAY_MAX ? (r->bitmap << shift) | 1 : 1;
		r->top = seq;
	} else if (r->top - seq < REPLAY_MAX) {
		r->bitmap |= (uint64_t)1 << (r->top - seq);
	}
}
