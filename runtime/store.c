/* The state store's file handling: opening (parent folders, the one-bot lock, integrity check,
 * schema migration), closing, error mapping and transactions. See runtime/store.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/store_internal.h"

#define BUSY_TIMEOUT_MS 5000

static const char *const status_names[] = {"ok", "invalid", "not_found", "conflict", "corrupt",
                                           "incompatible", "busy", "io", "misuse"};

const char *rt_store_status_name(int status) {
    if (status < 0 || status >= (int)(sizeof status_names / sizeof status_names[0])) return "?";
    return status_names[status];
}

int64_t store_now_ms(void) { return rt_clock_now_ms(); }

int store_fail(char *err, size_t errcap, int status, const char *fmt, ...) {
    if (err && errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return status;
}

static int status_of_sqlite(int rc) {
    switch (rc & 0xff) {
    case SQLITE_OK: return RT_STORE_OK;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return RT_STORE_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return RT_STORE_BUSY;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return RT_STORE_CONFLICT;
        return RT_STORE_INVALID;
    case SQLITE_MISUSE:
    case SQLITE_RANGE: return RT_STORE_MISUSE;
    default: return RT_STORE_IO;
    }
}

int store_sqlite_fail(rt_store *store, int rc, char *err, size_t errcap, const char *what) {
    const char *detail = store && store->db ? sqlite3_errmsg(store->db) : sqlite3_errstr(rc);
    return store_fail(err, errcap, status_of_sqlite(rc), "%s: %s", what, detail);
}

/* ---- opening ---------------------------------------------------------------------------------- */

/* mkdir -p of the folder that will hold the file. */
static int make_parent_dirs(const char *path, char *err, size_t errcap) {
    size_t len = strlen(path);
    char *dir = malloc(len + 1);
    if (!dir) return store_fail(err, errcap, RT_STORE_IO, "out of memory");
    memcpy(dir, path, len + 1);
    char *last = strrchr(dir, '/');
    if (!last || last == dir) { free(dir); return RT_STORE_OK; }
    *last = '\0';
    for (char *p = dir + 1; ; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            int rc = store_fail(err, errcap, RT_STORE_IO, "state database '%s': cannot create folder '%s': %s", path, dir,
                                strerror(e));
            free(dir);
            return rc;
        }
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            int rc = store_fail(err, errcap, RT_STORE_IO, "state database '%s': '%s' is not a folder", path, dir);
            free(dir);
            return rc;
        }
        if (saved == '\0') break;
        *p = saved;
    }
    free(dir);
    return RT_STORE_OK;
}

/* Two bots writing the same journal would each resolve the other's intents: refuse the second. */
static int take_lock(rt_store *s, char *err, size_t errcap) {
    size_t len = strlen(s->path) + sizeof ".lock";
    char *lock_path = malloc(len);
    if (!lock_path) return store_fail(err, errcap, RT_STORE_IO, "out of memory");
    snprintf(lock_path, len, "%s.lock", s->path);
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        int rc = store_fail(err, errcap, RT_STORE_IO, "state database '%s': cannot open lock file '%s': %s", s->path,
                            lock_path, strerror(e));
        free(lock_path);
        return rc;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        int rc = e == EWOULDBLOCK
                     ? store_fail(err, errcap, RT_STORE_BUSY,
                                  "state database '%s' is in use by another hedge process (it holds '%s')", s->path,
                                  lock_path)
                     : store_fail(err, errcap, RT_STORE_IO, "state database '%s': cannot lock '%s': %s", s->path,
                                  lock_path, strerror(e));
        close(fd);
        free(lock_path);
        return rc;
    }
    /* The pid is for the operator looking at the file; the lock itself is the flock. */
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && write(fd, pid, (size_t)n) != n) { /* informational only */ }
    free(lock_path);
    s->lock_fd = fd;
    return RT_STORE_OK;
}

static int exec_sql(rt_store *s, const char *sql, char *err, size_t errcap, const char *what) {
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return store_sqlite_fail(s, rc, err, errcap, what);
    return RT_STORE_OK;
}

