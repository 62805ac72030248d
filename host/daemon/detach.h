/*
 * Running as a daemon: detach_start() forks before any thread or device
 * exists; the parent waits until the child calls detach_ready() (exit 0)
 * or dies first (exit 1), so `fgated -c FILE` still reports a failed
 * start through its exit status, with the child's error lines on the
 * caller's terminal. detach_ready() then leaves the terminal: new session,
 * standard streams on /dev/null, log lines to syslog.
 */
#ifndef FGATE_DAEMON_DETACH_H
#define FGATE_DAEMON_DETACH_H

/* In the child: 0 and *ready_fd for detach_ready(). Returns only in the
 * child; a negative fg_err if fork or pipe failed (nothing forked). */
int detach_start(int *ready_fd);
void detach_ready(int ready_fd);

#endif
