/* runtime/store: the schema (WAL, synchronous FULL, foreign keys, tables agreeing with their
 * descriptions), every operation with its exact errors, decimal text kept byte for byte,
 * transactions and savepoints, reopening, the one-bot lock, refusal of corrupt, foreign and
 * newer files, and crash safety: a child killed with SIGKILL in the middle of a burst of
 * writes leaves a database that opens cleanly with every committed intent present and no
 * partial rows. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/store.h"
#include "runtime/store_internal.h"
#include "tests/c/tap.h"

static char dir[] = "/tmp/hedge_test_store_XXXXXX";
static char err[512];
static int64_t fake_now = 1700000000000LL;

static int64_t fake_clock(void *ctx) {
    (void)ctx;
    return fake_now;
}

/* ---- capturing rows as text ------------------------------------------------------------------- */

#define MAX_ROWS 64
typedef struct captured {
    int count;
    const rt_store_table *table;
    char cell[MAX_ROWS][RT_STORE_MAX_COLUMNS][128];
} captured;

static captured rows;

static int capture_row(void *ctx, const rt_store_table *t, const rt_store_value *v) {
    captured *c = ctx;
    if (c->count >= MAX_ROWS) return 1;
    c->table = t;
    for (int i = 0; i < t->column_count; i++) {
        char *out = c->cell[c->count][i];
        if (v[i].kind == RT_STORE_INT) snprintf(out, 128, "%" PRId64, v[i].integer);
        else if (v[i].kind == RT_STORE_STR) snprintf(out, 128, "%.*s", (int)v[i].len, v[i].text);
        else snprintf(out, 128, "(null)");
    }
    c->count++;
    return 0;
}

static void reset_rows(void) { memset(&rows, 0, sizeof rows); }

static const char *cell(int row, const char *column) {
    int i = rows.table ? rt_store_column_index(rows.table, column) : -1;
    if (row >= rows.count || i < 0) return "(missing)";
    return rows.cell[row][i];
}

/* ---- building records ------------------------------------------------------------------------- */

static rt_store_value rec[RT_STORE_MAX_COLUMNS];
static const rt_store_table *rec_table;

static void start(rt_store_kind kind) {
    rec_table = rt_store_table_get(kind);
    rt_store_record_clear(rec);
}
static void put(const char *column, const char *text) {
    if (rt_store_record_text(rec_table, rec, column, text) != 0) diag("no column %s", column);
}
static void put_int(const char *column, int64_t v) {
    if (rt_store_record_int(rec_table, rec, column, v) != 0) diag("no column %s", column);
}

static void intent_record(const char *venue, const char *client_id, const char *size) {
    start(RT_STORE_INTENT);
    put("venue", venue);
    put("client_id", client_id);
    put("symbol", "BTC");
    put("side", "buy");
    put("size", size);
    put_int("reduce_only", 0);
    put("purpose", "open");
}