/* Runs a single-value PRAGMA or query and returns its integer. */
static int query_int(rt_store *s, const char *sql, int64_t *out, char *err, size_t errcap) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    int status = rc == SQLITE_OK ? RT_STORE_OK : store_sqlite_fail(s, rc, err, errcap, sql);
    sqlite3_finalize(st);
    return status;
}

/* PRAGMA quick_check answers one row "ok", or rows describing the damage. */
static int check_integrity(rt_store *s, char *err, size_t errcap) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
    if (rc != SQLITE_OK) goto sqlite_error;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) goto sqlite_error;
    const char *answer = (const char *)sqlite3_column_text(st, 0);
    if (!answer || strcmp(answer, "ok") != 0) {
        int status = store_fail(err, errcap, RT_STORE_CORRUPT,
                                "state database '%s' is corrupt (integrity check: %.200s); restore it from a backup "
                                "or move it away to start with a fresh one",
                                s->path, answer ? answer : "no answer");
        sqlite3_finalize(st);
        return status;
    }
    sqlite3_finalize(st);
    return RT_STORE_OK;
sqlite_error:
    sqlite3_finalize(st);
    if (status_of_sqlite(rc) == RT_STORE_CORRUPT)
        return store_fail(err, errcap, RT_STORE_CORRUPT,
                          "state database '%s' is not a SQLite database or is corrupt (%s); restore it from a backup "
                          "or move it away to start with a fresh one",
                          s->path, sqlite3_errmsg(s->db));
    return store_fail(err, errcap, status_of_sqlite(rc), "state database '%s': %s", s->path, sqlite3_errmsg(s->db));
}

/* PRAGMA journal_mode answers the mode now in force; anything but "wal" is a failure. */
static int use_wal(rt_store *s, char *err, size_t errcap) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    int status = RT_STORE_OK;
    if (rc == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        if (!mode || strcmp(mode, "wal") != 0)
            status = store_fail(err, errcap, RT_STORE_IO, "state database '%s': cannot use WAL (journal mode is %s)",
                                s->path, mode ? mode : "unknown");
    } else {
        status = store_sqlite_fail(s, rc, err, errcap, "state database: WAL");
    }
    sqlite3_finalize(st);
    return status;
}

static int migrate(rt_store *s, int64_t from, char *err, size_t errcap) {
    for (int i = 0; i < store_migration_count; i++) {
        const store_migration *m = &store_migrations[i];
        if (m->version <= from) continue;
        int rc = exec_sql(s, "BEGIN IMMEDIATE", err, errcap, "state database: begin migration");
        if (rc != RT_STORE_OK) return rc;
        char pragma[96];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; PRAGMA application_id = %d", m->version,
                 STORE_APPLICATION_ID);
        rc = exec_sql(s, m->sql, err, errcap, "state database: migration");
        if (rc == RT_STORE_OK) rc = exec_sql(s, pragma, err, errcap, "state database: schema version");
        if (rc == RT_STORE_OK) {
            /* A fresh state row starts "now" by the runtime clock (tests inject it). */
            char stamp[160];
            int64_t now = store_now_ms();
            snprintf(stamp, sizeof stamp,
                     "UPDATE bot_state SET since_ms = %lld, updated_at_ms = %lld WHERE since_ms IS NULL",
                     (long long)now, (long long)now);
            rc = exec_sql(s, stamp, err, errcap, "state database: initial state");
        }
        if (rc == RT_STORE_OK) rc = exec_sql(s, "COMMIT", err, errcap, "state database: commit migration");
        if (rc != RT_STORE_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            char inner[512];
            snprintf(inner, sizeof inner, "%s", err ? err : "");
            return store_fail(err, errcap, rc, "state database '%s': migration to schema %d failed: %s", s->path,
                              m->version, inner);
        }
        s->schema_version = m->version;
    }
    return RT_STORE_OK;
}

