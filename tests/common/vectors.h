/*
 * Known-answer vector files (tests/vectors/NAME.txt), read by every
 * implementation that runs them: the OpenSSL host model, the RTL benches and
 * later the host datapath.
 *
 * Format, one file per algorithm:
 *   # comment lines; every file names its source in a "# Source:" line
 *   [section]            applies to the records that follow (e.g. encrypt)
 *   name = value         value is hex (even number of digits, no prefix),
 *                        a "quoted ASCII string", or for counts a decimal
 *                        number read with vec_uint()
 *   (blank line)         ends a record
 */
#ifndef FGATE_TESTS_VECTORS_H
#define FGATE_TESTS_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { VEC_MAX_FIELDS = 16, VEC_NAME_MAX = 32, VEC_SECTION_MAX = 64 };

struct vec_field {
	char name[VEC_NAME_MAX];
	char *text;      /* the value as written */
	uint8_t *data;   /* decoded bytes (hex or string); NULL if neither */
	size_t len;
};

struct vec_record {
	char section[VEC_SECTION_MAX];
	int line;        /* line of the record's first field */
	struct vec_field fields[VEC_MAX_FIELDS];
	size_t nfields;
};

struct vec_file {
	char *path;
	struct vec_record *recs;
	size_t nrecs;
	int has_source;  /* a "# Source:" comment was seen */
};

/* Returns 0, or -1 with a one-line "file:line: reason" message in err. */
int vec_load(const char *path, struct vec_file *out, char *err, size_t errlen);
void vec_free(struct vec_file *f);

/* The field called name, or NULL. */
const struct vec_field *vec_get(const struct vec_record *r, const char *name);
/* Decimal value of field name, or dflt when the field is absent. */
unsigned long vec_uint(const struct vec_record *r, const char *name, unsigned long dflt);

#ifdef __cplusplus
}
#endif
#endif
