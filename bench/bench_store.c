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

#include "runtime/clock.h"
#include "runtime/store.h"

#define MIN_US 400000

static rt_store *store;
static sqlite3 *raw;
static sqlite3_stmt *raw_insert, *raw_select;
static const rt_store_table *intents;
static char err[512];
static long counter;
static int failures;

typedef void (*step_fn)(void);

static double rate(step_fn step) {
    for (int i = 0; i < 20; i++) step();
    long n = 0;
    int64_t t0 = rt_clock_mono_us(), t;
    do {
        step();
        n++;
        t = rt_clock_mono_us();
    } while (t - t0 < MIN_US);
    return (double)n / ((double)(t - t0) / 1e6);
}

static void report(const char *name, double ops) { printf("%s: %.0f ops/s (%.2f us/op)\n", name, ops, 1e6 / ops); }

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

static void store_add(void) {
    rt_store_value v[RT_STORE_MAX_COLUMNS];
    char client[32];
    intent_values(v, client, sizeof client);
    if (rt_store_add(store, RT_STORE_INTENT, v, NULL, err, sizeof err) != RT_STORE_OK) failures++;
}

static void store_pair(void) {
    /* Both legs' intents in one transaction: what an open writes before sending. */
    if (rt_store_begin(store, err, sizeof err) != RT_STORE_OK) { failures++; return; }
    store_add();
    store_add();
    if (rt_store_commit(store, err, sizeof err) != RT_STORE_OK) failures++;
}

static int ignore_row(void *ctx, const rt_store_table *t, const rt_store_value *v) {
    (void)ctx; (void)t; (void)v;
    return 0;
}

static void store_state_get(void) {
    if (rt_store_state_get(store, ignore_row, NULL, err, sizeof err) != RT_STORE_OK) failures++;
}

static void raw_add(void) {
    char client[32];
    snprintf(client, sizeof client, "raw-%ld", counter++);
    sqlite3_bind_text(raw_insert, 1, client, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(raw_insert) != SQLITE_DONE) failures++;
    sqlite3_reset(raw_insert);
}

static void raw_pair(void) {
    sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    raw_add();
    raw_add();
    if (sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) failures++;
}

static void raw_state_get(void) {
    while (sqlite3_step(raw_select) == SQLITE_ROW) { }
    sqlite3_reset(raw_select);
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

    report("intent committed (store)", rate(store_add));
    report("intent committed (plain sqlite)", rate(raw_add));
    report("two intents in one transaction (store)", rate(store_pair));
    report("two intents in one transaction (plain sqlite)", rate(raw_pair));
    report("state read (store)", rate(store_state_get));
    report("state read (plain sqlite)", rate(raw_state_get));

    sqlite3_finalize(raw_insert);
    sqlite3_finalize(raw_select);
    sqlite3_close(raw);
    rt_store_close(store);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_store: could not remove %s\n", dir);
    if (failures) fprintf(stderr, "bench_store: %d operations failed (last: %s)\n", failures, err);
    return failures ? 1 : 0;
}
