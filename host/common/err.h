/*
 * Error codes shared by all host modules. Functions return 0 on success or a
 * negative enum fg_err value; fg_err_name() gives its text for log lines.
 * There is no global last-error: details go into the one log line written
 * where the error is detected.
 */
#ifndef FGATE_COMMON_ERR_H
#define FGATE_COMMON_ERR_H

enum fg_err {
	FG_OK = 0,
	FG_ERR_NOMEM = -1,     /* allocation failed */
	FG_ERR_INVAL = -2,     /* bad argument or value */
	FG_ERR_PARSE = -3,     /* malformed input (config, message, frame) */
	FG_ERR_TRUNC = -4,     /* input shorter than its lengths claim */
	FG_ERR_RANGE = -5,     /* value out of the allowed range */
	FG_ERR_UNSUPP = -6,    /* valid but not supported here */
	FG_ERR_NOTFOUND = -7,  /* no such object (SA, file, device) */
	FG_ERR_EXISTS = -8,    /* object already present */
	FG_ERR_IO = -9,        /* system call or device failure */
	FG_ERR_CRYPTO = -10,   /* OpenSSL reported a failure */
	FG_ERR_AUTH = -11,     /* authentication or integrity check failed */
	FG_ERR_STATE = -12,    /* not allowed in the current state */
	FG_ERR_TIMEOUT = -13,  /* no answer in time */
	FG_ERR_FULL = -14,     /* queue or table full */
	FG_ERR_GONE = -15,     /* the device disconnected */
	FG_ERR_LAST_ = -16     /* keep last */
};

/* "ok", "out of memory", ...; "unknown error" for anything else. */
const char *fg_err_name(int err);

#endif
