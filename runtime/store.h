/* The bot's durable state: one SQLite database file (DESIGN §6).
 *
 * What it holds (runtime/store_schema.c has every column):
 *   state     the state machine: state, cycle, since_ms, last error (one row, always present)
 *   hedges    the current hedge (at most one row is current) and every earlier one
 *   intents   the intent journal: every order intent, committed BEFORE its order is sent
 *   fills, funding_payments, cycles (realised PnL split funding / price / fees), events
 *
 * Durability: WAL, synchronous=FULL, foreign keys on, a busy timeout. Every mutating call is
 * one transaction (or a savepoint inside rt_store_begin/commit), so a process killed at any
 * instant leaves either the whole change or none of it. Opening runs PRAGMA quick_check and
 * refuses a corrupt file, a file that is not a hedge database, or one written by a newer
 * schema, with a message naming the path; older schemas are migrated in place.
 *
 * Values: decimals are TEXT, stored exactly as given (plain notation: "-12.3400" stays
 * "-12.3400"; never REAL); timestamps are integer milliseconds; booleans 0/1. A record is an
 * array of rt_store_value indexed like its table's columns (RT_STORE_MAX_COLUMNS long);
 * RT_STORE_ABSENT means "not given" (on update: unchanged), RT_STORE_NULL clears a field.
 *
 * Errors: every function returns RT_STORE_OK (0) or an rt_store_status and, when err is not
 * NULL, writes a message naming the record, the field and the problem ("intent.size: \"1e3\"
 * is not a plain decimal"). Nothing here aborts on bad input. One store is used by one
 * thread at a time. */
#ifndef HEDGE_RUNTIME_STORE_H
#define HEDGE_RUNTIME_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct rt_store rt_store;

typedef enum rt_store_status {
    RT_STORE_OK = 0,
    RT_STORE_INVALID,      /* a given value is unacceptable (wrong type, bad decimal, unknown enum value, missing field) */
    RT_STORE_NOT_FOUND,    /* no such row */
    RT_STORE_CONFLICT,     /* contradicts what is stored: duplicate id, field fixed once written, finished intent, cycle going back */
    RT_STORE_CORRUPT,      /* not a SQLite file, not a hedge database, or the integrity check failed */
    RT_STORE_INCOMPATIBLE, /* written by a newer schema, or a read-only open of a schema that needs migrating */
    RT_STORE_BUSY,         /* another process holds the database (lock file, or SQLite busy past the timeout) */
    RT_STORE_IO,           /* the file system or SQLite failed: cannot create, disk full, permission, ... */
    RT_STORE_MISUSE        /* programmer error: NULL argument, unknown column, commit without begin */
} rt_store_status;

/* Lower-case name of a status ("invalid", "not_found", ...), "?" when out of range. */
const char *rt_store_status_name(int status);

/* ---- records ------------------------------------------------------------------------------ */

typedef enum rt_store_kind {
    RT_STORE_STATE,
    RT_STORE_HEDGE,
    RT_STORE_INTENT,
    RT_STORE_FILL,
    RT_STORE_FUNDING,
    RT_STORE_CYCLE,
    RT_STORE_EVENT,
    RT_STORE_KIND_COUNT
} rt_store_kind;

typedef enum rt_store_type {
    RT_STORE_T_ID,       /* row id (INTEGER > 0); a column with `references` must name an existing row */
    RT_STORE_T_INTEGER,  /* int64; timestamps are milliseconds */
    RT_STORE_T_BOOLEAN,  /* 0 or 1 */
    RT_STORE_T_DECIMAL,  /* TEXT: -?digits[.digits], at most 38 significant digits, kept byte for byte */
    RT_STORE_T_TEXT,     /* TEXT without NUL bytes, at most RT_STORE_TEXT_MAX bytes */
    RT_STORE_T_NAME,     /* lower-case identifier [a-z][a-z0-9_.-]*, at most 64 bytes (venues, kinds, reasons) */
    RT_STORE_T_SYMBOL,   /* [A-Za-z0-9][A-Za-z0-9._/-]*, at most 32 bytes ("BTC", "kBONK") */
    RT_STORE_T_TOKEN,    /* printable ASCII without spaces, at most 128 bytes (client and venue ids) */
    RT_STORE_T_ENUM,     /* one of the column's choices */
    RT_STORE_T_JSON      /* TEXT holding one JSON value (checked by SQLite's json_valid) */
} rt_store_type;

