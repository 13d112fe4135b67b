/* Records of the state store: checking given values against the column descriptions, and the
 * generic INSERT / UPDATE / SELECT every operation is built from. SQL text is assembled only
 * from the static column names, never from caller data; every value is bound. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/decimal.h"
#include "runtime/store_internal.h"

#define SQL_MAX 4096

void rt_store_record_clear(rt_store_value values[RT_STORE_MAX_COLUMNS]) {
    memset(values, 0, sizeof(rt_store_value) * RT_STORE_MAX_COLUMNS);
}

int rt_store_record_int(const rt_store_table *t, rt_store_value *values, const char *column, int64_t v) {
    int i = rt_store_column_index(t, column);
    if (i < 0) return -1;
    values[i] = (rt_store_value){.kind = RT_STORE_INT, .integer = v};
    return 0;
}

int rt_store_record_text(const rt_store_table *t, rt_store_value *values, const char *column, const char *text) {
    int i = rt_store_column_index(t, column);
    if (i < 0 || !text) return -1;
    values[i] = (rt_store_value){.kind = RT_STORE_STR, .text = text, .len = strlen(text)};
    return 0;
}

int rt_store_record_null(const rt_store_table *t, rt_store_value *values, const char *column) {
    int i = rt_store_column_index(t, column);
    if (i < 0) return -1;
    values[i] = (rt_store_value){.kind = RT_STORE_NULL};
    return 0;
}

const rt_store_value *store_value(const rt_store_table *t, const rt_store_value *values, const char *name) {
    static const rt_store_value absent = {.kind = RT_STORE_ABSENT};
    int i = rt_store_column_index(t, name);
    return i < 0 ? &absent : &values[i];
}

int store_value_equals_text(const rt_store_value *v, const char *text) {
    return v->kind == RT_STORE_STR && v->len == strlen(text) && memcmp(v->text, text, v->len) == 0;
}

/* ---- checking --------------------------------------------------------------------------------- */

