/* Shared between the store's files (store.c: opening and transactions; store_schema.c: tables
 * and migrations; store_rows.c: checking, writing and reading records; store_ops.c: the
 * operations). Not part of the public interface. */
#ifndef HEDGE_RUNTIME_STORE_INTERNAL_H
#define HEDGE_RUNTIME_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdarg.h>

#include "runtime/store.h"

struct rt_store {
    sqlite3 *db;
    char *path;
    unsigned flags;
    int schema_version;
    int depth;          /* open transactions: 0 none, 1 BEGIN, >1 savepoints */
    int lock_fd;        /* RT_STORE_EXCLUSIVE: the held "<path>.lock", else -1 */
};

/* ---- schema (store_schema.c) ---------------------------------------------------------------- */

typedef struct store_migration {
    int version;
    const char *sql;
} store_migration;

extern const store_migration store_migrations[];
extern const int store_migration_count;
/* "HEDG": PRAGMA application_id of every hedge state database. */
#define STORE_APPLICATION_ID 0x48454447

/* Intent statuses that are finished (cannot be reopened) and the SQL list of open ones. */
int store_intent_status_is_final(const char *status, size_t len);
#define STORE_OPEN_INTENT_STATUSES "('pending','sent','partially_filled','unknown')"

/* ---- errors (store.c) ------------------------------------------------------------------------ */

/* Writes a message into err (when not NULL) and returns status. */
int store_fail(char *err, size_t errcap, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Maps a SQLite failure on store->db to a status and a message prefixed with `what`. */
int store_sqlite_fail(rt_store *store, int rc, char *err, size_t errcap, const char *what);

/* One mutating call = one transaction: store_tx_begin opens a transaction (or a savepoint when
 * one is already open) and store_tx_end commits it when status is RT_STORE_OK, else rolls it
 * back; it returns the final status. */
int store_tx_begin(rt_store *store, char *err, size_t errcap);
int store_tx_end(rt_store *store, int status, char *err, size_t errcap);

int64_t store_now_ms(void);

/* ---- records (store_rows.c) ------------------------------------------------------------------ */

/* Checks the given values of a record. inserting: required fields must be present and AUTO
 * fields absent; updating: AUTO fields must be absent (FIXED fields are the caller's business). */
int store_check_values(rt_store *store, const rt_store_table *t, const rt_store_value *values, int inserting,
                       char *err, size_t errcap);
/* INSERT of every non-ABSENT value (AUTO timestamps filled in); *id gets the row id. */
int store_insert(rt_store *store, const rt_store_table *t, const rt_store_value *values, int64_t *id,
                 char *err, size_t errcap);
/* UPDATE of every non-ABSENT value of row id (updated_at_ms refreshed when the table has it).
 * *changed gets the number of rows changed (0 or 1). */
int store_update(rt_store *store, const rt_store_table *t, int64_t id, const rt_store_value *values, int *changed,
                 char *err, size_t errcap);
/* SELECT of every column; `where` is SQL after WHERE (built from column names only, never
 * from caller text) with `binds` bound to ?1, ?2, ... */
int store_select(rt_store *store, const rt_store_table *t, const char *where, const char *order_limit,
                 const rt_store_value *binds, int bind_count, rt_store_row_fn fn, void *ctx, int *rows,
                 char *err, size_t errcap);

/* Reads column `name` of a value array: ABSENT if the table has no such column. */
const rt_store_value *store_value(const rt_store_table *t, const rt_store_value *values, const char *name);
int store_value_equals_text(const rt_store_value *v, const char *text);

#endif