#define RT_STORE_TEXT_MAX 65536
#define RT_STORE_MAX_COLUMNS 40

/* Column flags. */
#define RT_STORE_COL_REQUIRED  0x01u  /* must be given when the row is first written */
#define RT_STORE_COL_AUTO      0x02u  /* written by the store only (id, created_at_ms, updated_at_ms) */
#define RT_STORE_COL_FIXED     0x04u  /* cannot change once written */
#define RT_STORE_COL_POSITIVE  0x08u  /* > 0 (decimals, integers) */
#define RT_STORE_COL_NONNEG    0x10u  /* >= 0 (decimals, integers) */
#define RT_STORE_COL_NOW       0x20u  /* an absent timestamp gets the current time on insert */

typedef struct rt_store_column {
    const char *name;
    rt_store_type type;
    unsigned flags;
    const char *const *choices;   /* RT_STORE_T_ENUM: NULL-terminated */
    rt_store_kind references;     /* RT_STORE_T_ID other than the row's own id: the table it points into */
} rt_store_column;

typedef struct rt_store_table {
    rt_store_kind kind;
    const char *sql_name;         /* "intents" */
    const char *record_name;      /* "intent", used in messages and by the Lua binding */
    const rt_store_column *columns;
    int column_count;
} rt_store_table;

const rt_store_table *rt_store_table_get(rt_store_kind kind);
/* Index of the column called name, or -1. */
int rt_store_column_index(const rt_store_table *table, const char *name);

typedef enum rt_store_value_kind {
    RT_STORE_ABSENT = 0,  /* not given */
    RT_STORE_NULL,        /* SQL NULL (clears an optional field on update) */
    RT_STORE_INT,
    RT_STORE_STR
} rt_store_value_kind;

typedef struct rt_store_value {
    rt_store_value_kind kind;
    int64_t integer;      /* RT_STORE_INT */
    const char *text;     /* RT_STORE_STR: not necessarily NUL-terminated, see len; not copied */
    size_t len;
} rt_store_value;

/* Building records in C: clear sets every value ABSENT; the setters return -1 for a column the
 * table does not have (the value is then not set), else 0. text is used in place, not copied. */
void rt_store_record_clear(rt_store_value values[RT_STORE_MAX_COLUMNS]);
int rt_store_record_int(const rt_store_table *table, rt_store_value *values, const char *column, int64_t v);
int rt_store_record_text(const rt_store_table *table, rt_store_value *values, const char *column, const char *text);
int rt_store_record_null(const rt_store_table *table, rt_store_value *values, const char *column);

/* Reading: called once per row with every column (ABSENT never appears; NULL for empty
 * fields). Text pointers live until the callback returns. A non-zero return stops the listing
 * (the function then returns RT_STORE_OK). */
typedef int (*rt_store_row_fn)(void *ctx, const rt_store_table *table, const rt_store_value *values);

/* ---- opening ------------------------------------------------------------------------------ */

#define RT_STORE_READ_ONLY 0x1u  /* create and change nothing; the file must exist and be current */
#define RT_STORE_EXCLUSIVE 0x2u  /* one bot per database: hold an flock on "<path>.lock" until close */

/* Opens (creating the file and its parent folders unless RT_STORE_READ_ONLY) and checks the
 * database, migrating an older schema. *out is NULL on failure. */
