// SPDX-License-Identifier: Apache-2.0
/*
 * The Unix-socket transport: local (dom0) clients such as libxenstore, the xenstore-* tools
 * and pyxs. Every socket client acts as dom0.
 */
#ifndef XENSTORED_SOCK_H
#define XENSTORED_SOCK_H

#include "server.h"

extern const struct transport_ops sock_ops;

/* Creates the listening socket at path (replacing a stale one); returns the fd or -errno. */
int sock_listen(const char *path);
/* Accepts every pending client; returns 0 or -errno on a listener failure. */
int sock_accept(struct server *s, int listen_fd);

#endif