/* A short printable rendering of a given text for messages (values here are never secrets). */
static void quote(char *out, size_t cap, const char *text, size_t len) {
    size_t o = 0, max = 40;
    if (cap < 8) { if (cap) out[0] = '\0'; return; }
    out[o++] = '"';
    for (size_t i = 0; i < len && i < max && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    if (len > max && o + 5 < cap) { memcpy(out + o, "...", 3); o += 3; }
    out[o++] = '"';
    out[o] = '\0';
}

static int is_plain_decimal(const char *s, size_t len) {
    size_t i = 0, digits = 0;
    if (i < len && s[i] == '-') i++;
    while (i < len && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
    if (digits == 0) return 0;
    if (i < len && s[i] == '.') {
        i++;
        size_t frac = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') { i++; frac++; }
        if (frac == 0) return 0;
    }
    return i == len;
}

static int matches_charset(const char *s, size_t len, int (*first)(int), int (*rest)(int)) {
    if (len == 0 || !first((unsigned char)s[0])) return 0;
    for (size_t i = 1; i < len; i++)
        if (!rest((unsigned char)s[i])) return 0;
    return 1;
}
static int lower_first(int c) { return c >= 'a' && c <= 'z'; }
static int name_rest(int c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'; }
static int alnum(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
static int symbol_rest(int c) { return alnum(c) || c == '.' || c == '_' || c == '/' || c == '-'; }
static int token_char(int c) { return c > 0x20 && c < 0x7f; }

static const char *type_words(rt_store_type type) {
    switch (type) {
    case RT_STORE_T_ID: return "a row id";
    case RT_STORE_T_INTEGER: return "an integer";
    case RT_STORE_T_BOOLEAN: return "a boolean";
    case RT_STORE_T_DECIMAL: return "decimal text";
    case RT_STORE_T_TEXT: return "text";
    case RT_STORE_T_NAME: return "a lower-case name";
    case RT_STORE_T_SYMBOL: return "a symbol";
    case RT_STORE_T_TOKEN: return "an id (printable text without spaces)";
    case RT_STORE_T_ENUM: return "one of its choices";
    case RT_STORE_T_JSON: return "JSON text";
    }
    return "?";
}

static int check_text_value(const rt_store_table *t, const rt_store_column *c, const rt_store_value *given, char *err,
                            size_t errcap) {
    rt_store_value copy = *given;
    if (!copy.text) copy.text = "";   /* an empty text may come without a pointer */
    const rt_store_value *v = &copy;
    char shown[64];
    quote(shown, sizeof shown, v->text, v->len);
    const char *rec = t->record_name, *col = c->name;
    if (memchr(v->text, '\0', v->len))
        return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: contains a NUL byte", rec, col);
    if (v->len > RT_STORE_TEXT_MAX)
        return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: longer than %d bytes", rec, col, RT_STORE_TEXT_MAX);
    switch (c->type) {
    case RT_STORE_T_TEXT:
    case RT_STORE_T_JSON:
        if (v->len == 0 && (c->flags & RT_STORE_COL_REQUIRED))
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: is empty", rec, col);
        return RT_STORE_OK;
    case RT_STORE_T_NAME:
        if (v->len > 64 || !matches_charset(v->text, v->len, lower_first, name_rest))
            return store_fail(err, errcap, RT_STORE_INVALID,
                              "%s.%s: %s is not a lower-case name (a-z first, then a-z 0-9 _ . -, at most 64)", rec,
                              col, shown);
        return RT_STORE_OK;
    case RT_STORE_T_SYMBOL:
        if (v->len > 32 || !matches_charset(v->text, v->len, alnum, symbol_rest))
            return store_fail(err, errcap, RT_STORE_INVALID,
                              "%s.%s: %s is not a symbol (letters and digits, then . _ / -, at most 32)", rec, col,
                              shown);
        return RT_STORE_OK;
    case RT_STORE_T_TOKEN:
        if (v->len > 128 || !matches_charset(v->text, v->len, token_char, token_char))
            return store_fail(err, errcap, RT_STORE_INVALID,
                              "%s.%s: %s is not an id (1 to 128 printable characters, no spaces)", rec, col, shown);
        return RT_STORE_OK;
    case RT_STORE_T_ENUM: {
        char list[256] = "";
        size_t used = 0;
        for (const char *const *ch = c->choices; ch && *ch; ch++) {
            if (strlen(*ch) == v->len && memcmp(*ch, v->text, v->len) == 0) return RT_STORE_OK;
            int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *ch);
            if (n > 0 && (size_t)n < sizeof list - used) used += (size_t)n;
        }
        return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %s is not one of %s", rec, col, shown, list);
    }
    case RT_STORE_T_DECIMAL: {
        if (!is_plain_decimal(v->text, v->len))
            return store_fail(err, errcap, RT_STORE_INVALID,
                              "%s.%s: %s is not a plain decimal (digits, an optional point and fraction, an optional "
                              "leading minus)",
                              rec, col, shown);
        rt_decimal d;
        char why[96];
        if (rt_decimal_parse(&d, v->text, v->len, why, sizeof why) != RT_DECIMAL_OK)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %s: %s", rec, col, shown, why);
        int sign = rt_decimal_sign(&d);
        if ((c->flags & RT_STORE_COL_POSITIVE) && sign <= 0)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %s must be greater than 0", rec, col, shown);
        if ((c->flags & RT_STORE_COL_NONNEG) && sign < 0)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %s must not be negative", rec, col, shown);
        return RT_STORE_OK;
    }
    default:
        return store_fail(err, errcap, RT_STORE_MISUSE, "%s.%s: expected %s, got text", rec, col, type_words(c->type));
    }
}

static int check_int_value(const rt_store_table *t, const rt_store_column *c, const rt_store_value *v, char *err,
                           size_t errcap) {
    const char *rec = t->record_name, *col = c->name;
    switch (c->type) {
    case RT_STORE_T_ID:
        if (v->integer <= 0)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %lld is not a row id (ids start at 1)", rec, col,
                              (long long)v->integer);
        return RT_STORE_OK;
    case RT_STORE_T_BOOLEAN:
        if (v->integer != 0 && v->integer != 1)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %lld is not a boolean (0 or 1)", rec, col,
                              (long long)v->integer);
        return RT_STORE_OK;
    case RT_STORE_T_INTEGER:
        if ((c->flags & RT_STORE_COL_POSITIVE) && v->integer <= 0)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %lld must be greater than 0", rec, col,
                              (long long)v->integer);
        if ((c->flags & RT_STORE_COL_NONNEG) && v->integer < 0)
            return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: %lld must not be negative", rec, col,
                              (long long)v->integer);
        return RT_STORE_OK;
    default:
        return store_fail(err, errcap, RT_STORE_MISUSE, "%s.%s: expected %s, got an integer", rec, col,
                          type_words(c->type));
    }
}

/* An id column that points into another table must point at a row that exists. */
static int check_reference(rt_store *s, const rt_store_table *t, const rt_store_column *c, int64_t id, char *err,
                           size_t errcap) {
    const rt_store_table *target = rt_store_table_get(c->references);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?1", target->sql_name);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
    }
    int status = RT_STORE_OK;
    if (rc == SQLITE_DONE)
        status = store_fail(err, errcap, RT_STORE_INVALID, "%s.%s: there is no %s %lld", t->record_name, c->name,
                            target->record_name, (long long)id);
    else if (rc != SQLITE_ROW)
        status = store_sqlite_fail(s, rc, err, errcap, "reference check");
    sqlite3_finalize(st);
    return status;
}

