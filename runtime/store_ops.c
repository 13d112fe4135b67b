/* The state store's operations (runtime/store.h): the state machine row, the current hedge,
 * the intent journal and the append-only history. Each mutating call checks its values, then
 * runs as one transaction (a savepoint inside a caller's transaction), so it happens whole or
 * not at all. */
#include <stdio.h>
#include <string.h>

#include "runtime/decimal.h"
#include "runtime/store_internal.h"

static int check_store(rt_store *s, char *err, size_t errcap) {
    if (!s || !s->db) return store_fail(err, errcap, RT_STORE_MISUSE, "the store is not open");
    return RT_STORE_OK;
}

static int values_equal(const rt_store_value *a, const rt_store_value *b) {
    if (a->kind != b->kind) return 0;
    if (a->kind == RT_STORE_INT) return a->integer == b->integer;
    if (a->kind == RT_STORE_STR) return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    return 1;
}

/* Reads one integer/text column of one row through a small SELECT. */
typedef struct stored_row {
    int found;
    int64_t id;
    char status[32];
    int64_t cycle;
    int has_cycle;
    /* FIXED fields given by the caller that differ from what is stored: the first one. */
    const rt_store_value *given;
    const char *changed_fixed;
} stored_row;

static int read_stored(void *ctx, const rt_store_table *t, const rt_store_value *values) {
    stored_row *row = ctx;
    row->found = 1;
    for (int i = 0; i < t->column_count; i++) {
        const rt_store_column *c = &t->columns[i];
        const rt_store_value *v = &values[i];
        if (strcmp(c->name, "id") == 0 && v->kind == RT_STORE_INT) row->id = v->integer;
        if (strcmp(c->name, "status") == 0 || strcmp(c->name, "state") == 0) {
            size_t n = v->kind == RT_STORE_STR && v->len < sizeof row->status ? v->len : 0;
            memcpy(row->status, v->text ? v->text : "", n);
            row->status[n] = '\0';
        }
        if (strcmp(c->name, "cycle") == 0 && v->kind == RT_STORE_INT) {
            row->cycle = v->integer;
            row->has_cycle = 1;
        }
        /* A fixed field may be written once: given over NULL is fine, a different value is not. */
        if (row->given && (c->flags & RT_STORE_COL_FIXED) && !row->changed_fixed) {
            const rt_store_value *g = &row->given[i];
            if (g->kind != RT_STORE_ABSENT && v->kind != RT_STORE_NULL && !values_equal(g, v)) row->changed_fixed = c->name;
        }
    }
    return 1;
}

/* ---- state machine ---------------------------------------------------------------------------- */

int rt_store_state_get(rt_store *s, rt_store_row_fn fn, void *ctx, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    int rows = 0;
    rc = store_select(s, rt_store_table_get(RT_STORE_STATE), "id = 1", NULL, NULL, 0, fn, ctx, &rows, err, errcap);
    if (rc == RT_STORE_OK && rows == 0)
        return store_fail(err, errcap, RT_STORE_CORRUPT, "state database '%s' has no state row", s->path);
    return rc;
}

