/*
 * Identities as strongSwan's identification_create_from_string() tells
 * them apart (IPv4 address, FQDN, RFC 822 address, DN, key id), matched as
 * its matches() does, with "*" wildcards, and the choice of a pre-shared
 * key for a pair of identities as charon's shared-key lookup makes it.
 */
#include <string.h>
#include <strings.h>

#include "common/config_priv.h"

/* Identity classes as strongSwan's identification_create_from_string()
 * tells them apart, and its match levels (identification.h). */
enum id_kind { ID_ANY, ID_IPV4, ID_FQDN, ID_RFC822, ID_DN, ID_KEYID, ID_OTHER };
enum { MATCH_NONE = 0, MATCH_ANY = 1, MATCH_ONE_WILDCARD = 19, MATCH_PERFECT = 20 };

struct id {
	enum id_kind kind;
	const char *value;
	uint32_t ipv4;
};

static void id_parse(const char *s, struct id *id)
{
	static const struct { const char *prefix; enum id_kind kind; } typed[] = {
		{ "fqdn:", ID_FQDN }, { "dns:", ID_FQDN }, { "rfc822:", ID_RFC822 },
		{ "email:", ID_RFC822 }, { "userfqdn:", ID_RFC822 },
		{ "keyid:", ID_KEYID }, { "ipv4:", ID_OTHER }, { "ipv6:", ID_OTHER },
		{ "asn1dn:", ID_OTHER }, { "asn1gn:", ID_OTHER },
	};
	size_t i;

	id->value = s;
	if (!*s || !strcmp(s, "%any") || !strcmp(s, "%any6") || !strcmp(s, "*") ||
	    !strcmp(s, "0.0.0.0") || !strcmp(s, "::") || !strcmp(s, "0::0")) {
		id->kind = ID_ANY;
		return;
	}
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		if (strncasecmp(s, typed[i].prefix, strlen(typed[i].prefix)) == 0) {
			id->kind = typed[i].kind;
			if (id->kind != ID_OTHER)
				id->value = s + strlen(typed[i].prefix);
			return;
		}
	}
	if (strchr(s, '=')) {
		id->kind = ID_DN;
	} else if (!strchr(s, '@')) {
		id->kind = config_parse_ipv4(s, &id->ipv4) ? ID_IPV4 :
			   strchr(s, ':') ? ID_OTHER : ID_FQDN;
	} else if (strncmp(s, "@#", 2) == 0) {
		id->kind = ID_KEYID;
		id->value = s + 2;
	} else if (strncmp(s, "@@", 2) == 0) {
		id->kind = ID_RFC822;
		id->value = s + 2;
	} else if (s[0] == '@') {
		id->kind = ID_FQDN;
		id->value = s + 1;
	} else {
		id->kind = ID_RFC822;
	}
}

/* How well the identity have matches the pattern want (strongSwan's
 * have->matches(have, want)). */
static int id_match(const char *have, const char *want)
{
	struct id h, w;
	size_t hl, wl;

	id_parse(have, &h);
	id_parse(want, &w);
	if (w.kind == ID_ANY)
		return MATCH_ANY;
	if (h.kind != w.kind)
		return MATCH_NONE;
	switch (h.kind) {
	case ID_IPV4:
		return h.ipv4 == w.ipv4 ? MATCH_PERFECT : MATCH_NONE;
	case ID_FQDN:
	case ID_RFC822:
		if (strcasecmp(h.value, w.value) == 0)
			return MATCH_PERFECT;
		hl = strlen(h.value);
		wl = strlen(w.value);
		if (w.value[0] == '*' && wl - 1 <= hl &&
		    strcasecmp(h.value + hl - (wl - 1), w.value + 1) == 0)
			return MATCH_ONE_WILDCARD;
		return MATCH_NONE;
	case ID_KEYID:
		return strcasecmp(h.value, w.value) == 0 ? MATCH_PERFECT : MATCH_NONE;
	default:
		return strcmp(h.value, w.value) == 0 ? MATCH_PERFECT : MATCH_NONE;
	}
}

static int best_owner(const struct fg_secret *s, const char *id)
{
	int best = MATCH_NONE, m;
	unsigned i;

	if (!id)
		return MATCH_NONE;
	if (!s->n_ids)
		return id_match(id, "%any");
	for (i = 0; i < s->n_ids; i++) {
		m = id_match(id, s->ids[i]);
		if (m > best)
			best = m;
	}
	return best;
}

const struct fg_secret *config_find_psk(const struct fg_config *cfg,
					const char *local_id, const char *remote_id)
{
	const struct fg_secret *found = NULL;
	int best_me = MATCH_NONE, best_other = MATCH_NONE, me, other;
	unsigned i;

	/* charon puts each loaded secret first: later definitions win ties */
	for (i = cfg ? cfg->n_secrets : 0; i-- > 0;) {
		me = best_owner(&cfg->secrets[i], local_id);
		other = best_owner(&cfg->secrets[i], remote_id);
		if (me == MATCH_NONE && other == MATCH_NONE)
			continue;
		if (other > best_other || (other == best_other && me > best_me)) {
			found = &cfg->secrets[i];
			best_me = me;
			best_other = other;
		}
	}
	return found;
}