int store_check_values(rt_store *s, const rt_store_table *t, const rt_store_value *values, int inserting, char *err,
                       size_t errcap) {
    for (int i = 0; i < t->column_count; i++) {
        const rt_store_column *c = &t->columns[i];
        const rt_store_value *v = &values[i];
        if (v->kind == RT_STORE_ABSENT) {
            if (inserting && (c->flags & RT_STORE_COL_REQUIRED))
                return store_fail(err, errcap, RT_STORE_INVALID, "%s.%s is required", t->record_name, c->name);
            continue;
        }
        if (c->flags & RT_STORE_COL_AUTO)
            return store_fail(err, errcap, RT_STORE_MISUSE, "%s.%s is written by the store, not by callers",
                              t->record_name, c->name);
        int rc = RT_STORE_OK;
        switch (v->kind) {
        case RT_STORE_NULL:
            if (c->flags & RT_STORE_COL_REQUIRED)
                rc = store_fail(err, errcap, RT_STORE_INVALID, inserting ? "%s.%s is required" : "%s.%s cannot be cleared",
                                t->record_name, c->name);
            break;
        case RT_STORE_INT:
            rc = check_int_value(t, c, v, err, errcap);
            if (rc == RT_STORE_OK && c->type == RT_STORE_T_ID) rc = check_reference(s, t, c, v->integer, err, errcap);
            break;
        case RT_STORE_STR:
            rc = v->text || v->len == 0 ? check_text_value(t, c, v, err, errcap)
                                        : store_fail(err, errcap, RT_STORE_MISUSE, "%s.%s: NULL text pointer",
                                                     t->record_name, c->name);
            break;
        default:
            rc = store_fail(err, errcap, RT_STORE_MISUSE, "%s.%s: unknown value kind %d", t->record_name, c->name,
                            (int)v->kind);
        }
        if (rc != RT_STORE_OK) return rc;
    }
    return RT_STORE_OK;
}

/* ---- SQL building ----------------------------------------------------------------------------- */

/* Appends the NUL-terminated pieces (up to a NULL) to sql; -1 when SQL_MAX would be exceeded. */
static int append(char *sql, size_t *used, ...) {
    va_list ap;
    va_start(ap, used);
    const char *piece;
    int rc = 0;
    while ((piece = va_arg(ap, const char *)) != NULL) {
        size_t n = strlen(piece);
        if (*used + n + 1 > SQL_MAX) { rc = -1; break; }
        memcpy(sql + *used, piece, n + 1);
        *used += n;
    }
    va_end(ap);
    return rc;
}

static void bind_value(sqlite3_stmt *st, int index, const rt_store_value *v) {
    switch (v->kind) {
    case RT_STORE_INT: sqlite3_bind_int64(st, index, v->integer); break;
    case RT_STORE_STR: sqlite3_bind_text(st, index, v->len ? v->text : "", (int)v->len, SQLITE_TRANSIENT); break;
    default: sqlite3_bind_null(st, index); break;
    }
}

static int is_timestamp_auto(const rt_store_column *c) {
    return (c->flags & RT_STORE_COL_AUTO) && (strcmp(c->name, "created_at_ms") == 0 || strcmp(c->name, "updated_at_ms") == 0);
}

/* Message for a failed write: constraint failures are the caller's data, the rest storage. */
static int write_failure(rt_store *s, int rc, const rt_store_table *t, const char *verb, char *err, size_t errcap) {
    if ((rc & 0xff) == SQLITE_CONSTRAINT && (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY))
        return store_fail(err, errcap, RT_STORE_CONFLICT, "%s: already recorded (%s)", t->record_name,
                          sqlite3_errmsg(s->db));
    char what[96];
    snprintf(what, sizeof what, "%s: %s", t->record_name, verb);
    return store_sqlite_fail(s, rc, err, errcap, what);
}

int store_insert(rt_store *s, const rt_store_table *t, const rt_store_value *values, int64_t *id, char *err,
                 size_t errcap) {
    char sql[SQL_MAX];
    size_t used = 0;
    rt_store_value row[RT_STORE_MAX_COLUMNS];
    int64_t now = store_now_ms();
    int count = 0;
    if (append(sql, &used, "INSERT INTO ", t->sql_name, " (", NULL) != 0) goto too_long;
    for (int i = 0; i < t->column_count; i++) {
        const rt_store_column *c = &t->columns[i];
        rt_store_value v = values[i];
        if (is_timestamp_auto(c) || (v.kind == RT_STORE_ABSENT && (c->flags & RT_STORE_COL_NOW)))
            v = (rt_store_value){.kind = RT_STORE_INT, .integer = now};
        if (v.kind == RT_STORE_ABSENT) continue;
        if (append(sql, &used, count ? ", " : "", c->name, NULL) != 0) goto too_long;
        row[count++] = v;
    }
    if (append(sql, &used, ") VALUES (", NULL) != 0) goto too_long;
    for (int i = 0; i < count; i++)
        if (append(sql, &used, i ? ", ?" : "?", NULL) != 0) goto too_long;
    if (append(sql, &used, ")", NULL) != 0) goto too_long;

    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return write_failure(s, rc, t, "insert", err, errcap);
    for (int i = 0; i < count; i++) bind_value(st, i + 1, &row[i]);
    rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? RT_STORE_OK : write_failure(s, rc, t, "insert", err, errcap);
    sqlite3_finalize(st);
    if (status == RT_STORE_OK && id) *id = sqlite3_last_insert_rowid(s->db);
    return status;
too_long:
    return store_fail(err, errcap, RT_STORE_MISUSE, "%s: statement too long", t->record_name);
}

