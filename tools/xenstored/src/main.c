// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lu.h"
#include "ring.h"
#include "server.h"
#include "sock.h"
#include "wal.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"
#define DEFAULT_STATE  "/var/lib/xenstored"

struct options {
	const char *socket_path;
	const char *state_dir;
	const char *pid_file;
	const char *lu_state;
	const char *ring;
	bool no_fork;
	bool verbose;
	size_t compact_bytes;
};

struct daemon {
	struct server s;
	struct wal wal;
	struct options opt;
	struct ring_host *rings;
	int listen_fd;
	int sig_fd;
	int argc;
	char **argv;
};

static void usage(FILE *out, const char *prog)
{
	fprintf(
	    out,
	    "Usage: %s [options]\n"
	    "Punt's xenstore daemon: serves the xenstore protocol on a Unix socket and on\n"
	    "domains' shared rings, and keeps the store durable across crashes and updates.\n"
	    "\n"
	    "  -h, --help               show this help and exit\n"
	    "  -V, --version            show the version and exit\n"
	    "  -N, --no-fork            stay in the foreground\n"
	    "  -s, --socket PATH        listen on PATH (env XENSTORED_PATH; default %s)\n"
	    "  -D, --state-dir DIR      keep the durable store in DIR (env XENSTORED_STATE_DIR;\n"
	    "                           default %s)\n"
	    "  -F, --pid-file FILE      write the daemon's pid to FILE\n"
	    "  -Q, --quota NAME=VALUE   set a quota for unprivileged domains; names and "
	    "defaults:\n",
	    prog, DEFAULT_SOCKET, DEFAULT_STATE);
	{
		struct quotas q;

		quotas_default(&q);
		for (int i = 0; i < Q_COUNT; i++)
			fprintf(out, "                             %-18s %8ld  %s\n",
				quota_name((enum quota_id)i), q.v[i], quota_help((enum quota_id)i));
	}
	fprintf(
	    out,
	    "  -R, --ring BACKEND       how domains' rings are reached: none (host default),\n"
	    "                           shm (host tests: shared memory + eventfd, registered on\n"
	    "                           <socket>.rings), xen (dom0: /proc/xen/xsd_kva, gntdev,\n"
	    "                           /dev/xen/evtchn and privcmd)\n"
	    "  -C, --compact-bytes N    compact the log when it reaches N bytes (default 16 MiB)\n"
	    "  -v, --verbose            log every request to stderr\n"
	    "      --live-update-state FILE   (internal) resume from a live update\n"
	    "\n"
	    "Live update: xenstore-control live-update [-F] <new binary>\n");
}

