/* Pacifica account parsers: account/balance, positions, orders (see parse.h). */
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/parse.h"
#include "exchanges/pacifica/parse_fields.h"

/* ---- account ---------------------------------------------------------------------------- */

int pacifica_parse_account(const json_t *data, pacifica_account *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "account", err, errcap);
    memset(out, 0, sizeof *out);
    /* A late-2025 docs revision showed data as a one-element array; accept both shapes. */
    if (json_is_array(data)) {
        if (json_array_size(data) != 1) return jfield_fail(&where, NULL, "is a list without exactly one account");
        data = json_array_get(data, 0);
    }
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    return pf_decimal(data, "balance", "b", &out->balance, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "account_equity", "ae", &out->account_equity, JFIELD_REQUIRED, &where) ||
           pf_decimal(data, "available_to_spend", "as", &out->available_to_spend, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "available_to_withdraw", "aw", &out->available_to_withdraw, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "pending_balance", "pb", &out->pending_balance, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "total_margin_used", "mu", &out->total_margin_used, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "cross_mmr", "cm", &out->cross_mmr, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "maker_fee", NULL, &out->maker_fee, JFIELD_OPTIONAL, &where) ||
           pf_decimal(data, "taker_fee", NULL, &out->taker_fee, JFIELD_OPTIONAL, &where) ||
           pf_int(data, "fee_level", "f", &out->fee_level, JFIELD_OPTIONAL, &where) ||
           pf_int(data, "positions_count", "pc", &out->positions_count, JFIELD_OPTIONAL, &where) ||
           pf_int(data, "orders_count", "oc", &out->orders_count, JFIELD_OPTIONAL, &where) ||
           pf_int(data, "stop_orders_count", "sc", &out->stop_orders_count, JFIELD_OPTIONAL, &where) ||
           pf_int(data, "updated_at", "t", &out->updated_at, JFIELD_OPTIONAL, &where)
               ? -1 : 0;
}

/* ---- positions -------------------------------------------------------------------------- */