static char path_buf[512];
static const char *path_in(const char *name) {
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static rt_store *open_ok(const char *path, unsigned flags, const char *what) {
    rt_store *s = NULL;
    int rc = rt_store_open(&s, path, flags, err, sizeof err);
    if (!is_int(rc, RT_STORE_OK, "%s", what)) diag("%s", err);
    return s;
}

static int64_t pragma_int(rt_store *s, const char *sql) {
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ---- schema ----------------------------------------------------------------------------------- */

static const char *sql_type_of(rt_store_type type) {
    return type == RT_STORE_T_ID || type == RT_STORE_T_INTEGER || type == RT_STORE_T_BOOLEAN ? "INTEGER" : "TEXT";
}

static void test_schema(void) {
    const char *path = path_in("fresh/nested/state.db");
    rt_store *s = open_ok(path, 0, "open creates the parent folders and the file");
    if (!s) return;
    struct stat st;
    ok(stat(path, &st) == 0 && S_ISREG(st.st_mode), "the database file exists");
    is_int(rt_store_schema_version(s), rt_store_latest_schema_version(), "schema at the latest version");
    is_int(pragma_int(s, "PRAGMA application_id"), STORE_APPLICATION_ID, "application id marks a hedge database");
    is_int(pragma_int(s, "PRAGMA synchronous"), 2, "synchronous = FULL");
    is_int(pragma_int(s, "PRAGMA foreign_keys"), 1, "foreign keys on");
    sqlite3_stmt *q = NULL;
    char mode[16] = "";
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        snprintf(mode, sizeof mode, "%s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    is_str(mode, "wal", "journal mode WAL");

    /* Every described column exists with its storage type, and every table is STRICT. */
    int mismatches = 0, strict = 0;
    for (int k = 0; k < RT_STORE_KIND_COUNT; k++) {
        const rt_store_table *t = rt_store_table_get((rt_store_kind)k);
        for (int i = 0; i < t->column_count; i++) {
            char sql[256];
            snprintf(sql, sizeof sql, "SELECT type FROM pragma_table_info('%s') WHERE name = '%s'", t->sql_name,
                     t->columns[i].name);
            sqlite3_stmt *c = NULL;
            const char *found = NULL;
            if (sqlite3_prepare_v2(s->db, sql, -1, &c, NULL) == SQLITE_OK && sqlite3_step(c) == SQLITE_ROW)
                found = (const char *)sqlite3_column_text(c, 0);
            if (!found || strcmp(found, sql_type_of(t->columns[i].type)) != 0) {
                mismatches++;
                diag("%s.%s: described %s, table has %s", t->sql_name, t->columns[i].name,
                     sql_type_of(t->columns[i].type), found ? found : "nothing");
            }
            sqlite3_finalize(c);
        }
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT strict FROM pragma_table_list WHERE name = '%s'", t->sql_name);
        strict += pragma_int(s, sql) == 1;
    }
    is_int(mismatches, 0, "every described column exists with the right type");
    is_int(strict, RT_STORE_KIND_COUNT, "every table is STRICT (a decimal can never become REAL)");
    rt_store_close(s);
}

/* Every choice the descriptions allow is allowed by the SQL CHECKs too. */
static void test_enums_agree(rt_store *s) {
    int refused = 0, tried = 0, n = 0;
    for (int k = RT_STORE_INTENT; k < RT_STORE_KIND_COUNT; k++) {
        const rt_store_table *t = rt_store_table_get((rt_store_kind)k);
        for (int i = 0; i < t->column_count; i++) {
            if (t->columns[i].type != RT_STORE_T_ENUM) continue;
            for (const char *const *choice = t->columns[i].choices; *choice; choice++) {
                char id[32], stamp[32];
                snprintf(id, sizeof id, "enum-%d", n);
                snprintf(stamp, sizeof stamp, "%d", n++);
                start((rt_store_kind)k);
                switch (k) {
                case RT_STORE_INTENT: intent_record("lighter", id, "1"); break;
                case RT_STORE_FILL:
                    put("venue", "lighter"), put("symbol", "BTC"), put("side", "buy"), put("size", "1"), put("price", "2");
                    put("trade_id", id);
                    break;
                case RT_STORE_FUNDING:
                    put("venue", "lighter"), put("symbol", "BTC"), put("amount", "0.1"), put_int("paid_at_ms", n);
                    break;
                case RT_STORE_CYCLE:
                    put_int("cycle", 1000 + n), put("symbol", "BTC"), put("long_venue", "lighter");
                    put("short_venue", "pacifica"), put("close_reason", "test"), put("funding_pnl", "1");
                    put("price_pnl", "0"), put("fees", "0");
                    break;
                case RT_STORE_EVENT: put("kind", "test"), put("message", "enum check"); break;
                }
                put(t->columns[i].name, *choice);
                tried++;
                if (rt_store_add(s, (rt_store_kind)k, rec, NULL, err, sizeof err) != RT_STORE_OK) {
                    refused++;
                    diag("%s.%s = %s refused: %s", t->record_name, t->columns[i].name, *choice, err);
                }
            }
        }
    }
    ok(tried > 20, "enum choices tried (%d)", tried);
    is_int(refused, 0, "the SQL accepts every choice the descriptions allow");
}

/* ---- state and hedge -------------------------------------------------------------------------- */

static void test_state(rt_store *s) {
    reset_rows();
    is_int(rt_store_state_get(s, capture_row, &rows, err, sizeof err), RT_STORE_OK, "state_get");
    is_str(cell(0, "state"), "IDLE", "a new database starts IDLE");
    is_str(cell(0, "cycle"), "0", "... at cycle 0");
    is_str(cell(0, "since_ms"), "1700000000000", "... since the (injected) clock's now");

    fake_now += 1000;
    start(RT_STORE_STATE);
    put("state", "OPENING");
    put_int("cycle", 1);
    is_int(rt_store_state_set(s, rec, err, sizeof err), RT_STORE_OK, "state_set OPENING, cycle 1");
    fake_now += 1000;
    start(RT_STORE_STATE);
    put("last_error", "lighter timeout");
    put_int("last_error_at_ms", fake_now);
    is_int(rt_store_state_set(s, rec, err, sizeof err), RT_STORE_OK, "state_set last_error only");
    start(RT_STORE_STATE);
    put("state", "OPENING");
    is_int(rt_store_state_set(s, rec, err, sizeof err), RT_STORE_OK, "state_set to the same state");
    reset_rows();
    rt_store_state_get(s, capture_row, &rows, err, sizeof err);
    is_str(cell(0, "state"), "OPENING", "state changed");
    is_str(cell(0, "cycle"), "1", "cycle changed");
    is_str(cell(0, "since_ms"), "1700000001000", "since_ms moves only when the state changes");
    is_str(cell(0, "last_error"), "lighter timeout", "last error kept");
    is_str(cell(0, "updated_at_ms"), "1700000002000", "updated_at_ms is the last write");

    start(RT_STORE_STATE);
    put_int("cycle", 0);
    is_int(rt_store_state_set(s, rec, err, sizeof err), RT_STORE_CONFLICT, "the cycle cannot go back");
    is_str(err, "state.cycle cannot go back from 1 to 0", "... with the exact message");
    start(RT_STORE_STATE);
    put("state", "SLEEPING");
    is_int(rt_store_state_set(s, rec, err, sizeof err), RT_STORE_INVALID, "an unknown state is refused");
    is_str(err, "state.state: \"SLEEPING\" is not one of IDLE, ANALYZING, OPENING, HOLDING, CLOSING, WAITING, ERROR, SHUTDOWN, HALTED",
           "... naming the value and the choices");
    start(RT_STORE_STATE);
    put_int("id", 5);
    is_int(rt_store_state_set(s, rec, err, sizeof err), RT_STORE_MISUSE, "the id is the store's");
    is_str(err, "state.id is written by the store, not by callers", "... said plainly");

    const char *states[] = {"ANALYZING", "HOLDING", "CLOSING", "WAITING", "ERROR", "SHUTDOWN", "HALTED", "IDLE"};
    int all = 1;
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        start(RT_STORE_STATE);
        put("state", states[i]);
        all &= rt_store_state_set(s, rec, err, sizeof err) == RT_STORE_OK;
    }
    ok(all, "every state of the machine can be stored");
}

static void test_hedge(rt_store *s) {
    int found = 1;
    reset_rows();
    is_int(rt_store_hedge_get(s, capture_row, &rows, &found, err, sizeof err), RT_STORE_OK, "hedge_get without a hedge");
    ok(!found && rows.count == 0, "... finds none");

    start(RT_STORE_HEDGE);
    put("status", "opening");
    put("long_venue", "lighter");
    put("short_venue", "pacifica");
    int64_t id = 0;
    is_int(rt_store_hedge_set(s, rec, &id, err, sizeof err), RT_STORE_INVALID, "a new hedge needs a symbol");
    is_str(err, "hedge.symbol is required", "... said exactly");

    put("symbol", "ETH");
    put_int("cycle", 1);
    put("long_size", "0.1250");
    put("short_size", "0.1250");
    put("long_client_id", "281474976710655");
    put("short_client_id", "0b4c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e");
    put("leverage", "3");
    put("stop_loss_percent", "22.56");
    put_int("opened_at_ms", fake_now);
    put_int("target_close_ms", fake_now + 8 * 3600000LL);
    is_int(rt_store_hedge_set(s, rec, &id, err, sizeof err), RT_STORE_OK, "hedge_set creates the current hedge");
    ok(id > 0, "... with an id");

    start(RT_STORE_HEDGE);
    put("status", "open");
    put("long_entry_price", "3456.78");
    put("short_entry_price", "3457.10");
    int64_t same = 0;
    is_int(rt_store_hedge_set(s, rec, &same, err, sizeof err), RT_STORE_OK, "hedge_set merges into the current hedge");
    is_int(same, id, "... the same hedge");

    reset_rows();
    rt_store_hedge_get(s, capture_row, &rows, &found, err, sizeof err);
    ok(found && rows.count == 1, "hedge_get finds it");
    is_str(cell(0, "symbol"), "ETH", "symbol");
    is_str(cell(0, "status"), "open", "status updated");
    is_str(cell(0, "long_size"), "0.1250", "long size kept as written (trailing zero)");
    is_str(cell(0, "long_client_id"), "281474976710655", "long client id");
    is_str(cell(0, "short_client_id"), "0b4c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e", "short client id");
    is_str(cell(0, "short_entry_price"), "3457.10", "short entry price");
    is_str(cell(0, "stop_loss_percent"), "22.56", "stop level");
    is_str(cell(0, "adopted"), "0", "not adopted unless said");

    start(RT_STORE_HEDGE);
    put("symbol", "BTC");
    is_int(rt_store_hedge_set(s, rec, NULL, err, sizeof err), RT_STORE_CONFLICT, "the symbol of the current hedge is fixed");
    char expected[160];
    snprintf(expected, sizeof expected, "hedge.symbol cannot change while hedge %" PRId64 " is current (clear it first)", id);
    is_str(err, expected, "... said exactly");
    start(RT_STORE_HEDGE);
    put("symbol", "ETH");
    put("long_venue", "lighter");
    is_int(rt_store_hedge_set(s, rec, NULL, err, sizeof err), RT_STORE_OK, "repeating the fixed values is fine");
    start(RT_STORE_HEDGE);
    put("status", "closed");
    is_int(rt_store_hedge_set(s, rec, NULL, err, sizeof err), RT_STORE_INVALID, "status closed only by clearing");
    start(RT_STORE_HEDGE);
    put("long_size", "-1");
    is_int(rt_store_hedge_set(s, rec, NULL, err, sizeof err), RT_STORE_INVALID, "a negative size is refused");
    is_str(err, "hedge.long_size: \"-1\" must not be negative", "... said exactly");

    int cleared = 0;
    fake_now += 5000;
    is_int(rt_store_hedge_clear(s, "rotated", &cleared, err, sizeof err), RT_STORE_OK, "hedge_clear");
    ok(cleared, "... cleared the current hedge");
    rt_store_hedge_get(s, NULL, NULL, &found, err, sizeof err);
    ok(!found, "no current hedge after clearing");
    is_int(rt_store_hedge_clear(s, "again", &cleared, err, sizeof err), RT_STORE_OK, "clearing nothing is fine");
    ok(!cleared, "... and says nothing was cleared");
    reset_rows();
    rt_store_get(s, RT_STORE_HEDGE, id, capture_row, &rows, err, sizeof err);
    is_str(cell(0, "status"), "closed", "the old hedge is kept as closed history");
    is_str(cell(0, "close_reason"), "rotated", "... with its reason");
    char when[32];
    snprintf(when, sizeof when, "%" PRId64, fake_now);
    is_str(cell(0, "closed_at_ms"), when, "... and its closing time");

    start(RT_STORE_HEDGE);
    put("symbol", "BTC"), put("status", "opening"), put("long_venue", "edgex"), put("short_venue", "edgex");
    is_int(rt_store_hedge_set(s, rec, NULL, err, sizeof err), RT_STORE_INVALID, "both legs on one venue are refused");
    start(RT_STORE_HEDGE);
    put("symbol", "BTC"), put("status", "opening"), put("long_venue", "edgex"), put("short_venue", "lighter");
    is_int(rt_store_hedge_set(s, rec, NULL, err, sizeof err), RT_STORE_OK, "a new current hedge after clearing");
    rt_store_hedge_clear(s, "test", NULL, err, sizeof err);
}

/* ---- intents and decimals --------------------------------------------------------------------- */

static void test_decimals(rt_store *s) {
    static const char *const exact[] = {
        "1.50", "0.000000000000000000000000000000000001", "12345678901234567890123456789.123456789",
        "99999999999999999999999999999999999999", "0.1000", "7",
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        char client[32];
        snprintf(client, sizeof client, "dec-%zu", i);
        intent_record("pacifica", client, exact[i]);
        put("price", exact[i]);
        put("filled_size", "0.000");
        int64_t id = 0;
        int rc = rt_store_add(s, RT_STORE_INTENT, rec, &id, err, sizeof err);
        if (!is_int(rc, RT_STORE_OK, "decimal %s accepted", exact[i])) diag("%s", err);
        reset_rows();
        rt_store_get(s, RT_STORE_INTENT, id, capture_row, &rows, err, sizeof err);
        is_str(cell(0, "size"), exact[i], "size %s read back byte for byte", exact[i]);
        is_str(cell(0, "price"), exact[i], "price %s read back byte for byte", exact[i]);
        is_str(cell(0, "filled_size"), "0.000", "zero with its scale read back");
    }
    static const struct { const char *text, *message; } bad[] = {
        {"1e3", "intent.size: \"1e3\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {"+1", "intent.size: \"+1\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {".5", "intent.size: \".5\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {"5.", "intent.size: \"5.\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {"NaN", "intent.size: \"NaN\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {"1,5", "intent.size: \"1,5\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {" 1", "intent.size: \" 1\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {"", "intent.size: \"\" is not a plain decimal (digits, an optional point and fraction, an optional leading minus)"},
        {"123456789012345678901234567890123456789", "intent.size: \"123456789012345678901234567890123456789\": more than 38 significant digits"},
        {"0", "intent.size: \"0\" must be greater than 0"},
        {"-0.5", "intent.size: \"-0.5\" must be greater than 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        intent_record("pacifica", "bad-decimal", bad[i].text);
        is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "size \"%s\" refused",
               bad[i].text);
        is_str(err, bad[i].message, "... with the exact message");
    }
    rt_store_query q = {.where_column = "client_id", .where_value = {.kind = RT_STORE_STR, .text = "bad-decimal", .len = 11}};
    reset_rows();
    rt_store_list(s, RT_STORE_INTENT, &q, capture_row, &rows, err, sizeof err);
    is_int(rows.count, 0, "no refused intent was written");
}

static void test_intents(rt_store *s) {
    intent_record("lighter", "1001", "0.5");
    put("price", "3500.25");
    put("order_type", "limit");
    put_int("cycle", 3);
    int64_t first = 0, second = 0;
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, &first, err, sizeof err), RT_STORE_OK, "intent_add");
    reset_rows();
    rt_store_get(s, RT_STORE_INTENT, first, capture_row, &rows, err, sizeof err);
    is_str(cell(0, "status"), "pending", "a new intent is pending");
    is_str(cell(0, "reduce_only"), "0", "reduce_only stored");
    is_str(cell(0, "purpose"), "open", "purpose stored");

    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_CONFLICT, "a client id is used once per venue");
    is_str(err, "intent: already recorded (UNIQUE constraint failed: intents.venue, intents.client_id)", "... said exactly");
    intent_record("pacifica", "1001", "0.5");
    put("side", "sell");
    put_int("reduce_only", 1);
    put("purpose", "close");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, &second, err, sizeof err), RT_STORE_OK, "the same client id on another venue");

    intent_record("lighter", "1002", "0.5");
    put_int("hedge_id", 999);
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "a missing hedge is refused");
    is_str(err, "intent.hedge_id: there is no hedge 999", "... naming it");
    intent_record("lighter", "1002", "0.5");
    put("purpose", "hope");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "an unknown purpose is refused");
    is_str(err, "intent.purpose: \"hope\" is not one of open, close, unwind, trim, emergency", "... listing the purposes");
    intent_record("lighter", "has space", "0.5");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "a client id with a space is refused");
    intent_record("Lighter", "1003", "0.5");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "venue names are lower case");
    start(RT_STORE_INTENT);
    put("venue", "lighter");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "an incomplete intent is refused");
    is_str(err, "intent.client_id is required", "... naming the first missing field");

    reset_rows();
    is_int(rt_store_intent_list_open(s, capture_row, &rows, err, sizeof err), RT_STORE_OK, "intent_list_open");
    int open_before = rows.count;

    start(RT_STORE_INTENT);
    put("status", "sent");
    put_int("sent_at_ms", fake_now);
    is_int(rt_store_intent_update(s, first, rec, err, sizeof err), RT_STORE_OK, "intent_update to sent");
    start(RT_STORE_INTENT);
    put("status", "filled");
    put("filled_size", "0.5");
    put("avg_price", "3499.75");
    put("venue_order_id", "281474976711000");
    put("resolution", "filled at once");
    is_int(rt_store_intent_update(s, first, rec, err, sizeof err), RT_STORE_OK, "intent_update to filled");
    reset_rows();
    rt_store_get(s, RT_STORE_INTENT, first, capture_row, &rows, err, sizeof err);
    is_str(cell(0, "status"), "filled", "status filled");
    is_str(cell(0, "avg_price"), "3499.75", "average price");
    is_str(cell(0, "venue_order_id"), "281474976711000", "venue order id");

    start(RT_STORE_INTENT);
    put("status", "sent");
    is_int(rt_store_intent_update(s, first, rec, err, sizeof err), RT_STORE_CONFLICT, "a filled intent cannot be reopened");
    char expected[160];
    snprintf(expected, sizeof expected, "intent %" PRId64 " is already filled; it cannot become sent", first);
    is_str(err, expected, "... said exactly");
    start(RT_STORE_INTENT);
    put("size", "1");
    is_int(rt_store_intent_update(s, first, rec, err, sizeof err), RT_STORE_CONFLICT, "what was intended cannot change");
    snprintf(expected, sizeof expected,
             "intent %" PRId64 ": size cannot change once the intent is written (write a new intent instead)", first);
    is_str(err, expected, "... said exactly");
    start(RT_STORE_INTENT);
    put("status", "resolved");
    is_int(rt_store_intent_update(s, 424242, rec, err, sizeof err), RT_STORE_NOT_FOUND, "updating a missing intent");
    is_str(err, "there is no intent 424242", "... said exactly");
    start(RT_STORE_INTENT);
    put("status", "unknown");
    is_int(rt_store_intent_update(s, second, rec, err, sizeof err), RT_STORE_OK, "an unknown outcome is recorded");

    reset_rows();
    rt_store_intent_list_open(s, capture_row, &rows, err, sizeof err);
    is_int(rows.count, open_before - 1, "the filled intent left the open list");
    int has_second = 0;
    for (int i = 0; i < rows.count; i++) {
        char id[32];
        snprintf(id, sizeof id, "%" PRId64, second);
        if (strcmp(cell(i, "id"), id) == 0) has_second = 1;
    }
    ok(has_second, "the unknown-outcome intent is still open");

    reset_rows();
    is_int(rt_store_intent_find(s, "pacifica", "1001", capture_row, &rows, err, sizeof err), RT_STORE_OK,
           "intent_find by venue and client id");
    is_str(cell(0, "side"), "sell", "... finds the Pacifica one");
    is_int(rt_store_intent_find(s, "edgex", "1001", NULL, NULL, err, sizeof err), RT_STORE_NOT_FOUND, "unknown client id");
    is_str(err, "there is no intent with client id 1001 on edgex", "... said exactly");
}

