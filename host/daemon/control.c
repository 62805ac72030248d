/* The control socket (control.h): listening, per-client framing and
 * non-blocking replies. Each client reads into a fixed buffer until its
 * newline; the reply is written with MSG_NOSIGNAL | MSG_DONTWAIT, and what
 * the socket did not take is retried from a timer every CONTROL_RETRY_MS,
 * so a slow reader never stalls the event loop. */
#include "daemon/control.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

struct client {
	struct control *ctl;
	int fd;                         /* -1: slot free */
	bool in_loop;                   /* fd is in the loop (reading) */
	int timer;                      /* > 0: armed */
	uint64_t deadline;
	size_t in_len;
	char in[CONTROL_REQ_MAX];
	struct control_buf reply;
	size_t sent;
};

struct control {
	struct loop *loop;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_fn fn;
	void *ctx;
	struct client clients[CONTROL_CLIENTS_MAX];
};

/* Reads what the client sent beyond its line: a Unix socket closed with
 * unread data resets the connection, and the client would lose its
 * reply. Bounded: after shutdown(SHUT_RD) nothing new arrives anyway. */
static void drain(int fd)
{
	char junk[CONTROL_REQ_MAX];
	unsigned i;

	for (i = 0; i < 256; i++)
		if (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) <= 0)
			break;
}

static void drop(struct client *cl)
{
	if (cl->fd < 0)
		return;
	drain(cl->fd);
	if (cl->in_loop)
		loop_del_fd(cl->ctl->loop, cl->fd);
	if (cl->timer > 0)
		loop_cancel_timer(cl->ctl->loop, cl->timer);
	close(cl->fd);
	control_buf_free(&cl->reply);
	cl->fd = -1;
	cl->in_loop = false;
	cl->timer = 0;
	cl->in_len = cl->sent = 0;
}

static void on_timer(void *ctx);

static void arm(struct client *cl, uint64_t at)
{
	cl->timer = loop_add_timer(cl->ctl->loop, at, on_timer, cl);
	if (cl->timer < 0) {
		fg_warn("control: no timer left: client dropped");
		cl->timer = 0;
		drop(cl);
	}
}

/* Writes what the socket takes; drops the client when done or broken. */
static void flush(struct client *cl)
{
	while (cl->sent < cl->reply.len) {
		ssize_t n = send(cl->fd, cl->reply.s + cl->sent, cl->reply.len - cl->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (loop_now() >= cl->deadline) {
				fg_warn("control: client did not take its reply in %d ms: dropped",
					CONTROL_TIMEOUT_MS);
				break;
			}
			arm(cl, loop_now() + CONTROL_RETRY_MS);
			return;
		}
		if (n <= 0) {
			fg_debug("control: client went away before its reply was sent");
			break;
		}
		cl->sent += (size_t)n;
	}
	drop(cl);
}

static void on_timer(void *ctx)
{
	struct client *cl = ctx;

	cl->timer = 0;
	if (cl->in_loop) {              /* still reading: too slow */
		fg_warn("control: no request line in %d ms: client dropped", CONTROL_TIMEOUT_MS);
		drop(cl);
		return;
	}
	flush(cl);
}

/* The request is complete (or too long): reply and stop reading. */
static void respond(struct client *cl, const char *line, size_t len, bool too_long)
{
	struct control *c = cl->ctl;

	loop_del_fd(c->loop, cl->fd);
	cl->in_loop = false;
	if (cl->timer > 0)
		loop_cancel_timer(c->loop, cl->timer);
	cl->timer = 0;
	if (too_long) {
		control_buf_printf(&cl->reply, "error: request longer than %d bytes\n",
				   CONTROL_REQ_MAX - 1);
		fg_warn("control: request longer than %d bytes refused", CONTROL_REQ_MAX - 1);
	} else {
		control_handle_line(line, len, c->fn, c->ctx, &cl->reply);
	}
	shutdown(cl->fd, SHUT_RD);
	flush(cl);
}

static void on_client(void *ctx, int fd)
{
	struct client *cl = ctx;
	ssize_t n;
	char *nl;

	(void)fd;
	n = recv(cl->fd, cl->in + cl->in_len, sizeof(cl->in) - cl->in_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		fg_debug("control: client closed before a full request line");
		drop(cl);
		return;
	}
	cl->in_len += (size_t)n;
	nl = memchr(cl->in, '\n', cl->in_len);
	if (nl)
		respond(cl, cl->in, (size_t)(nl - cl->in), false);
	else if (cl->in_len == sizeof(cl->in))
		respond(cl, NULL, 0, true);
}

