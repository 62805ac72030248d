#include "err.h"

const char *fg_err_name(int err)
{
	static const char *const names[] = {
		[0] = "ok",
		[-FG_ERR_NOMEM] = "out of memory",
		[-FG_ERR_INVAL] = "invalid argument",
		[-FG_ERR_PARSE] = "malformed input",
		[-FG_ERR_TRUNC] = "truncated input",
		[-FG_ERR_RANGE] = "value out of range",
		[-FG_ERR_UNSUPP] = "not supported",
		[-FG_ERR_NOTFOUND] = "not found",
		[-FG_ERR_EXISTS] = "already exists",
		[-FG_ERR_IO] = "I/O error",
		[-FG_ERR_CRYPTO] = "crypto library error",
		[-FG_ERR_AUTH] = "authentication failed",
		[-FG_ERR_STATE] = "wrong state",
		[-FG_ERR_TIMEOUT] = "timed out",
		[-FG_ERR_FULL] = "full",
		[-FG_ERR_GONE] = "device disconnected",
	};

	if (err > 0 || err <= FG_ERR_LAST_)
		return "unknown error";
	return names[-err];
}
