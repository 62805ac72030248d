/*
 * One-line log messages to stderr (or a file, or syslog), filtered by
 * level. Each line is written with one call, so lines from several
 * threads do not interleave.
 * FG_LOG_KEYS is the explicit key-debug level: key material may be logged
 * only through fg_log_keys(), which prints nothing below that level.
 */
#ifndef FGATE_COMMON_LOG_H
#define FGATE_COMMON_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum fg_log_level {
	FG_LOG_ERROR = 0,
	FG_LOG_WARN = 1,
	FG_LOG_INFO = 2,
	FG_LOG_DEBUG = 3,
	FG_LOG_KEYS = 4,   /* debug plus key material: only when asked for */
};

void fg_log_set_level(enum fg_log_level level);
enum fg_log_level fg_log_get_level(void);
/* Log to this stream instead of stderr (NULL restores stderr). */
void fg_log_set_stream(FILE *stream);
/* Log to syslog (facility daemon, with this ident) instead of a stream,
 * as a daemon does once it has left the terminal; NULL goes back to the
 * stream. FG_LOG_KEYS lines go out at LOG_DEBUG. */
void fg_log_set_syslog(const char *ident);
/* Parses "error", "warn", "info", "debug", "keys" (any case); returns 0 or
 * FG_ERR_INVAL. */
int fg_log_level_parse(const char *name, enum fg_log_level *out);

void fg_log(enum fg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "<label>: <hex>" at FG_LOG_KEYS only. */
void fg_log_keys(const char *label, const uint8_t *key, size_t len);

#define fg_err(...)   fg_log(FG_LOG_ERROR, __VA_ARGS__)
#define fg_warn(...)  fg_log(FG_LOG_WARN, __VA_ARGS__)
#define fg_info(...)  fg_log(FG_LOG_INFO, __VA_ARGS__)
#define fg_debug(...) fg_log(FG_LOG_DEBUG, __VA_ARGS__)

#endif