/* Identifies the file, then brings it to the current schema. */
static int prepare_schema(rt_store *s, char *err, size_t errcap) {
    int64_t app_id = 0, version = 0, objects = 0;
    int rc = query_int(s, "PRAGMA application_id", &app_id, err, errcap);
    if (rc == RT_STORE_OK) rc = query_int(s, "PRAGMA user_version", &version, err, errcap);
    if (rc == RT_STORE_OK) rc = query_int(s, "SELECT count(*) FROM sqlite_schema", &objects, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    int latest = rt_store_latest_schema_version();
    int fresh = app_id == 0 && version == 0 && objects == 0;
    if (!fresh && app_id != STORE_APPLICATION_ID)
        return store_fail(err, errcap, RT_STORE_CORRUPT,
                          "'%s' is a SQLite database but not a hedge state database (application id %lld); "
                          "point state_db at another file",
                          s->path, (long long)app_id);
    if (version > latest)
        return store_fail(err, errcap, RT_STORE_INCOMPATIBLE,
                          "state database '%s' has schema %lld, written by a newer hedge (this build knows up to %d)",
                          s->path, (long long)version, latest);
    s->schema_version = (int)version;
    if (version == latest) return RT_STORE_OK;
    if (s->flags & RT_STORE_READ_ONLY)
        return store_fail(err, errcap, RT_STORE_INCOMPATIBLE,
                          fresh ? "state database '%s' is empty (the bot has not run with it yet)"
                                : "state database '%s' has an older schema; the bot migrates it when it starts",
                          s->path);
    return migrate(s, version, err, errcap);
}

/* Rows that point at nothing mean the file was edited or damaged outside the store. */
static int check_references(rt_store *s, char *err, size_t errcap) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc != SQLITE_OK) return store_sqlite_fail(s, rc, err, errcap, "state database: reference check");
    rc = sqlite3_step(st);
    int status = RT_STORE_OK;
    if (rc == SQLITE_ROW)
        status = store_fail(err, errcap, RT_STORE_CORRUPT,
                            "state database '%s' is inconsistent: row %lld of %s points at a missing row of %s",
                            s->path, (long long)sqlite3_column_int64(st, 1), sqlite3_column_text(st, 0),
                            sqlite3_column_text(st, 2));
    else if (rc != SQLITE_DONE)
        status = store_sqlite_fail(s, rc, err, errcap, "state database: reference check");
    sqlite3_finalize(st);
    return status;
}

int rt_store_latest_schema_version(void) { return store_migrations[store_migration_count - 1].version; }

