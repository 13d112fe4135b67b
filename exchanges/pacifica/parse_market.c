/* Pacifica market-data parsers: markets, prices/funding, funding history, order book, trades
 * (see parse.h). */
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/parse.h"
#include "exchanges/pacifica/parse_fields.h"

/* ---- markets ---------------------------------------------------------------------------- */

static int parse_market(const json_t *item, pacifica_market *out, const jfield_where *at) {
    if (!json_is_object(item)) return jfield_fail(at, NULL, "is not an object");
    pacifica_optional_int leverage;
    if (pf_text(item, "symbol", NULL, out->symbol, sizeof out->symbol, JFIELD_REQUIRED, at) ||
        pf_text(item, "base_asset", NULL, out->base_asset, sizeof out->base_asset, JFIELD_OPTIONAL, at) ||
        pf_text(item, "instrument_type", NULL, out->instrument_type, sizeof out->instrument_type, JFIELD_OPTIONAL, at) ||
        pf_decimal(item, "tick_size", NULL, &out->tick_size, JFIELD_REQUIRED, at) ||
        pf_decimal(item, "min_tick", NULL, &out->min_tick, JFIELD_OPTIONAL, at) ||
        pf_decimal(item, "max_tick", NULL, &out->max_tick, JFIELD_OPTIONAL, at) ||
        pf_decimal(item, "lot_size", NULL, &out->lot_size, JFIELD_REQUIRED, at) ||
        pf_decimal(item, "min_order_size", NULL, &out->min_order_size, JFIELD_OPTIONAL, at) ||
        pf_decimal(item, "max_order_size", NULL, &out->max_order_size, JFIELD_OPTIONAL, at) ||
        pf_decimal(item, "funding_rate", NULL, &out->funding_rate, JFIELD_OPTIONAL, at) ||
        pf_decimal(item, "next_funding_rate", NULL, &out->next_funding_rate, JFIELD_OPTIONAL, at) ||
        pf_int(item, "max_leverage", NULL, &leverage, JFIELD_OPTIONAL, at) ||
        pf_bool(item, "isolated_only", NULL, &out->isolated_only, JFIELD_OPTIONAL, at) ||
        pf_int(item, "created_at", NULL, &out->created_at, JFIELD_OPTIONAL, at))
        return -1;
    out->max_leverage = leverage.present ? leverage.value : 0;
    /* Payloads from before spot markets existed have no instrument_type: all perpetual. */
    out->is_perpetual = !out->instrument_type[0] || strcmp(out->instrument_type, "perpetual") == 0;
    return 0;
}

