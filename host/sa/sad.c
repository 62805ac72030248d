/* The security association database (sad.h). */
#include "sa/sad.h"

#include <string.h>

#include "common/err.h"

void sad_init(struct sad *s, unsigned nslots)
{
	memset(s, 0, sizeof(*s));
	s->nslots = nslots < SAD_SLOTS_MAX ? nslots : SAD_SLOTS_MAX;
}

static bool slot_taken(const struct sad *s, unsigned i)
{
	return s->slot_used[i / 8] & (1u << (i % 8));
}

static void slot_set(struct sad *s, unsigned i, bool on)
{
	if (on)
		s->slot_used[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		s->slot_used[i / 8] &= (uint8_t)~(1u << (i % 8));
}

/* Finds two free slots; false when there are not two. */
static bool two_slots(const struct sad *s, uint16_t *a, uint16_t *b)
{
	unsigned i, n = 0;
	uint16_t got[2];

	for (i = 0; i < s->nslots && n < 2; i++)
		if (!slot_taken(s, i))
			got[n++] = (uint16_t)i;
	if (n < 2)
		return false;
	*a = got[0];
	*b = got[1];
	return true;
}

int sad_add(struct sad *s, const struct sad_sa *sa, unsigned *idx)
{
	struct sad_entry *e = NULL;
	unsigned i;

	if (sa->ah && sa->encap)
		return FG_ERR_INVAL;
	if (sad_find_in(s, sa->ah, sa->spi_in, sa->local))
		return FG_ERR_EXISTS;
	for (i = 0; i < SAD_ENTRIES_MAX; i++) {
		if (!s->e[i].used) {
			e = &s->e[i];
			break;
		}
	}
	if (!e)
		return FG_ERR_FULL;
	memset(e, 0, sizeof(*e));
	if (!two_slots(s, &e->slot_in, &e->slot_out))
		return FG_ERR_FULL;
	slot_set(s, e->slot_in, true);
	slot_set(s, e->slot_out, true);
	e->used = true;
	e->sa = *sa;
	e->sa.name[SAD_NAME_MAX - 1] = '\0';
	e->wire_out = (struct esp_wire_cfg){
		.ah = sa->ah, .transport = sa->transport, .udp_encap = sa->encap,
		.src = sa->local, .dst = sa->remote, .df = ESP_WIRE_DF_COPY,
	};
	e->wire_in = e->wire_out;
	e->wire_in.src = sa->remote;
	e->wire_in.dst = sa->local;
	*idx = i;
	return 0;
}

void sad_del(struct sad *s, unsigned idx)
{
	struct sad_entry *e = sad_get(s, idx);

	if (!e)
		return;
	slot_set(s, e->slot_in, false);
	slot_set(s, e->slot_out, false);
	memset(e, 0, sizeof(*e));
}

struct sad_entry *sad_find_in(struct sad *s, bool ah, uint32_t spi, uint32_t dst)
{
	unsigned i;

	for (i = 0; i < SAD_ENTRIES_MAX; i++) {
		struct sad_entry *e = &s->e[i];

		if (e->used && e->sa.spi_in == spi && e->sa.ah == ah && e->sa.local == dst)
			return e;
	}
	return NULL;
}

int sad_find_pair(const struct sad *s, bool ah, uint32_t spi_in, uint32_t spi_out)
{
	unsigned i;

	for (i = 0; i < SAD_ENTRIES_MAX; i++) {
		const struct sad_entry *e = &s->e[i];

		if (e->used && e->sa.ah == ah && e->sa.spi_in == spi_in && e->sa.spi_out == spi_out)
			return (int)i;
	}
	return FG_ERR_NOTFOUND;
}

struct sad_entry *sad_get(struct sad *s, unsigned idx)
{
	if (idx >= SAD_ENTRIES_MAX || !s->e[idx].used)
		return NULL;
	return &s->e[idx];
}

unsigned sad_count(const struct sad *s)
{
	unsigned i, n = 0;

	for (i = 0; i < SAD_ENTRIES_MAX; i++)
		n += s->e[i].used;
	return n;
}
