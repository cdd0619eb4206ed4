// SPDX-License-Identifier: Apache-2.0
/*
 * Durability: a snapshot of the whole store plus a write-ahead log of every mutation since.
 * Each acknowledged request (or committed transaction, as one record) is appended to the log
 * and the log is fsync'd before any reply leaves the daemon; a record torn by a crash fails
 * its checksum and is dropped whole on recovery. Compaction writes a new snapshot atomically
 * (write, fsync, rename) and starts a new log epoch, so a crash at any step leaves either the
 * old snapshot with its log or the new snapshot with an empty one.
 */
#ifndef XENSTORED_WAL_H
#define XENSTORED_WAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server.h"

struct wal {
	int dirfd;
	int fd;
	uint64_t epoch;
	size_t size;
	bool dirty;
	/* Log size that triggers compaction. */
	size_t compact_at;
	/* Statistics for tests and the benchmark. */
	uint64_t records_replayed;
	uint64_t syncs;
};

extern const struct persist_ops wal_persist_ops;

/* Loads the snapshot and replays the log from dir into s; opens the log for appending. */
int wal_open(struct wal *w, const char *dir, struct server *s);
void wal_close(struct wal *w);
/* Makes everything logged so far durable. */
int wal_sync(struct wal *w);
/* Writes a snapshot of s and starts an empty log. */
int wal_compact(struct wal *w, struct server *s);
static inline bool wal_wants_compaction(const struct wal *w)
{
	return w->size >= w->compact_at;
}

/* Recomputes every domain's node and memory usage from the store. */
void server_recount(struct server *s);

#endif
