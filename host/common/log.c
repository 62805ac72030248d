#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "err.h"

static enum fg_log_level current_level = FG_LOG_INFO;
static FILE *log_stream;
static bool use_syslog;

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

void fg_log_set_syslog(const char *ident)
{
	if (ident) {
		openlog(ident, LOG_PID, LOG_DAEMON);
		use_syslog = true;
	} else if (use_syslog) {
		closelog();
		use_syslog = false;
	}
}

int fg_log_level_parse(const char *name, enum fg_log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug", "keys" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i]) == 0) {
			*out = (enum fg_log_level)i;
			return 0;
		}
	}
	return FG_ERR_INVAL;
}

static void vlog(enum fg_log_level level, const char *fmt, va_list ap)
{
	static const char tags[] = "EWIDK";
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG, LOG_DEBUG };
	FILE *out = log_stream ? log_stream : stderr;
	struct timespec ts;
	struct tm tm;
	char line[1024];
	int n;

	if (use_syslog) {
		vsyslog(prio[level], fmt, ap);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = (int)strftime(line, sizeof(line), "%H:%M:%S", &tm);
	n += snprintf(line + n, sizeof(line) - (size_t)n, ".%03ld %c ",
		      ts.tv_nsec / 1000000, tags[level]);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	n = (int)strlen(line);
	line[n] = '\n';
	fwrite(line, 1, (size_t)n + 1, out);
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