static void busy(int fd)
{
	static const char msg[] = "error: busy: too many control clients, try again\n";

	if (send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		fg_debug("control: cannot tell a client that we are busy");
	close(fd);
}

static void on_accept(void *ctx, int fd)
{
	struct control *c = ctx;

	for (;;) {
		struct client *cl = NULL;
		unsigned i;
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				fg_warn("control: accept on %s failed: %s", c->path, strerror(errno));
			return;
		}
		for (i = 0; i < CONTROL_CLIENTS_MAX && !cl; i++)
			if (c->clients[i].fd < 0)
				cl = &c->clients[i];
		if (!cl) {
			fg_warn("control: %d clients already: one more refused", CONTROL_CLIENTS_MAX);
			busy(cfd);
			continue;
		}
		if (loop_add_fd(c->loop, cfd, on_client, cl)) {
			fg_warn("control: event loop full: client refused");
			busy(cfd);
			continue;
		}
		cl->fd = cfd;
		cl->in_loop = true;
		cl->in_len = cl->sent = 0;
		cl->deadline = loop_now() + CONTROL_TIMEOUT_MS;
		arm(cl, cl->deadline);
	}
}

/* A socket file at path: is a daemon answering there? */
static bool answering(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool yes;

	if (fd < 0)
		return false;
	yes = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return yes;
}

static int clear_path(const struct sockaddr_un *sa)
{
	struct stat st;

	if (lstat(sa->sun_path, &st) != 0)
		return errno == ENOENT ? 0 : FG_ERR_IO;
	if (!S_ISSOCK(st.st_mode)) {
		fg_err("control: %s exists and is not a socket: not replaced", sa->sun_path);
		return FG_ERR_EXISTS;
	}
	if (answering(sa)) {
		fg_err("control: another daemon answers on %s", sa->sun_path);
		return FG_ERR_EXISTS;
	}
	if (unlink(sa->sun_path) != 0) {
		fg_err("control: cannot remove the stale socket %s: %s", sa->sun_path,
		       strerror(errno));
		return FG_ERR_IO;
	}
	fg_info("control: stale socket %s replaced", sa->sun_path);
	return 0;
}

int control_open(struct loop *loop, const char *path, control_fn fn, void *ctx,
		 struct control **out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c = NULL;
	mode_t old_mask;
	unsigned i;
	int rc;

	*out = NULL;
	if (!path || !*path || strlen(path) >= sizeof(sa.sun_path)) {
		fg_err("control: socket path '%s' is empty or too long", path ? path : "");
		return FG_ERR_INVAL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c = calloc(1, sizeof(*c));
	if (!c)
		return FG_ERR_NOMEM;
	c->loop = loop;
	c->fn = fn;
	c->ctx = ctx;
	c->fd = -1;
	memcpy(c->path, sa.sun_path, sizeof(c->path));
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		c->clients[i] = (struct client){ .ctl = c, .fd = -1 };
	rc = clear_path(&sa);
	if (rc)
		goto fail;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		rc = FG_ERR_IO;
		fg_err("control: socket: %s", strerror(errno));
		goto fail;
	}
	old_mask = umask(0177);         /* the file is born 0600 */
	rc = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (rc || chmod(path, 0600) || listen(c->fd, 8)) {
		fg_err("control: cannot listen on %s: %s", path, strerror(errno));
		rc = FG_ERR_IO;
		goto fail_bound;
	}
	rc = loop_add_fd(loop, c->fd, on_accept, c);
	if (rc) {
		fg_err("control: cannot watch %s: %s", path, fg_err_name(rc));
		goto fail_bound;
	}
	fg_info("control: listening on %s", path);
	*out = c;
	return 0;
fail_bound:
	unlink(path);
fail:
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return rc;
}

void control_close(struct control *c)
{
	unsigned i;

	if (!c)
		return;
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		drop(&c->clients[i]);
	loop_del_fd(c->loop, c->fd);
	close(c->fd);
	if (unlink(c->path) != 0)
		fg_warn("control: cannot remove %s: %s", c->path, strerror(errno));
	free(c);
}
