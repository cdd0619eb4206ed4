// SPDX-License-Identifier: Apache-2.0
/*
 * The host test backend for rings (see ring.h): a registry of fake guest frames, each a
 * 4 KiB shared-memory page plus two eventfds, filled through a registration socket.
 */
#ifndef XENSTORED_RING_SHM_H
#define XENSTORED_RING_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include "ring.h"

extern const struct ring_backend ring_shm_backend;

int ring_shm_open(void **ctx, const char *socket_path);
int ring_shm_listen_fd(void *ctx);
void ring_shm_accept(void *ctx);
int ring_shm_add(void *ctx, uint64_t gfn, int page_fd, int evt_in, int evt_out);
void ring_shm_inherit(void *ctx, bool keep);
int ring_shm_save(void *ctx, const char *state_path);
int ring_shm_restore(void *ctx, const char *state_path);

#endif