/* ---- history ---------------------------------------------------------------------------------- */

static void test_history(rt_store *s) {
    intent_record("edgex", "fill-parent", "2");
    int64_t intent = 0, fill = 0;
    rt_store_add(s, RT_STORE_INTENT, rec, &intent, err, sizeof err);
    start(RT_STORE_FILL);
    put_int("intent_id", intent);
    put("venue", "edgex"), put("symbol", "BTC"), put("side", "buy"), put("size", "1.5"), put("price", "65000.1");
    put("fee", "-0.0012"), put("liquidity", "taker"), put("trade_id", "T-1");
    is_int(rt_store_add(s, RT_STORE_FILL, rec, &fill, err, sizeof err), RT_STORE_OK, "fill_add");
    is_int(rt_store_add(s, RT_STORE_FILL, rec, NULL, err, sizeof err), RT_STORE_CONFLICT, "the same trade twice is refused");
    put_int("intent_id", 987654);
    put("trade_id", "T-2");
    is_int(rt_store_add(s, RT_STORE_FILL, rec, NULL, err, sizeof err), RT_STORE_INVALID, "a fill of a missing intent");
    is_str(err, "fill.intent_id: there is no intent 987654", "... naming it");
    reset_rows();
    rt_store_get(s, RT_STORE_FILL, fill, capture_row, &rows, err, sizeof err);
    is_str(cell(0, "fee"), "-0.0012", "a negative fee (rebate) is kept");
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%" PRId64, fake_now);
    is_str(cell(0, "filled_at_ms"), stamp, "a fill without a time gets now");

    start(RT_STORE_FUNDING);
    put("venue", "lighter"), put("symbol", "ETH"), put("side", "short"), put("amount", "0.031415"), put("rate", "-0.0000125");
    put_int("paid_at_ms", 1700003600000LL);
    is_int(rt_store_add(s, RT_STORE_FUNDING, rec, NULL, err, sizeof err), RT_STORE_OK, "funding_add");
    is_int(rt_store_add(s, RT_STORE_FUNDING, rec, NULL, err, sizeof err), RT_STORE_CONFLICT,
           "the same settlement twice is refused");

    start(RT_STORE_CYCLE);
    put_int("cycle", 1);
    put("symbol", "ETH"), put("long_venue", "lighter"), put("short_venue", "pacifica"), put("close_reason", "hold_elapsed");
    put("long_funding_pnl", "0.70"), put("short_funding_pnl", "0.80");
    put("funding_pnl", "1.50"), put("price_pnl", "2.25"), put("fees", "0.10");
    int64_t cycle = 0;
    is_int(rt_store_add(s, RT_STORE_CYCLE, rec, &cycle, err, sizeof err), RT_STORE_OK, "cycle_add");
    reset_rows();
    rt_store_get(s, RT_STORE_CYCLE, cycle, capture_row, &rows, err, sizeof err);
    is_str(cell(0, "total_pnl"), "3.65", "total_pnl = funding + price - fees, exactly, at the inputs' scale");
    start(RT_STORE_CYCLE);
    put_int("cycle", 2);
    put("symbol", "ETH"), put("long_venue", "lighter"), put("short_venue", "pacifica"), put("close_reason", "stop_loss");
    put("funding_pnl", "1.50"), put("price_pnl", "-2.25"), put("fees", "0.10"), put("total_pnl", "-0.80");
    is_int(rt_store_add(s, RT_STORE_CYCLE, rec, NULL, err, sizeof err), RT_STORE_INVALID, "a total that does not add up");
    is_str(err, "cycle.total_pnl is -0.80 but funding_pnl + price_pnl - fees = -0.85", "... showing the sum");
    put("total_pnl", "-0.850");
    is_int(rt_store_add(s, RT_STORE_CYCLE, rec, NULL, err, sizeof err), RT_STORE_OK, "an equal total in another scale");
    start(RT_STORE_CYCLE);
    put_int("cycle", 3);
    put("symbol", "ETH"), put("long_venue", "lighter"), put("short_venue", "pacifica"), put("close_reason", "stop_loss");
    put("funding_pnl", "1"), put("price_pnl", "0"), put("fees", "0.1"), put("long_fees", "0.1");
    is_int(rt_store_add(s, RT_STORE_CYCLE, rec, NULL, err, sizeof err), RT_STORE_INVALID, "one leg's fees alone");
    is_str(err, "cycle.long_fees is given without cycle.short_fees (give both legs or neither)", "... said exactly");
    put("short_fees", "0.2");
    is_int(rt_store_add(s, RT_STORE_CYCLE, rec, NULL, err, sizeof err), RT_STORE_INVALID, "legs that do not add up");
    is_str(err, "cycle.fees is 0.1 but long_fees + short_fees = 0.3", "... said exactly");

    for (int i = 0; i < 5; i++) {
        start(RT_STORE_EVENT);
        put("kind", i % 2 ? "alert" : "open");
        put("level", i % 2 ? "warn" : "info");
        put("message", i % 2 ? "funding spread inverted" : "opened ETH");
        put("data", "{\"apr\":\"12.5\",\"legs\":[1,2]}");
        is_int(rt_store_add(s, RT_STORE_EVENT, rec, NULL, err, sizeof err), RT_STORE_OK, "event_add %d", i);
    }
    start(RT_STORE_EVENT);
    put("kind", "open"), put("message", "bad data"), put("data", "{not json");
    is_int(rt_store_add(s, RT_STORE_EVENT, rec, NULL, err, sizeof err), RT_STORE_INVALID, "event data must be JSON");
    rt_store_query q = {.limit = 2, .newest_first = 1, .where_column = "kind",
                        .where_value = {.kind = RT_STORE_STR, .text = "open", .len = 4}};
    reset_rows();
    is_int(rt_store_list(s, RT_STORE_EVENT, &q, capture_row, &rows, err, sizeof err), RT_STORE_OK, "list events");
    is_int(rows.count, 2, "limit respected");
    ok(atoll(cell(0, "id")) > atoll(cell(1, "id")), "newest first");
    is_str(cell(0, "kind"), "open", "filter by kind");
    is_str(cell(0, "level"), "info", "level kept");
    rt_store_query after = {.after_id = atoll(cell(1, "id"))};
    reset_rows();
    rt_store_list(s, RT_STORE_EVENT, &after, capture_row, &rows, err, sizeof err);
    is_int(rows.count, 2, "after_id lists only later rows");
    rt_store_query badq = {.where_column = "nope"};
    is_int(rt_store_list(s, RT_STORE_EVENT, &badq, NULL, NULL, err, sizeof err), RT_STORE_MISUSE, "unknown filter field");
}