int store_update(rt_store *s, const rt_store_table *t, int64_t id, const rt_store_value *values, int *changed,
                 char *err, size_t errcap) {
    char sql[SQL_MAX];
    size_t used = 0;
    rt_store_value row[RT_STORE_MAX_COLUMNS];
    int count = 0;
    int64_t now = store_now_ms();
    if (changed) *changed = 0;
    if (append(sql, &used, "UPDATE ", t->sql_name, " SET ", NULL) != 0) goto too_long;
    for (int i = 0; i < t->column_count; i++) {
        const rt_store_column *c = &t->columns[i];
        rt_store_value v = values[i];
        if (strcmp(c->name, "updated_at_ms") == 0) v = (rt_store_value){.kind = RT_STORE_INT, .integer = now};
        if (v.kind == RT_STORE_ABSENT) continue;
        if (append(sql, &used, count ? ", " : "", c->name, " = ?", NULL) != 0) goto too_long;
        row[count++] = v;
    }
    if (count == 0) return RT_STORE_OK;
    if (append(sql, &used, " WHERE id = ?", NULL) != 0) goto too_long;

    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return write_failure(s, rc, t, "update", err, errcap);
    for (int i = 0; i < count; i++) bind_value(st, i + 1, &row[i]);
    sqlite3_bind_int64(st, count + 1, id);
    rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? RT_STORE_OK : write_failure(s, rc, t, "update", err, errcap);
    sqlite3_finalize(st);
    if (status == RT_STORE_OK && changed) *changed = sqlite3_changes(s->db);
    return status;
too_long:
    return store_fail(err, errcap, RT_STORE_MISUSE, "%s: statement too long", t->record_name);
}

int store_select(rt_store *s, const rt_store_table *t, const char *where, const char *order_limit,
                 const rt_store_value *binds, int bind_count, rt_store_row_fn fn, void *ctx, int *rows, char *err,
                 size_t errcap) {
    char sql[SQL_MAX];
    size_t used = 0;
    if (rows) *rows = 0;
    if (append(sql, &used, "SELECT ", NULL) != 0) goto too_long;
    for (int i = 0; i < t->column_count; i++)
        if (append(sql, &used, i ? ", " : "", t->columns[i].name, NULL) != 0) goto too_long;
    if (append(sql, &used, " FROM ", t->sql_name, NULL) != 0) goto too_long;
    if (where && append(sql, &used, " WHERE ", where, NULL) != 0) goto too_long;
    if (order_limit && append(sql, &used, " ", order_limit, NULL) != 0) goto too_long;

    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        char what[96];
        snprintf(what, sizeof what, "%s: read", t->record_name);
        return store_sqlite_fail(s, rc, err, errcap, what);
    }
    for (int i = 0; i < bind_count; i++) bind_value(st, i + 1, &binds[i]);
    rt_store_value values[RT_STORE_MAX_COLUMNS];
    int status = RT_STORE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < t->column_count; i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                values[i] = (rt_store_value){.kind = RT_STORE_INT, .integer = sqlite3_column_int64(st, i)};
                break;
            case SQLITE_NULL: values[i] = (rt_store_value){.kind = RT_STORE_NULL}; break;
            default: {
                const char *text = (const char *)sqlite3_column_text(st, i);
                int len = sqlite3_column_bytes(st, i);
                values[i] = (rt_store_value){.kind = RT_STORE_STR, .text = text ? text : "", .len = (size_t)len};
            }
            }
        }
        if (rows) (*rows)++;
        if (fn && fn(ctx, t, values) != 0) { rc = SQLITE_DONE; break; }
    }
    if (rc != SQLITE_DONE) {
        char what[96];
        snprintf(what, sizeof what, "%s: read", t->record_name);
        status = store_sqlite_fail(s, rc, err, errcap, what);
    }
    sqlite3_finalize(st);
    return status;
too_long:
    return store_fail(err, errcap, RT_STORE_MISUSE, "%s: statement too long", t->record_name);
}