int pacifica_parse_markets(const json_t *data, pacifica_market_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "markets", err, errcap);
    memset(out, 0, sizeof *out);
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "markets", i, err, errcap);
        if (parse_market(json_array_get(data, i), &out->items[i], &at) != 0) {
            pacifica_market_list_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_market_list_free(pacifica_market_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- prices ----------------------------------------------------------------------------- */

static int parse_price(const json_t *item, pacifica_price *out, const jfield_where *at) {
    if (!json_is_object(item)) return jfield_fail(at, NULL, "is not an object");
    return pf_text(item, "symbol", NULL, out->symbol, sizeof out->symbol, JFIELD_REQUIRED, at) ||
           pf_decimal(item, "funding", NULL, &out->funding, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "next_funding", NULL, &out->next_funding, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "mark", NULL, &out->mark, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "mid", NULL, &out->mid, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "oracle", NULL, &out->oracle, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "open_interest", NULL, &out->open_interest, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "volume_24h", NULL, &out->volume_24h, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "yesterday_price", NULL, &out->yesterday_price, JFIELD_OPTIONAL, at) ||
           pf_int(item, "timestamp", NULL, &out->timestamp, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int pacifica_parse_prices(const json_t *data, pacifica_price_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "prices", err, errcap);
    memset(out, 0, sizeof *out);
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "prices", i, err, errcap);
        if (parse_price(json_array_get(data, i), &out->items[i], &at) != 0) {
            pacifica_price_list_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_price_list_free(pacifica_price_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- funding history -------------------------------------------------------------------- */

int pacifica_parse_funding_history(const json_t *data, pacifica_funding_history *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "funding_history", err, errcap);
    memset(out, 0, sizeof *out);
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "funding_history", i, err, errcap);
        const json_t *item = json_array_get(data, i);
        pacifica_funding_record *record = &out->items[i];
        if (!json_is_object(item) ||
            pf_decimal(item, "oracle_price", NULL, &record->oracle_price, JFIELD_OPTIONAL, &at) ||
            pf_decimal(item, "bid_impact_price", NULL, &record->bid_impact_price, JFIELD_OPTIONAL, &at) ||
            pf_decimal(item, "ask_impact_price", NULL, &record->ask_impact_price, JFIELD_OPTIONAL, &at) ||
            pf_decimal(item, "funding_rate", NULL, &record->funding_rate, JFIELD_REQUIRED, &at) ||
            pf_decimal(item, "next_funding_rate", NULL, &record->next_funding_rate, JFIELD_OPTIONAL, &at) ||
            pf_int(item, "created_at", NULL, &record->created_at, JFIELD_OPTIONAL, &at)) {
            if (!json_is_object(item)) jfield_fail(&at, NULL, "is not an object");
            pacifica_funding_history_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_funding_history_free(pacifica_funding_history *history) {
    free(history->items);
    history->items = NULL;
    history->count = 0;
}

/* ---- order book ------------------------------------------------------------------------- */

static int parse_levels(const json_t *side, const char *name, pacifica_book_level **levels, size_t *count,
                        char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, name, err, errcap);
    if (!json_is_array(side)) return jfield_fail(&where, NULL, "is not a list of levels");
    *count = json_array_size(side);
    if (jfield_alloc_items((void **)levels, *count, sizeof **levels, &where) != 0) return -1;
    for (size_t i = 0; i < *count; i++) {
        jfield_where at;
        jfield_where_item(&at, name, i, err, errcap);
        const json_t *level = json_array_get(side, i);
        pacifica_optional_int orders;
        if (!json_is_object(level)) return jfield_fail(&at, NULL, "is not an object");
        if (pf_decimal(level, "p", NULL, &(*levels)[i].price, JFIELD_REQUIRED, &at) ||
            pf_decimal(level, "a", NULL, &(*levels)[i].amount, JFIELD_REQUIRED, &at) ||
            pf_int(level, "n", NULL, &orders, JFIELD_OPTIONAL, &at))
            return -1;
        (*levels)[i].orders = orders.value;
    }
    return 0;
}

/* bbo: one level per side from b/B (bid price/size) and a/A (ask price/size). */
static int parse_best_bid_offer(const json_t *data, pacifica_book *out, const jfield_where *where) {
    pacifica_book_level bid = {0}, ask = {0};
    if (pf_decimal(data, "b", NULL, &bid.price, JFIELD_OPTIONAL, where) ||
        pf_decimal(data, "B", NULL, &bid.amount, JFIELD_OPTIONAL, where) ||
        pf_decimal(data, "a", NULL, &ask.price, JFIELD_OPTIONAL, where) ||
        pf_decimal(data, "A", NULL, &ask.amount, JFIELD_OPTIONAL, where))
        return -1;
    if (bid.price.text[0]) {
        if (jfield_alloc_items((void **)&out->bids, 1, sizeof *out->bids, where) != 0) return -1;
        out->bids[0] = bid;
        out->bid_count = 1;
    }
    if (ask.price.text[0]) {
        if (jfield_alloc_items((void **)&out->asks, 1, sizeof *out->asks, where) != 0) return -1;
        out->asks[0] = ask;
        out->ask_count = 1;
    }
    return 0;
}

int pacifica_parse_book(const json_t *data, pacifica_book *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "book", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    if (pf_text(data, "s", "symbol", out->symbol, sizeof out->symbol, JFIELD_OPTIONAL, &where) ||
        pf_int(data, "t", "timestamp", &out->timestamp, JFIELD_OPTIONAL, &where))
        return -1;
    const json_t *levels = json_object_get(data, "l");
    int rc;
    if (!levels && (json_object_get(data, "b") || json_object_get(data, "a"))) {
        rc = parse_best_bid_offer(data, out, &where);
    } else if (!json_is_array(levels) || json_array_size(levels) != 2) {
        rc = jfield_fail(&where, "l", "is not [bids, asks]");
    } else {
        rc = parse_levels(json_array_get(levels, 0), "book.bids", &out->bids, &out->bid_count, err, errcap);
        if (rc == 0)
            rc = parse_levels(json_array_get(levels, 1), "book.asks", &out->asks, &out->ask_count, err, errcap);
    }
    if (rc != 0) pacifica_book_free(out);
    return rc;
}

void pacifica_book_free(pacifica_book *book) {
    free(book->bids);
    free(book->asks);
    memset(book, 0, sizeof *book);
}

/* ---- trades ----------------------------------------------------------------------------- */

static int parse_trade(const json_t *item, pacifica_trade *out, const jfield_where *at) {
    if (!json_is_object(item)) return jfield_fail(at, NULL, "is not an object");
    return pf_int(item, "history_id", "h", &out->history_id, JFIELD_OPTIONAL, at) ||
           pf_int(item, "order_id", "i", &out->order_id, JFIELD_OPTIONAL, at) ||
           pf_text(item, "client_order_id", "I", out->client_order_id, sizeof out->client_order_id, JFIELD_OPTIONAL, at) ||
           pf_text(item, "symbol", "s", out->symbol, sizeof out->symbol, JFIELD_REQUIRED, at) ||
           pf_decimal(item, "price", "p", &out->price, JFIELD_REQUIRED, at) ||
           pf_decimal(item, "amount", "a", &out->amount, JFIELD_REQUIRED, at) ||
           pf_decimal(item, "entry_price", "o", &out->entry_price, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "fee", "f", &out->fee, JFIELD_OPTIONAL, at) ||
           pf_decimal(item, "pnl", "n", &out->pnl, JFIELD_OPTIONAL, at) ||
           pf_text(item, "event_type", "te", out->event_type, sizeof out->event_type, JFIELD_OPTIONAL, at) ||
           /* public WS trades carry the side in "d", account trades in "ts" */
           pf_text(item, "side", json_object_get(item, "ts") ? "ts" : "d", out->side, sizeof out->side, JFIELD_OPTIONAL, at) ||
           pf_text(item, "cause", "tc", out->cause, sizeof out->cause, JFIELD_OPTIONAL, at) ||
           pf_text(item, "account", "u", out->account, sizeof out->account, JFIELD_OPTIONAL, at) ||
           pf_int(item, "created_at", "t", &out->created_at, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int pacifica_parse_trades(const json_t *data, pacifica_trade_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "trades", err, errcap);
    memset(out, 0, sizeof *out);
    size_t count;
    if (pf_list(data, &count, &where) != 0 ||
        jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &where) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where at;
        jfield_where_item(&at, "trades", i, err, errcap);
        if (parse_trade(json_array_get(data, i), &out->items[i], &at) != 0) {
            pacifica_trade_list_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

void pacifica_trade_list_free(pacifica_trade_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
