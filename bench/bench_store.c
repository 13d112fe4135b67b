/* The state store (runtime/store.c) beside plain SQLite doing the same work in the same run:
 * the "reference" is a hand-written prepared statement on a connection with the same pragmas
 * (WAL, synchronous FULL), so the ratio is the cost of the store's checks and generic SQL, and
 * the absolute figure for a committed intent is what the bot waits before sending an order
 * (one fsync of the WAL on this machine's disk). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_support.h"
#include "runtime/store.h"

#define MIN_SECONDS 0.4
#define WARMUP 20

static rt_store *store;
static sqlite3 *raw;
static sqlite3_stmt *raw_insert, *raw_select;
static const rt_store_table *intents;
static char err[512];
static long counter;

static void intent_values(rt_store_value *v, char *client, size_t cap) {
    snprintf(client, cap, "bench-%ld", counter++);
    rt_store_record_clear(v);
    rt_store_record_text(intents, v, "venue", "lighter");
    rt_store_record_text(intents, v, "client_id", client);
    rt_store_record_text(intents, v, "symbol", "ETH");
    rt_store_record_text(intents, v, "side", "buy");
    rt_store_record_text(intents, v, "size", "0.1250");
    rt_store_record_text(intents, v, "price", "3456.78");
    rt_store_record_int(intents, v, "reduce_only", 0);
    rt_store_record_text(intents, v, "purpose", "open");
}

/* Each step returns 0, or -1 when the database refused (err says why, for the store). */
static int store_add(long i) {
    (void)i;
    rt_store_value v[RT_STORE_MAX_COLUMNS];
    char client[32];
    intent_values(v, client, sizeof client);
    return rt_store_add(store, RT_STORE_INTENT, v, NULL, err, sizeof err) == RT_STORE_OK ? 0 : -1;
}

static int store_pair(long i) {
    /* Both legs' intents in one transaction: what an open writes before sending. */
    if (rt_store_begin(store, err, sizeof err) != RT_STORE_OK) return -1;
    if (store_add(i) != 0 || store_add(i) != 0) return -1;
    return rt_store_commit(store, err, sizeof err) == RT_STORE_OK ? 0 : -1;
}

static int ignore_row(void *ctx, const rt_store_table *t, const rt_store_value *v) {
    (void)ctx; (void)t; (void)v;
    return 0;
}

static int store_state_get(long i) {
    (void)i;
    return rt_store_state_get(store, ignore_row, NULL, err, sizeof err) == RT_STORE_OK ? 0 : -1;
}

static int raw_add(long i) {
    (void)i;
    char client[32];
    snprintf(client, sizeof client, "raw-%ld", counter++);
    sqlite3_bind_text(raw_insert, 1, client, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(raw_insert) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(raw_insert);
    return rc;
}

static int raw_pair(long i) {
    if (sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return -1;
    if (raw_add(i) != 0 || raw_add(i) != 0) return -1;
    return sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int raw_state_get(long i) {
    (void)i;
    int rc;
    while ((rc = sqlite3_step(raw_select)) == SQLITE_ROW) { }
    sqlite3_reset(raw_select);
    return rc == SQLITE_DONE ? 0 : -1;
}

int main(void) {
    char dir[] = "/tmp/hedge_bench_store_XXXXXX";
    if (!mkdtemp(dir)) { fprintf(stderr, "bench_store: cannot create a temporary folder\n"); return 1; }
    char path[128], raw_path[128];
    snprintf(path, sizeof path, "%s/store.db", dir);
    snprintf(raw_path, sizeof raw_path, "%s/raw.db", dir);
    if (rt_store_open(&store, path, RT_STORE_EXCLUSIVE, err, sizeof err) != RT_STORE_OK) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    intents = rt_store_table_get(RT_STORE_INTENT);

    sqlite3_open(raw_path, &raw);
    sqlite3_exec(raw,
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                 "CREATE TABLE intents (id INTEGER PRIMARY KEY, venue TEXT NOT NULL, client_id TEXT NOT NULL,"
                 " symbol TEXT NOT NULL, side TEXT NOT NULL, size TEXT NOT NULL, price TEXT, reduce_only INTEGER NOT NULL,"
                 " purpose TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', created_at_ms INTEGER NOT NULL,"
                 " updated_at_ms INTEGER NOT NULL, UNIQUE (venue, client_id)) STRICT;"
                 "CREATE TABLE bot_state (id INTEGER PRIMARY KEY, state TEXT, cycle INTEGER, since_ms INTEGER,"
                 " last_error TEXT, last_error_at_ms INTEGER, updated_at_ms INTEGER) STRICT;"
                 "INSERT INTO bot_state VALUES (1, 'IDLE', 0, 0, NULL, NULL, 0);",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(raw,
                       "INSERT INTO intents (venue, client_id, symbol, side, size, price, reduce_only, purpose,"
                       " created_at_ms, updated_at_ms) VALUES ('lighter', ?1, 'ETH', 'buy', '0.1250', '3456.78', 0,"
                       " 'open', 0, 0)",
                       -1, &raw_insert, NULL);
    sqlite3_prepare_v2(raw, "SELECT id, state, cycle, since_ms, last_error, last_error_at_ms, updated_at_ms FROM bot_state WHERE id = 1",
                       -1, &raw_select, NULL);

    int rc = bench_run("intent committed (store)", store_add, WARMUP, MIN_SECONDS) ||
             bench_run("intent committed (plain sqlite)", raw_add, WARMUP, MIN_SECONDS) ||
             bench_run("two intents in one transaction (store)", store_pair, WARMUP, MIN_SECONDS) ||
             bench_run("two intents in one transaction (plain sqlite)", raw_pair, WARMUP, MIN_SECONDS) ||
             bench_run("state read (store)", store_state_get, WARMUP, MIN_SECONDS) ||
             bench_run("state read (plain sqlite)", raw_state_get, WARMUP, MIN_SECONDS);
    if (rc) fprintf(stderr, "bench_store: %s\n", err[0] ? err : sqlite3_errmsg(raw));

    sqlite3_finalize(raw_insert);
    sqlite3_finalize(raw_select);
    sqlite3_close(raw);
    rt_store_close(store);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_store: could not remove %s\n", dir);
    return rc ? 1 : 0;
}