/* ---- transactions ----------------------------------------------------------------------------- */

static int count_rows(rt_store *s, rt_store_kind kind) {
    int n = 0;
    rt_store_query q = {0};
    reset_rows();
    rt_store_list(s, kind, &q, capture_row, &rows, err, sizeof err);
    n = rows.count;
    if (n >= MAX_ROWS) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", rt_store_table_get(kind)->sql_name);
        n = (int)pragma_int(s, sql);
    }
    return n;
}

static void test_transactions(rt_store *s) {
    int intents = count_rows(s, RT_STORE_INTENT), events = count_rows(s, RT_STORE_EVENT);
    is_int(rt_store_begin(s, err, sizeof err), RT_STORE_OK, "begin");
    is_int(rt_store_transaction_depth(s), 1, "depth 1");
    intent_record("lighter", "tx-1", "1");
    rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err);
    start(RT_STORE_EVENT);
    put("kind", "open"), put("message", "in a transaction");
    rt_store_add(s, RT_STORE_EVENT, rec, NULL, err, sizeof err);
    is_int(rt_store_rollback(s, err, sizeof err), RT_STORE_OK, "rollback");
    is_int(count_rows(s, RT_STORE_INTENT), intents, "the rolled-back intent is gone");
    is_int(count_rows(s, RT_STORE_EVENT), events, "the rolled-back event is gone");

    rt_store_begin(s, err, sizeof err);
    intent_record("lighter", "tx-2", "1");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_OK, "add inside a transaction");
    is_int(rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_CONFLICT, "a failing call inside it");
    is_int(rt_store_transaction_depth(s), 1, "the failed call undid only itself");
    rt_store_begin(s, err, sizeof err);
    is_int(rt_store_transaction_depth(s), 2, "nested begin is a savepoint");
    intent_record("lighter", "tx-3", "1");
    rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err);
    rt_store_rollback(s, err, sizeof err);
    is_int(rt_store_commit(s, err, sizeof err), RT_STORE_OK, "commit the outer transaction");
    is_int(count_rows(s, RT_STORE_INTENT), intents + 1, "the outer add committed, the inner rolled back");
    is_int(rt_store_commit(s, err, sizeof err), RT_STORE_MISUSE, "commit without begin");
    is_str(err, "commit without an open transaction", "... said exactly");
}