static int parse_options(struct daemon *d, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"no-fork", no_argument, NULL, 'N'},
	    {"socket", required_argument, NULL, 's'},
	    {"state-dir", required_argument, NULL, 'D'},
	    {"pid-file", required_argument, NULL, 'F'},
	    {"quota", required_argument, NULL, 'Q'},
	    {"ring", required_argument, NULL, 'R'},
	    {"compact-bytes", required_argument, NULL, 'C'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"live-update-state", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	struct options *o = &d->opt;
	int ch;

	o->socket_path = getenv("XENSTORED_PATH") ? getenv("XENSTORED_PATH") : DEFAULT_SOCKET;
	o->state_dir =
	    getenv("XENSTORED_STATE_DIR") ? getenv("XENSTORED_STATE_DIR") : DEFAULT_STATE;
	o->ring = "none";
	while ((ch = getopt_long(argc, argv, "hVNs:D:F:Q:R:C:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		case 'V':
			printf("punt-xenstored 0.1 (xenstore protocol of Xen 4.17)\n");
			exit(0);
		case 'N':
			o->no_fork = true;
			break;
		case 's':
			o->socket_path = optarg;
			break;
		case 'D':
			o->state_dir = optarg;
			break;
		case 'F':
			o->pid_file = optarg;
			break;
		case 'Q':
			if (quotas_parse_arg(&d->s.q, optarg)) {
				fprintf(stderr, "xenstored: bad quota '%s'\n", optarg);
				return -1;
			}
			break;
		case 'R':
			o->ring = optarg;
			break;
		case 'C':
			o->compact_bytes = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'L':
			o->lu_state = optarg;
			break;
		default:
			usage(stderr, argv[0]);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return -1;
	}
	return 0;
}

static int make_parent_dir(const char *path)
{
	char *dir = strdup(path);
	char *slash;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	free(dir);
	return 0;
}

static int setup_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void daemonize(const struct options *o)
{
	pid_t pid;
	int fd;

	if (!o->no_fork) {
		pid = fork();
		if (pid < 0) {
			perror("xenstored: fork");
			exit(1);
		}
		if (pid > 0)
			_exit(0);
		setsid();
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	if (o->pid_file) {
		FILE *f = fopen(o->pid_file, "w");

		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
}

static void shutdown_cleanly(struct daemon *d)
{
	for (struct conn *c = d->s.conns; c; c = c->next)
		conn_push(c);
	wal_sync(&d->wal);
	wal_compact(&d->wal, &d->s);
	wal_close(&d->wal);
	exit(0);
}

static void handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			shutdown_cleanly(d);
	}
}

static void reap_conns(struct daemon *d)
{
	struct conn *c = d->s.conns;

	while (c) {
		struct conn *next = c->next;

		if (!c->closing && conn_push(c))
			c->closing = true;
		if (c->closing)
			server_drop_conn(&d->s, c);
		c = next;
	}
}

static void live_update_now(struct daemon *d)
{
	char path[4096];
	const char *err;

	d->s.lu.start = false;
	snprintf(path, sizeof(path), "%s/lu-state", d->opt.state_dir);
	for (struct conn *c = d->s.conns; c; c = c->next)
		conn_push(c);
	err = lu_exec(&d->s, &d->wal, d->rings, d->listen_fd, path, d->argc, d->argv);
	/* Only reached if the new binary could not be started: carry on as before. */
	fprintf(stderr, "xenstored: live update failed: %s\n", err);
	if (d->s.lu.requester) {
		struct conn *c = d->s.lu.requester;

		conn_send(c, XS_CONTROL, d->s.lu.req_id, 0, err, strlen(err) + 1);
		d->s.lu.requester = NULL;
	}
}

struct pollset {
	struct pollfd *pfd;
	struct conn **who;
	size_t cap;
};

static void pollset_reserve(struct pollset *ps, size_t n)
{
	struct pollfd *pfd;
	struct conn **who;

	if (n <= ps->cap)
		return;
	pfd = realloc(ps->pfd, n * 2 * sizeof(*pfd));
	if (pfd)
		ps->pfd = pfd;
	who = realloc(ps->who, n * 2 * sizeof(*who));
	if (who)
		ps->who = who;
	if (!pfd || !who) {
		fprintf(stderr, "xenstored: out of memory\n");
		exit(1);
	}
	ps->cap = n * 2;
}

static bool is_ring(const struct conn *c)
{
	return c->ops != &sock_ops;
}

static void serve(struct daemon *d)
{
	struct pollset ps = {0};

	for (;;) {
		size_t n = 0, first_conn;
		bool backlog = false;

		reap_conns(d);
		for (struct conn *c = d->s.conns; c; c = c->next)
			n++;
		pollset_reserve(&ps, n + 2 + ring_host_nfds(d->rings));
		ps.pfd[0] = (struct pollfd){d->listen_fd, POLLIN, 0};
		ps.pfd[1] = (struct pollfd){d->sig_fd, POLLIN, 0};
		n = 2 + ring_host_pollfds(d->rings, ps.pfd + 2);
		first_conn = n;
		for (struct conn *c = d->s.conns; c; c = c->next) {
			/* A ring's event fd signals both new requests and freed reply space. */
			short ev = is_ring(c) || conn_can_read(&d->s, c) ? POLLIN : 0;

			if (!is_ring(c) && conn_has_output(c))
				ev |= POLLOUT;
			ps.pfd[n] = (struct pollfd){c->fd, ev, 0};
			ps.who[n++] = c;
		}
		if (poll(ps.pfd, n, backlog ? 0 : -1) < 0 && errno != EINTR) {
			perror("xenstored: poll");
			exit(1);
		}
		if (ps.pfd[1].revents)
			handle_signals(d);
		if (ps.pfd[0].revents)
			sock_accept(&d->s, d->listen_fd);
		ring_host_handle(d->rings, &d->s, ps.pfd + 2);
		for (size_t i = first_conn; i < n; i++) {
			struct conn *c = ps.who[i];

			/* Rings are checked every round: requests may have been queued while
			 * their client was over quota, and checking indices is cheap. */
			if (!ps.pfd[i].revents && !is_ring(c) && c->in_len < XS_HDR_SIZE)
				continue;
			if (conn_pull(&d->s, c))
				c->closing = true;
		}
		/* Group commit: one fsync covers every change of this round, before any reply. */
		if (wal_sync(&d->wal)) {
			fprintf(stderr, "xenstored: cannot sync the log; exiting\n");
			exit(1);
		}
		reap_conns(d);
		if (wal_wants_compaction(&d->wal))
			wal_compact(&d->wal, &d->s);
		if (d->s.lu.start)
			live_update_now(d);
	}
}

int main(int argc, char **argv)
{
	struct daemon *d = calloc(1, sizeof(*d));
	int rc;

	if (!d || server_init(&d->s))
		return 1;
	d->argc = argc;
	d->argv = argv;
	if (parse_options(d, argc, argv))
		return 2;
	d->s.verbose = d->opt.verbose;
	rc = ring_host_open(&d->rings, d->opt.ring, d->opt.socket_path, &d->s);
	if (rc) {
		fprintf(stderr, "xenstored: ring backend '%s': %s\n", d->opt.ring, strerror(-rc));
		return 1;
	}
	if (d->opt.lu_state) {
		char path[4096];

		snprintf(path, sizeof(path), "%s", d->opt.lu_state);
		rc = ring_host_restore(d->rings, path);
		if (rc) {
			fprintf(stderr, "xenstored: cannot resume rings: %s\n", strerror(-rc));
			return 1;
		}
	}
	d->wal.compact_at = d->opt.compact_bytes;
	rc = wal_open(&d->wal, d->opt.state_dir, &d->s);
	if (rc) {
		fprintf(stderr, "xenstored: cannot load state from %s: %s\n", d->opt.state_dir,
			strerror(-rc));
		return 1;
	}
	d->s.persist = &wal_persist_ops;
	d->s.persist_ctx = &d->wal;
	ring_host_start(d->rings, &d->s);
	if (d->opt.lu_state) {
		rc = lu_restore(&d->s, d->opt.lu_state, &d->listen_fd);
		if (rc) {
			fprintf(stderr, "xenstored: cannot resume live update: %s\n",
				strerror(-rc));
			return 1;
		}
	} else {
		domain_mark_restored(&d->s);
		make_parent_dir(d->opt.socket_path);
		d->listen_fd = sock_listen(d->opt.socket_path);
		if (d->listen_fd < 0) {
			fprintf(stderr, "xenstored: cannot listen on %s: %s\n", d->opt.socket_path,
				strerror(-d->listen_fd));
			return 1;
		}
	}
	d->sig_fd = setup_signals();
	if (d->sig_fd < 0) {
		perror("xenstored: signals");
		return 1;
	}
	daemonize(&d->opt);
	serve(d);
	return 0;
}
