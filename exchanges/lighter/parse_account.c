/* Lighter account payloads: GET account (balances and positions), account_all_positions,
 * user_stats, the Order object of the order endpoints and channels, and trades (parse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/parse.h"
#include "exchanges/lighter/parse_fields.h"

/* "0.0000", "-0.00", "0" are zero; anything with a non-zero digit is not. */
static int decimal_is_zero(const char *text) {
    for (const char *p = text; *p; p++)
        if (*p >= '1' && *p <= '9') return 0;
    return 1;
}

/* ---- positions ---------------------------------------------------------------------------------- */

static int read_position(const json_t *p, lighter_position *out, const jfield_where *w) {
    if (!json_is_object(p)) return jfield_fail(w, NULL, "is not an object");
    lighter_optional_int sign;
    if (lf_int_required(p, "market_id", &out->market_id, w) != 0 ||
        lf_text(p, "symbol", out->symbol, sizeof out->symbol, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(p, "sign", &sign, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(p, "position", &out->position, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(p, "avg_entry_price", &out->avg_entry_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "position_value", &out->position_value, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "unrealized_pnl", &out->unrealized_pnl, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "realized_pnl", &out->realized_pnl, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "liquidation_price", &out->liquidation_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "initial_margin_fraction", &out->initial_margin_fraction, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "allocated_margin", &out->allocated_margin, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(p, "total_funding_paid_out", &out->total_funding_paid_out, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(p, "margin_mode", &out->margin_mode, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(p, "open_order_count", &out->open_order_count, JFIELD_OPTIONAL, w) != 0)
        return -1;
    if (sign.value != 1 && sign.value != -1 && sign.value != 0) return jfield_fail(w, "sign", "is not 1 or -1");
    if (out->position.text[0] == '-') return jfield_fail(w, "position", "is negative (the size is unsigned; the side is in sign)");
    out->sign = sign.value;
    out->is_open = !decimal_is_zero(out->position.text);
    return 0;
}

int lighter_parse_positions(const json_t *positions, lighter_position_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "positions", err, errcap);
    /* REST: an array; WS account_all_positions: an object keyed by market id. */
    size_t count;
    if (json_is_array(positions)) count = json_array_size(positions);
    else if (json_is_object(positions)) count = json_object_size(positions);
    else return jfield_fail(&w, NULL, positions && !json_is_null(positions) ? "is not a list or an object" : "is missing");
    if (jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &w) != 0) return -1;
    if (json_is_array(positions)) {
        for (size_t i = 0; i < count; i++) {
            jfield_where item;
            jfield_where_item(&item, "positions", i, err, errcap);
            if (read_position(json_array_get(positions, i), &out->items[i], &item) != 0) { lighter_position_list_free(out); return -1; }
            out->count = i + 1;
        }
        return 0;
    }
    const char *key;
    json_t *value;
    size_t n = 0;
    json_object_foreach((json_t *)positions, key, value) {
        jfield_where item;
        snprintf(item.name, sizeof item.name, "positions.%.40s", key);
        item.err = err;
        item.errcap = errcap;
        if (read_position(value, &out->items[n], &item) != 0) { lighter_position_list_free(out); return -1; }
        out->count = ++n;
    }
    return 0;
}

void lighter_position_list_free(lighter_position_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- accounts ----------------------------------------------------------------------------------- */

static int read_account(const json_t *a, lighter_account *out, char *err, size_t errcap, const jfield_where *w) {
    if (!json_is_object(a)) return jfield_fail(w, NULL, "is not an object");
    lighter_optional_int index;
    if (lf_int(a, "account_index", &index, JFIELD_OPTIONAL, w) != 0) return -1;
    if (!index.present && lf_int(a, "index", &index, JFIELD_REQUIRED, w) != 0) return -1;
    out->index = index.value;
    if (lf_int(a, "account_type", &out->account_type, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(a, "account_trading_mode", &out->account_trading_mode, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(a, "status", &out->status, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(a, "collateral", &out->collateral, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(a, "available_balance", &out->available_balance, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(a, "total_asset_value", &out->total_asset_value, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(a, "cross_asset_value", &out->cross_asset_value, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(a, "cross_initial_margin_requirement", &out->cross_initial_margin_requirement, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(a, "cross_maintenance_margin_requirement", &out->cross_maintenance_margin_requirement, JFIELD_OPTIONAL, w) != 0)
        return -1;
    const json_t *positions = json_object_get(a, "positions");
    if (!positions || json_is_null(positions)) return 0;
    char inner[LIGHTER_MESSAGE_CAP];
    if (lighter_parse_positions(positions, &out->positions, inner, sizeof inner) != 0) {
        snprintf(err, errcap, "%s.%s", w->name, inner);
        return -1;
    }
    return 0;
}

int lighter_parse_accounts(const json_t *root, lighter_account_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_int(root, "total", &out->total, JFIELD_OPTIONAL, &w) != 0) return -1;
    const json_t *accounts = lf_array(root, "accounts", &w);
    if (!accounts) return -1;
    if (jfield_alloc_items((void **)&out->items, json_array_size(accounts), sizeof *out->items, &w) != 0) return -1;
    for (size_t i = 0; i < json_array_size(accounts); i++) {
        jfield_where item;
        jfield_where_item(&item, "accounts", i, err, errcap);
        out->count = i + 1;
        if (read_account(json_array_get(accounts, i), &out->items[i], err, errcap, &item) != 0) {
            lighter_account_list_free(out);
            return -1;
        }
    }
    return 0;
}

void lighter_account_list_free(lighter_account_list *list) {
    for (size_t i = 0; i < list->count; i++) lighter_position_list_free(&list->items[i].positions);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int lighter_parse_user_stats(const json_t *root, lighter_user_stats *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    lighter_ws_frame frame;
    if (lighter_parse_ws_frame(root, &frame, err, errcap) != 0) return -1;
    out->account = frame.channel_number_count ? frame.channel_numbers[0] : -1;
    jfield_where w;
    jfield_where_init(&w, "stats", err, errcap);
    const json_t *stats = json_object_get(root, "stats");
    if (!json_is_object(stats)) return jfield_fail(&w, NULL, stats ? "is not an object" : "is missing");
    if (lf_decimal(stats, "collateral", &out->collateral, JFIELD_REQUIRED, &w) != 0 ||
        lf_decimal(stats, "portfolio_value", &out->portfolio_value, JFIELD_REQUIRED, &w) != 0 ||
        lf_decimal(stats, "leverage", &out->leverage, JFIELD_OPTIONAL, &w) != 0 ||
        lf_decimal(stats, "available_balance", &out->available_balance, JFIELD_REQUIRED, &w) != 0 ||
        lf_decimal(stats, "margin_usage", &out->margin_usage, JFIELD_OPTIONAL, &w) != 0 ||
        lf_decimal(stats, "buying_power", &out->buying_power, JFIELD_OPTIONAL, &w) != 0 ||
        lf_int(stats, "account_trading_mode", &out->account_trading_mode, JFIELD_OPTIONAL, &w) != 0)
        return -1;
    return 0;
}

/* ---- orders ---------------------------------------------------------------------------------------- */

static int read_order(const json_t *o, lighter_order *out, const jfield_where *w) {
    if (!json_is_object(o)) return jfield_fail(w, NULL, "is not an object");
    if (lf_int_required(o, "order_index", &out->order_index, w) != 0 ||
        lf_text(o, "order_id", out->order_id, sizeof out->order_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(o, "client_order_index", &out->client_order_index, JFIELD_OPTIONAL, w) != 0 ||
        lf_text(o, "client_order_id", out->client_order_id, sizeof out->client_order_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int_required(o, "market_index", &out->market_index, w) != 0 ||
        lf_int(o, "owner_account_index", &out->owner_account_index, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(o, "nonce", &out->nonce, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(o, "order_expiry", &out->order_expiry, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(o, "timestamp", &out->timestamp, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(o, "created_at", &out->created_at, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(o, "updated_at", &out->updated_at, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(o, "initial_base_amount", &out->initial_base_amount, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(o, "price", &out->price, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(o, "remaining_base_amount", &out->remaining_base_amount, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(o, "filled_base_amount", &out->filled_base_amount, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(o, "filled_quote_amount", &out->filled_quote_amount, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(o, "trigger_price", &out->trigger_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_bool(o, "is_ask", &out->is_ask, JFIELD_REQUIRED, w) != 0 ||
        lf_bool(o, "reduce_only", &out->reduce_only, JFIELD_OPTIONAL, w) != 0 ||
        lf_text(o, "type", out->type, sizeof out->type, JFIELD_OPTIONAL, w) != 0 ||
        lf_text(o, "time_in_force", out->time_in_force, sizeof out->time_in_force, JFIELD_OPTIONAL, w) != 0 ||
        lf_text(o, "status", out->status, sizeof out->status, JFIELD_REQUIRED, w) != 0)
        return -1;
    if (!out->order_id[0]) snprintf(out->order_id, sizeof out->order_id, "%lld", (long long)out->order_index);
    if (!out->client_order_id[0] && out->client_order_index.present)
        snprintf(out->client_order_id, sizeof out->client_order_id, "%lld", (long long)out->client_order_index.value);
    return 0;
}

/* Walks an array, or the arrays of an object keyed by market id, calling read for each item. */
typedef int (*item_reader)(const json_t *item, void *out, const jfield_where *w);

static int read_grouped(const json_t *value, const char *name, void *items, size_t item_size, size_t *count,
                        item_reader read, char *err, size_t errcap) {
    size_t n = 0;
    if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value); i++) {
            jfield_where item;
            jfield_where_item(&item, name, i, err, errcap);
            if (read(json_array_get(value, i), (char *)items + n * item_size, &item) != 0) { *count = n; return -1; }
            n++;
        }
    } else {
        const char *key;
        json_t *list;
        json_object_foreach((json_t *)value, key, list) {
            for (size_t i = 0; i < json_array_size(list); i++) {
                jfield_where item;
                snprintf(item.name, sizeof item.name, "%s.%.24s[%zu]", name, key, i);
                item.err = err;
                item.errcap = errcap;
                if (read(json_array_get(list, i), (char *)items + n * item_size, &item) != 0) { *count = n; return -1; }
                n++;
            }
        }
    }
    *count = n;
    return 0;
}

static int order_reader(const json_t *item, void *out, const jfield_where *w) { return read_order(item, out, w); }

int lighter_parse_orders(const json_t *orders, lighter_order_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "orders", err, errcap);
    long total = lf_grouped_count(orders);
    if (total < 0) return jfield_fail(&w, NULL, orders && !json_is_null(orders) ? "is not a list (or lists keyed by market)" : "is missing");
    if (jfield_alloc_items((void **)&out->items, (size_t)total, sizeof *out->items, &w) != 0) return -1;
    if (read_grouped(orders, "orders", out->items, sizeof *out->items, &out->count, order_reader, err, errcap) != 0) {
        lighter_order_list_free(out);
        return -1;
    }
    return 0;
}

int lighter_parse_order_response(const json_t *root, lighter_order_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    char cursor[LIGHTER_ID_TEXT_CAP];
    if (lf_text(root, "next_cursor", cursor, sizeof cursor, JFIELD_OPTIONAL, &w) != 0) return -1;
    if (lighter_parse_orders(json_object_get(root, "orders"), out, err, errcap) != 0) return -1;
    memcpy(out->next_cursor, cursor, sizeof cursor);
    return 0;
}

void lighter_order_list_free(lighter_order_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- trades ------------------------------------------------------------------------------------------ */

static int read_trade(const json_t *t, lighter_trade *out, const jfield_where *w) {
    if (!json_is_object(t)) return jfield_fail(w, NULL, "is not an object");
    if (lf_int_required(t, "trade_id", &out->trade_id, w) != 0 ||
        lf_text(t, "tx_hash", out->tx_hash, sizeof out->tx_hash, JFIELD_OPTIONAL, w) != 0 ||
        lf_text(t, "type", out->type, sizeof out->type, JFIELD_OPTIONAL, w) != 0 ||
        lf_int_required(t, "market_id", &out->market_id, w) != 0 ||
        lf_decimal(t, "size", &out->size, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(t, "price", &out->price, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(t, "usd_amount", &out->usd_amount, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "ask_id", &out->ask_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "bid_id", &out->bid_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "ask_client_id", &out->ask_client_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "bid_client_id", &out->bid_client_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "ask_account_id", &out->ask_account_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "bid_account_id", &out->bid_account_id, JFIELD_OPTIONAL, w) != 0 ||
        lf_bool(t, "is_maker_ask", &out->is_maker_ask, JFIELD_REQUIRED, w) != 0 ||
        lf_int(t, "taker_fee", &out->taker_fee, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "maker_fee", &out->maker_fee, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "timestamp", &out->timestamp, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(t, "block_height", &out->block_height, JFIELD_OPTIONAL, w) != 0)
        return -1;
    return 0;
}

static int trade_reader(const json_t *item, void *out, const jfield_where *w) { return read_trade(item, out, w); }

int lighter_parse_trades(const json_t *trades, lighter_trade_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "trades", err, errcap);
    long total = lf_grouped_count(trades);
    if (total < 0) return jfield_fail(&w, NULL, trades && !json_is_null(trades) ? "is not a list (or lists keyed by market)" : "is missing");
    if (jfield_alloc_items((void **)&out->items, (size_t)total, sizeof *out->items, &w) != 0) return -1;
    if (read_grouped(trades, "trades", out->items, sizeof *out->items, &out->count, trade_reader, err, errcap) != 0) {
        lighter_trade_list_free(out);
        return -1;
    }
    return 0;
}

void lighter_trade_list_free(lighter_trade_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
