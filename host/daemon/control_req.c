/* Control requests (control.h): the request line parser, the reply
 * framing and the growing reply text. No I/O here. */
#include "daemon/control.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

void control_buf_add(struct control_buf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (len >= CONTROL_REPLY_MAX - b->len) {
		b->oom = true;
		return;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *n;

		while (cap < b->len + len + 1)
			cap *= 2;
		n = realloc(b->s, cap);
		if (!n) {
			b->oom = true;
			return;
		}
		b->s = n;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void control_buf_printf(struct control_buf *b, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		control_buf_add(b, small, (size_t)n);
		return;
	}
	big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	control_buf_add(b, big, (size_t)n);
	free(big);
}

void control_buf_free(struct control_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static const char *const cmd_names[] = {
	[CONTROL_INITIATE] = "initiate", [CONTROL_TERMINATE] = "terminate",
	[CONTROL_LIST_SAS] = "list-sas", [CONTROL_LIST_CONNS] = "list-conns",
	[CONTROL_STATS] = "stats", [CONTROL_RELOAD] = "reload",
};

const char *control_cmd_name(enum control_cmd cmd)
{
	return (unsigned)cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) ? cmd_names[cmd] : "?";
}

struct words {
	unsigned n;
	const char *w[CONTROL_WORDS_MAX];
	size_t len[CONTROL_WORDS_MAX];
};

/* Splits on blanks; FG_ERR_PARSE for a byte that is not printable ASCII
 * or too many words. */
static int split(const char *line, size_t len, struct words *ws, char *err, size_t errlen)
{
	size_t i = 0;

	ws->n = 0;
	while (i < len) {
		size_t start;

		if (line[i] == ' ' || line[i] == '\t') {
			i++;
			continue;
		}
		if (ws->n == CONTROL_WORDS_MAX) {
			snprintf(err, errlen, "too many words in the request");
			return FG_ERR_PARSE;
		}
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			unsigned char ch = (unsigned char)line[i];

			if (ch < 0x21 || ch > 0x7e) {
				snprintf(err, errlen, "byte 0x%02x at offset %zu is not printable ASCII",
					 ch, i);
				return FG_ERR_PARSE;
			}
			i++;
		}
		ws->w[ws->n] = line + start;
		ws->len[ws->n++] = i - start;
	}
	return 0;
}

static bool is(const struct words *ws, unsigned i, const char *s)
{
	return i < ws->n && ws->len[i] == strlen(s) && memcmp(ws->w[i], s, ws->len[i]) == 0;
}

/* "initiate|terminate --child NAME | --ike NAME" */
static int parse_target(const struct words *ws, struct control_req *req, char *err,
			size_t errlen)
{
	const char *cmd = control_cmd_name(req->cmd);

	if (ws->n != 3 || !(is(ws, 1, "--child") || is(ws, 1, "--ike"))) {
		snprintf(err, errlen, "usage: %s --child NAME | --ike NAME", cmd);
		return FG_ERR_PARSE;
	}
	if (ws->len[2] >= CONTROL_NAME_MAX) {
		snprintf(err, errlen, "%s: name longer than %d bytes", cmd, CONTROL_NAME_MAX - 1);
		return FG_ERR_PARSE;
	}
	req->ike = is(ws, 1, "--ike");
	memcpy(req->name, ws->w[2], ws->len[2]);
	req->name[ws->len[2]] = '\0';
	return 0;
}

int control_parse(const char *line, size_t len, struct control_req *req, char *err,
		  size_t errlen)
{
	struct words ws;
	unsigned i;
	int rc;

	memset(req, 0, sizeof(*req));
	rc = split(line, len, &ws, err, errlen);
	if (rc)
		return rc;
	if (!ws.n) {
		snprintf(err, errlen, "empty request");
		return FG_ERR_PARSE;
	}
	for (i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (is(&ws, 0, cmd_names[i]))
			break;
	if (i == sizeof(cmd_names) / sizeof(cmd_names[0])) {
		snprintf(err, errlen, "unknown command '%.*s' (initiate, terminate, list-sas, "
			 "list-conns, stats, reload)", (int)(ws.len[0] > 64 ? 64 : ws.len[0]),
			 ws.w[0]);
		return FG_ERR_PARSE;
	}
	req->cmd = (enum control_cmd)i;
	switch (req->cmd) {
	case CONTROL_INITIATE:
	case CONTROL_TERMINATE:
		return parse_target(&ws, req, err, errlen);
	case CONTROL_LIST_SAS:
	case CONTROL_STATS:
		if (ws.n == 2 && is(&ws, 1, "--json")) {
			req->json = true;
			return 0;
		}
		break;
	case CONTROL_LIST_CONNS:
	case CONTROL_RELOAD:
		break;
	}
	if (ws.n == 1)
		return 0;
	snprintf(err, errlen, "%s: unexpected '%.*s'", cmd_names[i],
		 (int)(ws.len[1] > 64 ? 64 : ws.len[1]), ws.w[1]);
	return FG_ERR_PARSE;
}

/* One "error: ...\n" line: newlines in the reason become blanks. */
static void error_line(struct control_buf *wire, const char *reason, size_t len)
{
	size_t i;

	control_buf_add(wire, "error: ", 7);
	for (i = 0; i < len && reason[i]; i++)
		control_buf_add(wire, reason[i] == '\n' || reason[i] == '\r' ? " " : reason + i, 1);
	control_buf_add(wire, "\n", 1);
}

int control_handle_line(const char *line, size_t len, control_fn fn, void *ctx,
			struct control_buf *wire)
{
	struct control_buf out = { 0 };
	struct control_req req;
	char err[256];
	int rc;

	rc = control_parse(line, len, &req, err, sizeof(err));
	if (rc) {
		error_line(wire, err, strlen(err));
		goto out;
	}
	rc = fn(ctx, &req, &out);
	if (!rc && out.oom)
		rc = FG_ERR_NOMEM;
	if (rc) {
		if (out.oom || !out.len)
			snprintf(err, sizeof(err), "%s: %s", control_cmd_name(req.cmd),
				 out.oom ? "reply too long or out of memory" : fg_err_name(rc));
		error_line(wire, out.oom || !out.len ? err : out.s,
			   out.oom || !out.len ? strlen(err) : out.len);
		goto out;
	}
	control_buf_add(wire, "ok\n", 3);
	if (out.len)
		control_buf_add(wire, out.s, out.len);
out:
	control_buf_free(&out);
	if (wire->oom) {        /* a last line that fits what is there */
		control_buf_free(wire);
		control_buf_add(wire, "error: out of memory\n", 21);
		rc = rc ? rc : FG_ERR_NOMEM;
	}
	return rc;
}