/* ---- reopening, locking, refusing bad files --------------------------------------------------- */

static void test_reopen_and_lock(void) {
    const char *path = path_in("lock/state.db");
    char path_copy[512];
    snprintf(path_copy, sizeof path_copy, "%s", path);
    rt_store *a = open_ok(path_copy, RT_STORE_EXCLUSIVE, "open with the one-bot lock");
    intent_record("lighter", "persist-1", "0.30");
    rt_store_add(a, RT_STORE_INTENT, rec, NULL, err, sizeof err);
    rt_store *b = NULL;
    is_int(rt_store_open(&b, path_copy, RT_STORE_EXCLUSIVE, err, sizeof err), RT_STORE_BUSY, "a second bot is refused");
    char expected[1200];
    snprintf(expected, sizeof expected, "state database '%s' is in use by another hedge process (it holds '%s.lock')",
             path_copy, path_copy);
    is_str(err, expected, "... naming the database and the lock file");
    ok(b == NULL, "... and gets no store");
    rt_store *reader = open_ok(path_copy, RT_STORE_READ_ONLY, "a read-only reader opens beside the bot");
    reset_rows();
    rt_store_intent_find(reader, "lighter", "persist-1", capture_row, &rows, err, sizeof err);
    is_str(cell(0, "size"), "0.30", "the reader sees committed data");
    intent_record("lighter", "ro", "1");
    is_int(rt_store_add(reader, RT_STORE_INTENT, rec, NULL, err, sizeof err), RT_STORE_MISUSE, "a read-only store refuses writes");
    rt_store_close(reader);
    rt_store_close(a);
    rt_store *again = open_ok(path_copy, RT_STORE_EXCLUSIVE, "reopen after close (lock released)");
    reset_rows();
    rt_store_intent_find(again, "lighter", "persist-1", capture_row, &rows, err, sizeof err);
    is_str(cell(0, "size"), "0.30", "the data survived reopening");
    rt_store_close(again);

    rt_store *missing = NULL;
    is_int(rt_store_open(&missing, path_in("none.db"), RT_STORE_READ_ONLY, err, sizeof err), RT_STORE_NOT_FOUND,
           "read-only open of a missing file");
    snprintf(expected, sizeof expected, "no state database at '%s'", path_in("none.db"));
    is_str(err, expected, "... naming the path");
    is_int(rt_store_open(&missing, "", 0, err, sizeof err), RT_STORE_INVALID, "an empty path is refused");
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (f) { fputs(text, f); fclose(f); }
}