int rt_store_state_set(rt_store *s, const rt_store_value *values, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    if (!values) return store_fail(err, errcap, RT_STORE_MISUSE, "state_set: values is NULL");
    const rt_store_table *t = rt_store_table_get(RT_STORE_STATE);
    rc = store_check_values(s, t, values, 0, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    rc = store_tx_begin(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;

    stored_row now_row = {0};
    rc = store_select(s, t, "id = 1", NULL, NULL, 0, read_stored, &now_row, NULL, err, errcap);
    if (rc == RT_STORE_OK && !now_row.found)
        rc = store_fail(err, errcap, RT_STORE_CORRUPT, "state database '%s' has no state row", s->path);
    rt_store_value row[RT_STORE_MAX_COLUMNS];
    memcpy(row, values, sizeof(rt_store_value) * (size_t)t->column_count);
    if (rc == RT_STORE_OK) {
        const rt_store_value *cycle = store_value(t, values, "cycle");
        /* One cycle counter that only moves forward (the seeds kept two that drifted apart). */
        if (cycle->kind == RT_STORE_INT && now_row.has_cycle && cycle->integer < now_row.cycle)
            rc = store_fail(err, errcap, RT_STORE_CONFLICT, "state.cycle cannot go back from %lld to %lld",
                            (long long)now_row.cycle, (long long)cycle->integer);
        if (cycle->kind == RT_STORE_NULL)
            rc = store_fail(err, errcap, RT_STORE_INVALID, "state.cycle cannot be cleared");
    }
    if (rc == RT_STORE_OK) {
        const rt_store_value *state = store_value(t, values, "state");
        int since = rt_store_column_index(t, "since_ms");
        if (state->kind == RT_STORE_STR && !store_value_equals_text(state, now_row.status) &&
            row[since].kind == RT_STORE_ABSENT)
            row[since] = (rt_store_value){.kind = RT_STORE_INT, .integer = store_now_ms()};
        rc = store_update(s, t, 1, row, NULL, err, errcap);
    }
    return store_tx_end(s, rc, err, errcap);
}

/* ---- current hedge ---------------------------------------------------------------------------- */

int rt_store_hedge_get(rt_store *s, rt_store_row_fn fn, void *ctx, int *found, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    int rows = 0;
    rc = store_select(s, rt_store_table_get(RT_STORE_HEDGE), "is_current = 1", NULL, NULL, 0, fn, ctx, &rows, err,
                      errcap);
    if (found) *found = rows > 0;
    return rc;
}

int rt_store_hedge_set(rt_store *s, const rt_store_value *values, int64_t *id, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    if (!values) return store_fail(err, errcap, RT_STORE_MISUSE, "hedge_set: values is NULL");
    const rt_store_table *t = rt_store_table_get(RT_STORE_HEDGE);
    if (store_value_equals_text(store_value(t, values, "status"), "closed"))
        return store_fail(err, errcap, RT_STORE_INVALID, "hedge.status \"closed\" is set by clearing the hedge");
    rc = store_tx_begin(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;

    stored_row current = {.given = values};
    rc = store_select(s, t, "is_current = 1", NULL, NULL, 0, read_stored, &current, NULL, err, errcap);
    if (rc == RT_STORE_OK) rc = store_check_values(s, t, values, !current.found, err, errcap);
    if (rc == RT_STORE_OK && current.found && current.changed_fixed)
        rc = store_fail(err, errcap, RT_STORE_CONFLICT,
                        "hedge.%s cannot change while hedge %lld is current (clear it first)", current.changed_fixed,
                        (long long)current.id);
    int64_t row_id = current.id;
    if (rc == RT_STORE_OK) {
        if (current.found) rc = store_update(s, t, current.id, values, NULL, err, errcap);
        else rc = store_insert(s, t, values, &row_id, err, errcap);
    }
    rc = store_tx_end(s, rc, err, errcap);
    if (rc == RT_STORE_OK && id) *id = row_id;
    return rc;
}

int rt_store_hedge_clear(rt_store *s, const char *reason, int *cleared, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    if (cleared) *cleared = 0;
    size_t len = reason ? strlen(reason) : 0;
    if (len > RT_STORE_TEXT_MAX)
        return store_fail(err, errcap, RT_STORE_INVALID, "hedge.close_reason: longer than %d bytes", RT_STORE_TEXT_MAX);
    rc = store_tx_begin(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db,
                                 "UPDATE hedges SET status = 'closed', is_current = NULL, closed_at_ms = ?1, "
                                 "close_reason = ?2, updated_at_ms = ?1 WHERE is_current = 1",
                                 -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, store_now_ms());
        if (reason) sqlite3_bind_text(st, 2, reason, (int)len, SQLITE_TRANSIENT);
        else sqlite3_bind_null(st, 2);
        src = sqlite3_step(st);
    }
    if (src == SQLITE_DONE) {
        if (cleared) *cleared = sqlite3_changes(s->db) > 0;
    } else {
        rc = store_sqlite_fail(s, src, err, errcap, "hedge: clear");
    }
    sqlite3_finalize(st);
    return store_tx_end(s, rc, err, errcap);
}

/* ---- cycle results ---------------------------------------------------------------------------- */

static int decimal_of(const rt_store_value *v, rt_decimal *out) {
    return rt_decimal_parse(out, v->text, v->len, NULL, 0) == RT_DECIMAL_OK ? 0 : -1;
}

/* total = a + b (+ c, minus when subtract_c): exact, or overflow reported. */
static int decimal_sum(rt_decimal *out, const rt_decimal *a, const rt_decimal *b, const rt_decimal *c, int subtract_c) {
    rt_decimal ab;
    if (rt_decimal_add(&ab, a, b) != RT_DECIMAL_OK) return -1;
    if (!c) { *out = ab; return 0; }
    return (subtract_c ? rt_decimal_sub(out, &ab, c) : rt_decimal_add(out, &ab, c)) == RT_DECIMAL_OK ? 0 : -1;
}

/* A component given for both legs must equal the legs' sum; given for one leg only, it is
 * incomplete. Values were checked as decimals already. */
static int check_leg_sum(const rt_store_table *t, const rt_store_value *values, const char *total_name,
                         const char *long_name, const char *short_name, char *err, size_t errcap) {
    const rt_store_value *total = store_value(t, values, total_name);
    const rt_store_value *l = store_value(t, values, long_name), *sh = store_value(t, values, short_name);
    int has_l = l->kind == RT_STORE_STR, has_s = sh->kind == RT_STORE_STR;
    if (!has_l && !has_s) return RT_STORE_OK;
    if (has_l != has_s)
        return store_fail(err, errcap, RT_STORE_INVALID, "cycle.%s is given without cycle.%s (give both legs or neither)",
                          has_l ? long_name : short_name, has_l ? short_name : long_name);
    rt_decimal a, b, sum, given;
    if (decimal_of(l, &a) || decimal_of(sh, &b) || decimal_of(total, &given) || decimal_sum(&sum, &a, &b, NULL, 0))
        return store_fail(err, errcap, RT_STORE_INVALID, "cycle.%s: the legs do not add up to a decimal", total_name);
    if (rt_decimal_cmp(&sum, &given) != 0) {
        char text[RT_DECIMAL_TEXT_MAX];
        rt_decimal_format(&sum, text, sizeof text, -1);
        return store_fail(err, errcap, RT_STORE_INVALID, "cycle.%s is %.*s but %s + %s = %s", total_name,
                          (int)total->len, total->text, long_name, short_name, text);
    }
    return RT_STORE_OK;
}

/* total_pnl = funding_pnl + price_pnl - fees, exactly; computed when not given. */
static int complete_cycle(const rt_store_table *t, rt_store_value *row, char *text, size_t textcap, char *err,
                          size_t errcap) {
    int rc = check_leg_sum(t, row, "funding_pnl", "long_funding_pnl", "short_funding_pnl", err, errcap);
    if (rc == RT_STORE_OK) rc = check_leg_sum(t, row, "price_pnl", "long_price_pnl", "short_price_pnl", err, errcap);
    if (rc == RT_STORE_OK) rc = check_leg_sum(t, row, "fees", "long_fees", "short_fees", err, errcap);
    if (rc != RT_STORE_OK) return rc;
    rt_decimal funding, price, fees, total;
    if (decimal_of(store_value(t, row, "funding_pnl"), &funding) || decimal_of(store_value(t, row, "price_pnl"), &price) ||
        decimal_of(store_value(t, row, "fees"), &fees) || decimal_sum(&total, &funding, &price, &fees, 1))
        return store_fail(err, errcap, RT_STORE_INVALID, "cycle.total_pnl: funding_pnl + price_pnl - fees overflows");
    int i = rt_store_column_index(t, "total_pnl");
    if (row[i].kind == RT_STORE_STR) {
        rt_decimal given;
        if (decimal_of(&row[i], &given) || rt_decimal_cmp(&given, &total) != 0) {
            char sum[RT_DECIMAL_TEXT_MAX];
            rt_decimal_format(&total, sum, sizeof sum, -1);
            return store_fail(err, errcap, RT_STORE_INVALID,
                              "cycle.total_pnl is %.*s but funding_pnl + price_pnl - fees = %s", (int)row[i].len,
                              row[i].text, sum);
        }
        return RT_STORE_OK;
    }
    /* Keep the scale of the inputs: 1.50 + 2.25 - 0.10 is written "3.65", 1 + 2 - 0 is "3". */
    size_t len = rt_decimal_format(&total, text, textcap, total.scale);
    if (len == 0) return store_fail(err, errcap, RT_STORE_INVALID, "cycle.total_pnl cannot be written");
    row[i] = (rt_store_value){.kind = RT_STORE_STR, .text = text, .len = len};
    return RT_STORE_OK;
}

/* ---- appending -------------------------------------------------------------------------------- */

int rt_store_add(rt_store *s, rt_store_kind kind, const rt_store_value *values, int64_t *id, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    if (!values) return store_fail(err, errcap, RT_STORE_MISUSE, "add: values is NULL");
    if (kind != RT_STORE_INTENT && kind != RT_STORE_FILL && kind != RT_STORE_FUNDING && kind != RT_STORE_CYCLE &&
        kind != RT_STORE_EVENT)
        return store_fail(err, errcap, RT_STORE_MISUSE, "add: records of kind %d are not appended", (int)kind);
    const rt_store_table *t = rt_store_table_get(kind);
    rc = store_tx_begin(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    rc = store_check_values(s, t, values, 1, err, errcap);
    rt_store_value row[RT_STORE_MAX_COLUMNS];
    char total_text[RT_DECIMAL_TEXT_MAX];
    memcpy(row, values, sizeof(rt_store_value) * (size_t)t->column_count);
    if (rc == RT_STORE_OK && kind == RT_STORE_CYCLE) rc = complete_cycle(t, row, total_text, sizeof total_text, err, errcap);
    int64_t row_id = 0;
    if (rc == RT_STORE_OK) rc = store_insert(s, t, row, &row_id, err, errcap);
    rc = store_tx_end(s, rc, err, errcap);
    if (rc == RT_STORE_OK && id) *id = row_id;
    return rc;
}

/* ---- intents ---------------------------------------------------------------------------------- */

int rt_store_intent_update(rt_store *s, int64_t id, const rt_store_value *values, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    if (!values) return store_fail(err, errcap, RT_STORE_MISUSE, "intent_update: values is NULL");
    const rt_store_table *t = rt_store_table_get(RT_STORE_INTENT);
    rc = store_check_values(s, t, values, 0, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    rc = store_tx_begin(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;

    stored_row stored = {.given = values};
    rt_store_value key = {.kind = RT_STORE_INT, .integer = id};
    rc = store_select(s, t, "id = ?1", NULL, &key, 1, read_stored, &stored, NULL, err, errcap);
    if (rc == RT_STORE_OK && !stored.found)
        rc = store_fail(err, errcap, RT_STORE_NOT_FOUND, "there is no intent %lld", (long long)id);
    if (rc == RT_STORE_OK && stored.changed_fixed)
        rc = store_fail(err, errcap, RT_STORE_CONFLICT,
                        "intent %lld: %s cannot change once the intent is written (write a new intent instead)",
                        (long long)id, stored.changed_fixed);
    const rt_store_value *status = store_value(t, values, "status");
    if (rc == RT_STORE_OK && status->kind == RT_STORE_NULL)
        rc = store_fail(err, errcap, RT_STORE_INVALID, "intent.status cannot be cleared");
    /* A finished intent stays finished: reopening one would let its order be sent twice. */
    if (rc == RT_STORE_OK && status->kind == RT_STORE_STR &&
        store_intent_status_is_final(stored.status, strlen(stored.status)) &&
        !store_value_equals_text(status, stored.status))
        rc = store_fail(err, errcap, RT_STORE_CONFLICT, "intent %lld is already %s; it cannot become %.*s",
                        (long long)id, stored.status, (int)status->len, status->text);
    if (rc == RT_STORE_OK) rc = store_update(s, t, id, values, NULL, err, errcap);
    return store_tx_end(s, rc, err, errcap);
}

int rt_store_intent_find(rt_store *s, const char *venue, const char *client_id, rt_store_row_fn fn, void *ctx,
                         char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    if (!venue || !client_id) return store_fail(err, errcap, RT_STORE_MISUSE, "intent_find: venue or client id is NULL");
    rt_store_value keys[2] = {
        {.kind = RT_STORE_STR, .text = venue, .len = strlen(venue)},
        {.kind = RT_STORE_STR, .text = client_id, .len = strlen(client_id)},
    };
    int rows = 0;
    rc = store_select(s, rt_store_table_get(RT_STORE_INTENT), "venue = ?1 AND client_id = ?2", NULL, keys, 2, fn, ctx,
                      &rows, err, errcap);
    if (rc == RT_STORE_OK && rows == 0)
        return store_fail(err, errcap, RT_STORE_NOT_FOUND, "there is no intent with client id %.128s on %.64s",
                          client_id, venue);
    return rc;
}

int rt_store_intent_list_open(rt_store *s, rt_store_row_fn fn, void *ctx, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    return store_select(s, rt_store_table_get(RT_STORE_INTENT), "status IN " STORE_OPEN_INTENT_STATUSES, "ORDER BY id",
                        NULL, 0, fn, ctx, NULL, err, errcap);
}

/* ---- reading ---------------------------------------------------------------------------------- */

int rt_store_get(rt_store *s, rt_store_kind kind, int64_t id, rt_store_row_fn fn, void *ctx, char *err, size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    const rt_store_table *t = rt_store_table_get(kind);
    if (!t) return store_fail(err, errcap, RT_STORE_MISUSE, "get: unknown record kind %d", (int)kind);
    rt_store_value key = {.kind = RT_STORE_INT, .integer = id};
    int rows = 0;
    rc = store_select(s, t, "id = ?1", NULL, &key, 1, fn, ctx, &rows, err, errcap);
    if (rc == RT_STORE_OK && rows == 0)
        return store_fail(err, errcap, RT_STORE_NOT_FOUND, "there is no %s %lld", t->record_name, (long long)id);
    return rc;
}

int rt_store_list(rt_store *s, rt_store_kind kind, const rt_store_query *q, rt_store_row_fn fn, void *ctx, char *err,
                  size_t errcap) {
    int rc = check_store(s, err, errcap);
    if (rc != RT_STORE_OK) return rc;
    const rt_store_table *t = rt_store_table_get(kind);
    if (!t) return store_fail(err, errcap, RT_STORE_MISUSE, "list: unknown record kind %d", (int)kind);
    rt_store_query none = {0};
    if (!q) q = &none;
    if (q->limit < 0) return store_fail(err, errcap, RT_STORE_MISUSE, "list: negative limit");
    char where[160] = "";
    rt_store_value binds[2];
    int bind_count = 0;
    if (q->where_column) {
        int col = rt_store_column_index(t, q->where_column);
        if (col < 0)
            return store_fail(err, errcap, RT_STORE_MISUSE, "list: %s has no field %.64s", t->record_name,
                              q->where_column);
        /* The name is the descriptor's own string, never the caller's text. */
        const char *name = t->columns[col].name;
        if (q->where_value.kind == RT_STORE_NULL || q->where_value.kind == RT_STORE_ABSENT) {
            snprintf(where, sizeof where, "%s IS NULL", name);
        } else {
            binds[bind_count++] = q->where_value;
            snprintf(where, sizeof where, "%s = ?%d", name, bind_count);
        }
    }
    if (q->after_id > 0) {
        size_t used = strlen(where);
        binds[bind_count++] = (rt_store_value){.kind = RT_STORE_INT, .integer = q->after_id};
        snprintf(where + used, sizeof where - used, "%sid > ?%d", used ? " AND " : "", bind_count);
    }
    char order[80];
    if (q->limit > 0) snprintf(order, sizeof order, "ORDER BY id %s LIMIT %lld", q->newest_first ? "DESC" : "ASC",
                               (long long)q->limit);
    else snprintf(order, sizeof order, "ORDER BY id %s", q->newest_first ? "DESC" : "ASC");
    return store_select(s, t, where[0] ? where : NULL, order, binds, bind_count, fn, ctx, NULL, err, errcap);
}