int rt_store_open(rt_store **out, const char *path, unsigned flags, char *err, size_t errcap) {
    if (!out) return store_fail(err, errcap, RT_STORE_MISUSE, "rt_store_open: out is NULL");
    *out = NULL;
    if (!path || !*path) return store_fail(err, errcap, RT_STORE_INVALID, "state database path is empty");
    if (strlen(path) > 4000) return store_fail(err, errcap, RT_STORE_INVALID, "state database path is too long");
    rt_store *s = calloc(1, sizeof *s);
    if (!s) return store_fail(err, errcap, RT_STORE_IO, "out of memory");
    s->lock_fd = -1;
    s->flags = flags;
    s->path = strdup(path);
    int rc = s->path ? RT_STORE_OK : store_fail(err, errcap, RT_STORE_IO, "out of memory");
    int read_only = (flags & RT_STORE_READ_ONLY) != 0;

    if (rc == RT_STORE_OK && read_only && access(path, F_OK) != 0)
        rc = store_fail(err, errcap, RT_STORE_NOT_FOUND, "no state database at '%s'", path);
    if (rc == RT_STORE_OK && !read_only) rc = make_parent_dirs(path, err, errcap);
    if (rc == RT_STORE_OK && !read_only && (flags & RT_STORE_EXCLUSIVE)) rc = take_lock(s, err, errcap);
    if (rc == RT_STORE_OK) {
        int open_flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        int src = sqlite3_open_v2(path, &s->db, open_flags | SQLITE_OPEN_NOMUTEX, NULL);
        if (src != SQLITE_OK)
            rc = store_fail(err, errcap, RT_STORE_IO, "cannot open state database '%s': %s", path,
                            s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
    }
    if (rc == RT_STORE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
        rc = check_integrity(s, err, errcap);
    }
    /* WAL + synchronous=FULL: a commit is on disk when it returns, and a reader (hedge state)
     * never blocks the bot. */
    if (rc == RT_STORE_OK && !read_only) rc = use_wal(s, err, errcap);
    if (rc == RT_STORE_OK)
        rc = exec_sql(s, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", err, errcap, "state database: settings");
    if (rc == RT_STORE_OK) rc = prepare_schema(s, err, errcap);
    if (rc == RT_STORE_OK) rc = check_references(s, err, errcap);
    if (rc != RT_STORE_OK) {
        rt_store_close(s);
        return rc;
    }
    *out = s;
    return RT_STORE_OK;
}

void rt_store_close(rt_store *s) {
    if (!s) return;
    if (s->db) {
        if (s->depth > 0) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(s->db);
    }
    if (s->lock_fd >= 0) close(s->lock_fd);   /* releases the flock */
    free(s->path);
    free(s);
}

const char *rt_store_path(const rt_store *s) { return s ? s->path : NULL; }
int rt_store_schema_version(const rt_store *s) { return s ? s->schema_version : 0; }

/* ---- transactions ----------------------------------------------------------------------------- */

int store_tx_begin(rt_store *s, char *err, size_t errcap) {
    if (s->flags & RT_STORE_READ_ONLY)
        return store_fail(err, errcap, RT_STORE_MISUSE, "state database '%s' was opened read-only", s->path);
    char sql[48];
    if (s->depth == 0) snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else snprintf(sql, sizeof sql, "SAVEPOINT store_%d", s->depth);
    int rc = exec_sql(s, sql, err, errcap, "state database: begin");
    if (rc != RT_STORE_OK) return rc;
    s->depth++;
    return RT_STORE_OK;
}

int store_tx_end(rt_store *s, int status, char *err, size_t errcap) {
    if (s->depth <= 0) return status;
    /* SQLite rolls a whole transaction back by itself on some failures (disk full, I/O): then
     * there is nothing left to commit or release at any depth. */
    if (sqlite3_get_autocommit(s->db)) {
        s->depth = 0;
        if (status == RT_STORE_OK)
            return store_fail(err, errcap, RT_STORE_IO, "state database '%s': the transaction was rolled back by SQLite",
                              s->path);
        return status;
    }
    char sql[80];
    int level = s->depth - 1;
    if (status == RT_STORE_OK) {
        if (level == 0) snprintf(sql, sizeof sql, "COMMIT");
        else snprintf(sql, sizeof sql, "RELEASE store_%d", level);
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            s->depth--;
            return RT_STORE_OK;
        }
        status = store_sqlite_fail(s, rc, err, errcap, "state database: commit");
    }
    if (level == 0) snprintf(sql, sizeof sql, "ROLLBACK");
    else snprintf(sql, sizeof sql, "ROLLBACK TO store_%d; RELEASE store_%d", level, level);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    s->depth = sqlite3_get_autocommit(s->db) ? 0 : level;
    return status;
}

int rt_store_begin(rt_store *s, char *err, size_t errcap) {
    if (!s) return store_fail(err, errcap, RT_STORE_MISUSE, "rt_store_begin: store is NULL");
    /* A read-only store may still want one consistent snapshot for a dump. */
    if ((s->flags & RT_STORE_READ_ONLY) && s->depth == 0) {
        int rc = exec_sql(s, "BEGIN", err, errcap, "state database: begin");
        if (rc == RT_STORE_OK) s->depth = 1;
        return rc;
    }
    if (s->flags & RT_STORE_READ_ONLY)
        return store_fail(err, errcap, RT_STORE_MISUSE, "state database '%s' was opened read-only", s->path);
    return store_tx_begin(s, err, errcap);
}

int rt_store_commit(rt_store *s, char *err, size_t errcap) {
    if (!s) return store_fail(err, errcap, RT_STORE_MISUSE, "rt_store_commit: store is NULL");
    if (s->depth <= 0) return store_fail(err, errcap, RT_STORE_MISUSE, "commit without an open transaction");
    return store_tx_end(s, RT_STORE_OK, err, errcap);
}

int rt_store_rollback(rt_store *s, char *err, size_t errcap) {
    if (!s) return store_fail(err, errcap, RT_STORE_MISUSE, "rt_store_rollback: store is NULL");
    if (s->depth <= 0) return store_fail(err, errcap, RT_STORE_MISUSE, "rollback without an open transaction");
    store_tx_end(s, RT_STORE_CONFLICT, err, errcap);
    return RT_STORE_OK;
}

int rt_store_transaction_depth(const rt_store *s) { return s ? s->depth : 0; }