static void test_bad_files(void) {
    char path[512];
    snprintf(path, sizeof path, "%s", path_in("text.db"));
    write_file(path, "this is not a database, it is a note that someone saved with the wrong name.\n");
    rt_store *s = NULL;
    is_int(rt_store_open(&s, path, 0, err, sizeof err), RT_STORE_CORRUPT, "a text file is refused");
    char expected[1200];
    snprintf(expected, sizeof expected,
             "state database '%s' is not a SQLite database or is corrupt (file is not a database); restore it from a "
             "backup or move it away to start with a fresh one",
             path);
    is_str(err, expected, "... naming the path");
    ok(s == NULL, "... no store");

    /* A real database with damaged pages: the integrity check finds it. */
    snprintf(path, sizeof path, "%s", path_in("damaged.db"));
    rt_store *d = open_ok(path, 0, "a database to damage");
    for (int i = 0; i < 300; i++) {
        char id[32];
        snprintf(id, sizeof id, "bulk-%d", i);
        intent_record("lighter", id, "1.25");
        put("resolution", "padding padding padding padding padding padding padding padding padding padding");
        rt_store_add(d, RT_STORE_INTENT, rec, NULL, err, sizeof err);
    }
    rt_store_close(d);   /* checkpoints the WAL into the main file */
    int fd = open(path, O_WRONLY);
    struct stat st;
    fstat(fd, &st);
    ok(st.st_size > 16 * 4096, "the damaged database has many pages (%lld bytes)", (long long)st.st_size);
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    for (off_t page = 2; page * 4096 < st.st_size; page += 2)
        if (pwrite(fd, junk, 512, page * 4096 + 100) != 512) diag("pwrite failed");
    close(fd);
    is_int(rt_store_open(&s, path, 0, err, sizeof err), RT_STORE_CORRUPT, "a damaged database is refused");
    ok(strstr(err, path) != NULL && strstr(err, "corrupt") != NULL, "... naming the path (%s)", err);

    /* Someone else's SQLite file. */
    snprintf(path, sizeof path, "%s", path_in("other.db"));
    sqlite3 *raw = NULL;
    sqlite3_open(path, &raw);
    sqlite3_exec(raw, "CREATE TABLE notes (t TEXT)", NULL, NULL, NULL);
    sqlite3_close(raw);
    is_int(rt_store_open(&s, path, 0, err, sizeof err), RT_STORE_CORRUPT, "another program's database is refused");
    snprintf(expected, sizeof expected,
             "'%s' is a SQLite database but not a hedge state database (application id 0); point state_db at another file",
             path);
    is_str(err, expected, "... said exactly");

    /* A newer schema than this build knows. */
    snprintf(path, sizeof path, "%s", path_in("newer.db"));
    d = open_ok(path, 0, "a database to age");
    rt_store_close(d);
    sqlite3_open(path, &raw);
    sqlite3_exec(raw, "PRAGMA user_version = 999", NULL, NULL, NULL);
    sqlite3_close(raw);
    is_int(rt_store_open(&s, path, 0, err, sizeof err), RT_STORE_INCOMPATIBLE, "a newer schema is refused");
    snprintf(expected, sizeof expected,
             "state database '%s' has schema 999, written by a newer hedge (this build knows up to %d)", path,
             rt_store_latest_schema_version());
    is_str(err, expected, "... said exactly");

    /* The parent "folder" is a file. */
    snprintf(path, sizeof path, "%s", path_in("text.db/sub/state.db"));
    is_int(rt_store_open(&s, path, 0, err, sizeof err), RT_STORE_IO, "a parent that is a file");
    snprintf(expected, sizeof expected, "state database '%s': '%s' is not a folder", path, path_in("text.db"));
    is_str(err, expected, "... said exactly");
}