int rt_store_open(rt_store **out, const char *path, unsigned flags, char *err, size_t errcap);
void rt_store_close(rt_store *store);
const char *rt_store_path(const rt_store *store);
int rt_store_schema_version(const rt_store *store);
/* The schema version this build creates and understands. */
int rt_store_latest_schema_version(void);

/* ---- transactions ------------------------------------------------------------------------- */

/* Groups several calls into one atomic change. Nested begin/commit pairs are savepoints; a
 * failed call inside a transaction undoes only itself. rollback undoes back to the matching
 * begin. No store call may be made by anyone else while a transaction is open. */
int rt_store_begin(rt_store *store, char *err, size_t errcap);
int rt_store_commit(rt_store *store, char *err, size_t errcap);
int rt_store_rollback(rt_store *store, char *err, size_t errcap);
int rt_store_transaction_depth(const rt_store *store);

/* ---- operations --------------------------------------------------------------------------- */

/* State machine. set merges the given fields; when `state` changes and since_ms is not given,
 * since_ms becomes now; cycle may never decrease. */
int rt_store_state_get(rt_store *store, rt_store_row_fn fn, void *ctx, char *err, size_t errcap);
int rt_store_state_set(rt_store *store, const rt_store_value *values, char *err, size_t errcap);

/* Current hedge. get calls fn only when there is one (*found = 1). set creates the current
 * hedge (symbol, status, long_venue, short_venue required) or merges into it; its symbol and
 * venues are fixed. clear closes it (status "closed", closed_at_ms now, close_reason) and keeps
 * it as history; *cleared = 0 when there was none. */
int rt_store_hedge_get(rt_store *store, rt_store_row_fn fn, void *ctx, int *found, char *err, size_t errcap);
int rt_store_hedge_set(rt_store *store, const rt_store_value *values, int64_t *id, char *err, size_t errcap);
int rt_store_hedge_clear(rt_store *store, const char *reason, int *cleared, char *err, size_t errcap);

/* Appends a record: RT_STORE_INTENT (status defaults to "pending"), RT_STORE_FILL,
 * RT_STORE_FUNDING, RT_STORE_CYCLE (total_pnl is computed when absent and checked when given:
 * total = funding + price - fees, and each total equals the sum of its legs when both legs are
 * given) or RT_STORE_EVENT (level defaults to "info"). *id gets the new row id. */
int rt_store_add(rt_store *store, rt_store_kind kind, const rt_store_value *values, int64_t *id, char *err, size_t errcap);

/* Intent progress: status, resolution, venue_order_id, filled_size, avg_price, sent_at_ms.
 * What was intended (venue, client id, symbol, side, size, price, purpose, ...) is fixed, and a
 * finished intent (filled, rejected, resolved) cannot be reopened. */
int rt_store_intent_update(rt_store *store, int64_t id, const rt_store_value *values, char *err, size_t errcap);
int rt_store_intent_find(rt_store *store, const char *venue, const char *client_id, rt_store_row_fn fn, void *ctx,
                         char *err, size_t errcap);
/* Intents not yet finished (pending, sent, partially_filled, unknown), oldest first. */
int rt_store_intent_list_open(rt_store *store, rt_store_row_fn fn, void *ctx, char *err, size_t errcap);

/* One row by id (RT_STORE_NOT_FOUND when missing). */
int rt_store_get(rt_store *store, rt_store_kind kind, int64_t id, rt_store_row_fn fn, void *ctx, char *err, size_t errcap);

typedef struct rt_store_query {
    int64_t limit;             /* 0: every row */
    int newest_first;          /* 0: by id ascending */
    int64_t after_id;          /* only rows with id > after_id (0: all) */
    const char *where_column;  /* optional equality filter on one column ... */
    rt_store_value where_value;/* ... with this value */
} rt_store_query;

int rt_store_list(rt_store *store, rt_store_kind kind, const rt_store_query *query, rt_store_row_fn fn, void *ctx,
                  char *err, size_t errcap);

#endif
