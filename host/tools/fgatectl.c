/*
 * fgatectl: talks to fgated over its control socket (host/daemon/control.h,
 * docs/fgatectl.md). Sends the command line, prints the reply.
 *
 *   fgatectl [--socket PATH] COMMAND [ARGS]
 *
 * Exit status: 0 success, 1 the daemon replied with an error, 2 a usage
 * error or no daemon to talk to.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/control.h"

enum { CTL_EXIT_OK = 0, CTL_EXIT_ERROR = 1, CTL_EXIT_USAGE = 2,
       CTL_REPLY_TIMEOUT_S = 30 };

static const char default_socket[] = "/run/fgated.ctl";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fgatectl [--socket PATH] COMMAND [ARGS]\n"
		"  --socket PATH   fgated's control socket (default %s)\n"
		"commands:\n"
		"  initiate --child NAME   start a CHILD_SA (and its IKE_SA if needed)\n"
		"  initiate --ike NAME     start a connection with all its CHILD_SAs\n"
		"  terminate --child NAME  delete the CHILD_SAs of that name (DELETE sent)\n"
		"  terminate --ike NAME    delete the IKE_SAs of a connection and their children\n"
		"  list-sas [--json]       IKE_SAs and CHILD_SAs, like swanctl --list-sas\n"
		"  list-conns              the loaded connections\n"
		"  stats [--json]          datapath traffic, drops, offload device, SA counts\n"
		"  reload                  re-read the configuration file\n"
		"exit status: 0 ok, 1 error reply, 2 usage error or no daemon\n",
		default_socket);
}

/* The request line from the words; 0 or CTL_EXIT_USAGE (said why). */
static int build_line(char **words, int n, char *line, size_t cap)
{
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		size_t wl = strlen(words[i]), j;

		for (j = 0; j < wl; j++) {
			unsigned char c = (unsigned char)words[i][j];

			if (c < 0x21 || c > 0x7e) {
				fprintf(stderr, "fgatectl: argument '%s' has a blank or a "
					"non-printable character\n", words[i]);
				return CTL_EXIT_USAGE;
			}
		}
		if (!wl || len + wl + 2 > cap) {
			fprintf(stderr, "fgatectl: %s\n", wl ? "request too long" : "empty argument");
			return CTL_EXIT_USAGE;
		}
		if (i)
			line[len++] = ' ';
		memcpy(line + len, words[i], wl);
		len += wl;
	}
	line[len++] = '\n';
	line[len] = '\0';
	return 0;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads until the daemon closes; *out is malloc'ed and NUL-terminated. */
static int read_all(int fd, char **out, size_t *out_len)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *n;

	if (!buf)
		return -1;
	for (;;) {
		ssize_t r;

		if (len + 1 == cap) {
			if (cap >= (size_t)CONTROL_REPLY_MAX * 2 || !(n = realloc(buf, cap * 2))) {
				free(buf);
				errno = EMSGSIZE;
				return -1;
			}
			buf = n;
			cap *= 2;
		}
		r = recv(fd, buf + len, cap - len - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CTL_REPLY_TIMEOUT_S };
	const char *path = default_socket;
	char line[CONTROL_REQ_MAX + 1], *reply = NULL;
	size_t reply_len;
	int opt, fd = -1, rc = CTL_EXIT_USAGE;

	/* "+": options end at the command (its own --child, --json, ...) */
	while ((opt = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return CTL_EXIT_OK;
		default:
			usage(stderr);
			return CTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "fgatectl: socket path too long: %s\n", path);
		return CTL_EXIT_USAGE;
	}
	if (build_line(argv + optind, argc - optind, line, CONTROL_REQ_MAX))
		return CTL_EXIT_USAGE;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "fgatectl: cannot connect to %s: %s (is fgated running?)\n", path,
			strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (send_all(fd, line, strlen(line)) || read_all(fd, &reply, &reply_len)) {
		fprintf(stderr, "fgatectl: talking to %s failed: %s\n", path, strerror(errno));
		goto out;
	}
	if (reply_len >= 3 && memcmp(reply, "ok\n", 3) == 0) {
		fwrite(reply + 3, 1, reply_len - 3, stdout);
		rc = fflush(stdout) ? CTL_EXIT_ERROR : CTL_EXIT_OK;
	} else if (reply_len >= 7 && memcmp(reply, "error: ", 7) == 0) {
		fprintf(stderr, "fgatectl: %s%s", reply + 7,
			reply[reply_len - 1] == '\n' ? "" : "\n");
		rc = CTL_EXIT_ERROR;
	} else {
		fprintf(stderr, "fgatectl: %s closed the connection without a valid reply\n", path);
	}
out:
	free(reply);
	if (fd >= 0)
		close(fd);
	return rc;
}
