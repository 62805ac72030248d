/*
 * fgated's control socket, the server side of fgatectl (docs/fgatectl.md):
 * a Unix stream socket served from the event loop without blocking it.
 *
 * Protocol: a client connects, sends one request line (at most
 * CONTROL_REQ_MAX bytes with its newline) and reads the reply until the
 * daemon closes the connection. The reply is either "ok\n" followed by the
 * command's output, or exactly one line "error: REASON\n". A request that
 * is too long, not printable ASCII, or unknown gets such an error line;
 * a client that does not send its line (or take its reply) within
 * CONTROL_TIMEOUT_MS is dropped.
 *
 * Requests (words separated by blanks):
 *   initiate --child NAME | --ike NAME
 *   terminate --child NAME | --ike NAME
 *   list-sas [--json]
 *   list-conns
 *   stats [--json]
 *   reload
 *
 * control_parse() and control_handle_line() are pure (unit tested);
 * control_open() owns the socket. One thread (the event loop) uses it.
 */
#ifndef FGATE_DAEMON_CONTROL_H
#define FGATE_DAEMON_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/loop.h"

enum control_limits {
	CONTROL_REQ_MAX = 512,          /* bytes of a request, with its newline */
	CONTROL_NAME_MAX = 128,         /* a connection or child name, with NUL */
	CONTROL_WORDS_MAX = 4,          /* words in a request */
	CONTROL_CLIENTS_MAX = 4,        /* served at once; more get "busy" */
	CONTROL_TIMEOUT_MS = 5000,      /* to send the request and take the reply */
	CONTROL_RETRY_MS = 20,          /* a reply the socket did not take yet */
	CONTROL_REPLY_MAX = 16 << 20,   /* larger output fails with "too long" */
};

enum control_cmd {
	CONTROL_INITIATE,
	CONTROL_TERMINATE,
	CONTROL_LIST_SAS,
	CONTROL_LIST_CONNS,
	CONTROL_STATS,
	CONTROL_RELOAD,
};

struct control_req {
	enum control_cmd cmd;
	bool json;                      /* --json (list-sas, stats) */
	bool ike;                       /* --ike NAME, else --child NAME */
	char name[CONTROL_NAME_MAX];    /* initiate, terminate */
};

/* A growing text; after a failed allocation (or past CONTROL_REPLY_MAX)
 * oom is set and further text is dropped. */
struct control_buf {
	char *s;                        /* NUL-terminated when len > 0 */
	size_t len, cap;
	bool oom;
};

void control_buf_add(struct control_buf *b, const char *s, size_t len);
void control_buf_printf(struct control_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void control_buf_free(struct control_buf *b);

/* One request line (without its newline) into req. 0, or FG_ERR_PARSE with
 * the reason in err ("unknown command 'x'", "list-sas: unexpected 'y'"). */
int control_parse(const char *line, size_t len, struct control_req *req, char *err,
		  size_t errlen);
/* "initiate", "list-sas", ... */
const char *control_cmd_name(enum control_cmd cmd);

/* Runs a request: 0 with the command's output in out, or a negative fg_err
 * with a one-line reason in out. */
typedef int (*control_fn)(void *ctx, const struct control_req *req, struct control_buf *out);

/* A received request line (without the newline) to its reply on the wire
 * ("ok\n..." or "error: ...\n") in wire: parses it, runs fn, frames the
 * result. Returns what fn returned (FG_ERR_PARSE for a bad request). */
int control_handle_line(const char *line, size_t len, control_fn fn, void *ctx,
			struct control_buf *wire);

struct control;

/* Listens on path (mode 0600). A stale socket file is replaced; a path
 * where a daemon answers (FG_ERR_EXISTS) or that is not a socket is left
 * alone. Returns 0 or a negative fg_err (logged). */
int control_open(struct loop *loop, const char *path, control_fn fn, void *ctx,
		 struct control **out);
/* Drops the clients, closes the socket and removes its file. NULL is ok. */
void control_close(struct control *c);

#endif