static int parse_position(const json_t *item, pacifica_position *out, const jfield_where *at) {
    if (!json_is_object(item)) return jfield_fail(at, NULL, "is not an object");
    return pf_text(item, "symbol", "s", out->symbol, sizeof out->symbol, JFIELD_REQUIRED, at) ||
           pf_side(item, "side", "d", &out->side, JFIELD_REQUIRED, at) ||
           pf_decimal(item, "amount", "a", &out->amount, JFIELD_REQUIRED, at) ||
           pf_decimal(item, "entry_price", "p", &out->entry_price, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "margin", "m", &out->margin, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "funding", "f", &out->funding, JFIELD_OPTIONAL, at) ||
           pf_bool(item, "isolated", "i", &out->isolated, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "liquidation_price", "l", &out->liquidation_price, JFIELD_OPTIONAL, at) ||
           pf_int(item, "created_at", NULL, &out->created_at, JFIELD_OPTIONAL, at) ||
           pf_int(item, "updated_at", "t", &out->updated_at, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int pacifica_parse_positions(const json_t *data, pacifica_position_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "positions", err, errcap);
    memset(out, 0, sizeof *out);
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "positions", i, err, errcap);
        if (parse_position(json_array_get(data, i), &out->items[i], &at) != 0) {
            pacifica_position_list_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_position_list_free(pacifica_position_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- margin settings -------------------------------------------------------------------- */

int pacifica_parse_margin_settings(const json_t *data, pacifica_margin_settings *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "settings", err, errcap);
    memset(out, 0, sizeof *out);
    if (json_is_object(data)) {
        const json_t *list = json_object_get(data, "margin_settings");
        if (!list || json_is_null(list)) return 0;   /* nothing changed from the defaults */
        jfield_where_init(&where, "settings.margin_settings", err, errcap);
        data = list;
    }
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "margin_settings", i, err, errcap);
        const json_t *item = json_array_get(data, i);
        pacifica_margin_setting *setting = &out->items[i];
        if (!json_is_object(item) ||
            pf_text(item, "symbol", NULL, setting->symbol, sizeof setting->symbol, JFIELD_REQUIRED, &at) ||
            pf_bool(item, "isolated", NULL, &setting->isolated, JFIELD_OPTIONAL, &at) ||
            pf_int(item, "leverage", NULL, &setting->leverage, JFIELD_OPTIONAL, &at) ||
            pf_int(item, "created_at", NULL, &setting->created_at, JFIELD_OPTIONAL, &at) ||
            pf_int(item, "updated_at", NULL, &setting->updated_at, JFIELD_OPTIONAL, &at)) {
            if (!json_is_object(item)) jfield_fail(&at, NULL, "is not an object");
            pacifica_margin_settings_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_margin_settings_free(pacifica_margin_settings *settings) {
    free(settings->items);
    settings->items = NULL;
    settings->count = 0;
}

/* ---- orders ----------------------------------------------------------------------------- */

/* account_order_updates rows reuse "p" for the average fill price and put the limit price in
 * "ip"; every other shape has the limit price in "price" / "p". */
static int is_order_update(const json_t *item) {
    return json_object_get(item, "oe") || json_object_get(item, "ip") || json_object_get(item, "os");
}

static int parse_order(const json_t *item, pacifica_order *out, const jfield_where *at) {
    if (!json_is_object(item)) return jfield_fail(at, NULL, "is not an object");
    pacifica_optional_int order_id;
    int update = is_order_update(item);
    int rc = pf_int(item, "order_id", "i", &order_id, JFIELD_REQUIRED, at) ||
             pf_text(item, "client_order_id", "I", out->client_order_id, sizeof out->client_order_id, JFIELD_OPTIONAL, at) ||
             pf_text(item, "symbol", "s", out->symbol, sizeof out->symbol, JFIELD_REQUIRED, at) ||
             pf_side(item, "side", "d", &out->side, JFIELD_REQUIRED, at) ||
             pf_decimal(item, "initial_amount", "a", &out->amount, JFIELD_OPTIONAL, at) ||
             pf_decimal(item, "filled_amount", "f", &out->filled, JFIELD_OPTIONAL, at) ||
             pf_decimal(item, "cancelled_amount", "c", &out->cancelled, JFIELD_OPTIONAL, at) ||
             pf_decimal(item, "stop_price", "sp", &out->stop_price, JFIELD_OPTIONAL, at) ||
             pf_text(item, "order_type", "ot", out->order_type, sizeof out->order_type, JFIELD_OPTIONAL, at) ||
             pf_text(item, "stop_type", "st", out->stop_type, sizeof out->stop_type, JFIELD_OPTIONAL, at) ||
             pf_text(item, "event_type", "oe", out->event, sizeof out->event, JFIELD_OPTIONAL, at) ||
             pf_text(item, "order_status", "os", out->status, sizeof out->status, JFIELD_OPTIONAL, at) ||
             pf_text(item, "trigger_price_type", NULL, out->trigger_price_type, sizeof out->trigger_price_type,
                     JFIELD_OPTIONAL, at) ||
             pf_bool(item, "reduce_only", json_object_get(item, "ro") ? "ro" : (update ? "r" : NULL), &out->reduce_only,
                     JFIELD_OPTIONAL, at) ||
             pf_int(item, "history_id", NULL, &out->history_id, JFIELD_OPTIONAL, at) ||
             pf_int(item, "stop_parent_order_id", NULL, &out->stop_parent_order_id, JFIELD_OPTIONAL, at) ||
             pf_int(item, "created_at", "ct", &out->created_at, JFIELD_OPTIONAL, at) ||
             pf_int(item, "updated_at", "ut", &out->updated_at, JFIELD_OPTIONAL, at) ||
             pf_int(item, "t", NULL, &out->timestamp, JFIELD_OPTIONAL, at);
    if (rc) return -1;
    out->order_id = order_id.value;
    if (!update && json_is_string(json_object_get(item, "reason")) &&
        pf_text(item, "reason", NULL, out->reason, sizeof out->reason, JFIELD_OPTIONAL, at))
        return -1;
    if (update) {
        return pf_decimal(item, "ip", NULL, &out->price, JFIELD_OPTIONAL, at) ||
               pf_decimal(item, "p", NULL, &out->average_price, JFIELD_OPTIONAL, at)
                   ? -1 : 0;
    }
    /* Order history rows say "amount" and "initial_price" where open orders say
     * "initial_amount" and "price". */
    if (!out->amount.text[0] && pf_decimal(item, "amount", NULL, &out->amount, JFIELD_OPTIONAL, at)) return -1;
    return pf_decimal(item, "price", "initial_price", &out->price, JFIELD_OPTIONAL, at) ||
           (!out->price.text[0] && pf_decimal(item, "p", NULL, &out->price, JFIELD_OPTIONAL, at)) ||
           pf_decimal(item, "average_filled_price", NULL, &out->average_price, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int pacifica_parse_orders(const json_t *data, pacifica_order_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "orders", err, errcap);
    memset(out, 0, sizeof *out);
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "orders", i, err, errcap);
        if (parse_order(json_array_get(data, i), &out->items[i], &at) != 0) {
            pacifica_order_list_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_order_list_free(pacifica_order_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