/* ---- crash safety ----------------------------------------------------------------------------- */

/* Child: writes intents as fast as it can; every third write is a transaction of an intent, an
 * event and a state change. After each commit it reports the number on the pipe. */
static void crash_child(const char *path, int report_fd, unsigned seed) {
    rt_store *s = NULL;
    if (rt_store_open(&s, path, RT_STORE_EXCLUSIVE, err, sizeof err) != RT_STORE_OK) _exit(3);
    (void)seed;
    for (int i = 1; i < 1000000; i++) {
        char client[32], size[48];
        snprintf(client, sizeof client, "k-%d", i);
        snprintf(size, sizeof size, "%d.%04d", i, i % 10000);
        int grouped = i % 3 == 0;
        if (grouped && rt_store_begin(s, err, sizeof err) != RT_STORE_OK) _exit(4);
        intent_record("lighter", client, size);
        put_int("cycle", i);
        if (rt_store_add(s, RT_STORE_INTENT, rec, NULL, err, sizeof err) != RT_STORE_OK) _exit(5);
        if (grouped) {
            start(RT_STORE_EVENT);
            put("kind", "group"), put("message", client);
            if (rt_store_add(s, RT_STORE_EVENT, rec, NULL, err, sizeof err) != RT_STORE_OK) _exit(6);
            start(RT_STORE_STATE);
            put_int("cycle", i);
            if (rt_store_state_set(s, rec, err, sizeof err) != RT_STORE_OK) _exit(7);
            if (rt_store_commit(s, err, sizeof err) != RT_STORE_OK) _exit(8);
        }
        if (write(report_fd, &i, sizeof i) != sizeof i) _exit(9);
    }
    _exit(0);
}

