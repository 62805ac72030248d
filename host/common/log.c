#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "err.h"

static enum fg_log_level current_level = FG_LOG_INFO;
static FILE *log_stream;

void fg_log_set_level(enum fg_log_level level)
{
	current_level = level;
}

enum fg_log_level fg_log_get_level(void)
{
	return current_level;
}

void fg_log_set_stream(FILE *stream)
{
	log_stream = stream;
}

int fg_log_level_parse(const char *name, enum fg_log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug", "keys" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum fg_log_level)i;
			return 0;
		}
	}
	return FG_ERR_INVAL;
}

static void vlog(enum fg_log_level level, const char *fmt, va_list ap)
{
	static const char tags[] = "EWIDK";
	FILE *out = log_stream ? log_stream : stderr;
	struct timespec ts;
	struct tm tm;
	char stamp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	fprintf(out, "%s.%03ld %c ", stamp, ts.tv_nsec / 1000000, tags[level]);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	fflush(out);
}

void fg_log(enum fg_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > current_level)
		return;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

static void log_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(FG_LOG_KEYS, fmt, ap);
	va_end(ap);
}

void fg_log_keys(const char *label, const uint8_t *key, size_t len)
{
	char hex[2 * 256 + 1];
	size_t i;

	if (current_level < FG_LOG_KEYS)
		return;
	if (len > 256)
		len = 256;
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * len] = '\0';
	log_line("%s: %s", label, hex);
}
