/* Daemon start-up (detach.h). */
#include "daemon/detach.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"

int detach_start(int *ready_fd)
{
	int p[2];
	pid_t pid;
	char c;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return FG_ERR_IO;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return FG_ERR_IO;
	}
	if (pid > 0) {
		close(p[1]);
		do
			n = read(p[0], &c, 1);
		while (n < 0 && errno == EINTR);
		_exit(n == 1 ? 0 : 1);
	}
	close(p[0]);
	setsid();
	*ready_fd = p[1];
	return 0;
}

void detach_ready(int ready_fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	fg_log_set_syslog("fgated");
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	if (write(ready_fd, "", 1) != 1)
		fg_warn("could not tell the starting process that fgated runs");
	close(ready_fd);
}