typedef struct crash_check {
    int highest;        /* highest intent number present */
    int rows;
    int bad_rows;       /* fields that do not match what the child wrote */
} crash_check;

static int check_crash_row(void *ctx, const rt_store_table *t, const rt_store_value *v) {
    crash_check *c = ctx;
    const rt_store_value *client = store_value(t, v, "client_id"), *size = store_value(t, v, "size"),
                         *cycle = store_value(t, v, "cycle");
    int n = 0;
    if (client->kind != RT_STORE_STR || sscanf(client->text, "k-%d", &n) != 1) { c->bad_rows++; return 0; }
    char expected[48];
    snprintf(expected, sizeof expected, "%d.%04d", n, n % 10000);
    if (!store_value_equals_text(size, expected) || cycle->kind != RT_STORE_INT || cycle->integer != n) c->bad_rows++;
    if (n > c->highest) c->highest = n;
    c->rows++;
    return 0;
}

static void test_crash_safety(void) {
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    int rounds = 12, all_present = 1, all_clean = 1, all_opened = 1, groups_whole = 1, states_ok = 1;
    long total_reported = 0;
    for (int round = 0; round < rounds; round++) {
        char path[512];
        snprintf(path, sizeof path, "%s/crash-%d/state.db", dir, round);
        int fds[2];
        if (pipe(fds) != 0) { ok(0, "pipe"); return; }
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            crash_child(path, fds[1], (unsigned)round);
        }
        close(fds[1]);
        /* Let a random number of commits happen, then kill at whatever point the child is at. */
        int target = 5 + rand() % 120, got = 0, last = 0, n;
        while (got < target && read(fds[0], &n, sizeof n) == sizeof n) { last = n; got++; }
        usleep((useconds_t)(rand() % 3000));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        while (read(fds[0], &n, sizeof n) == sizeof n) last = n;   /* reports written before death */
        close(fds[0]);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
            diag("round %d: child ended with status %d before the kill", round, status);
            all_clean = 0;
        }
        total_reported += last;

        rt_store *s = NULL;
        if (rt_store_open(&s, path, RT_STORE_EXCLUSIVE, err, sizeof err) != RT_STORE_OK) {
            diag("round %d: reopen failed: %s", round, err);
            all_opened = 0;
            continue;
        }
        crash_check c = {0};
        rt_store_query everything = {0};
        rt_store_list(s, RT_STORE_INTENT, &everything, check_crash_row, &c, err, sizeof err);
        /* Every reported (committed) intent is there, numbered 1..highest without gaps. */
        if (c.highest < last || c.rows != c.highest || c.bad_rows) {
            diag("round %d: reported %d, found %d rows up to %d, %d bad", round, last, c.rows, c.highest, c.bad_rows);
            all_present = 0;
        }
        /* Transactions are whole: one group event per third intent, and the state's cycle is the last group. */
        int groups = (int)pragma_int(s, "SELECT count(*) FROM events WHERE kind = 'group'");
        if (groups != c.highest / 3) {
            diag("round %d: %d group events for %d intents", round, groups, c.highest);
            groups_whole = 0;
        }
        if (pragma_int(s, "SELECT cycle FROM bot_state") != (c.highest / 3) * 3) states_ok = 0;
        rt_store_close(s);
    }
    ok(all_clean, "every writer died by SIGKILL mid-burst (%d rounds, %ld commits reported)", rounds, total_reported);
    ok(all_opened, "every killed database reopens and passes the integrity check");
    ok(all_present, "every committed intent is present with exact fields, no partial rows");
    ok(groups_whole, "multi-record transactions are all or nothing");
    ok(states_ok, "the state row matches the last committed transaction");
}

int main(void) {
    if (!mkdtemp(dir)) { printf("1..0 # SKIP cannot create a temporary folder\n"); return 0; }
    rt_clock_set_wall(fake_clock, NULL);
    test_schema();
    rt_store *s = open_ok(path_in("main.db"), RT_STORE_EXCLUSIVE, "open the main test database");
    if (s) {
        test_state(s);
        test_hedge(s);
        test_decimals(s);
        test_intents(s);
        test_history(s);
        test_enums_agree(s);
        test_transactions(s);
        rt_store_close(s);
    }
    test_reopen_and_lock();
    test_bad_files();
    rt_clock_set_wall(NULL, NULL);
    test_crash_safety();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) diag("could not remove %s", dir);
    return done_testing();
}
