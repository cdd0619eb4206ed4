// SPDX-License-Identifier: Apache-2.0
/*
 * Live update: hand the running daemon over to a new binary without losing anything. The old
 * daemon writes a snapshot (node generations included), then the live state (connections
 * with their buffered bytes, watches, open transactions with their overlays, the pending
 * live-update request) to a file, clears close-on-exec on the socket fds and exec()s the new
 * binary with --live-update-state FILE. The new daemon loads both and answers the request.
 */
#ifndef XENSTORED_LU_H
#define XENSTORED_LU_H

#include "server.h"
#include "wal.h"

struct ring_host;

/* Only returns on failure, with a reason. */
const char *lu_exec(struct server *s, struct wal *w, struct ring_host *rings, int listen_fd,
		    const char *state_path, int argc, char **argv);
/* Restores connections, watches and transactions; the store must already be loaded. */
int lu_restore(struct server *s, const char *state_path, int *listen_fd);

#endif
