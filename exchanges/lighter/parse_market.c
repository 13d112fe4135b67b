/* Lighter market-data payloads: orderBooks / orderBookDetails, funding-rates, fundings,
 * orderBookOrders, and the order_book / ticker / market_stats WebSocket frames (parse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/parse.h"
#include "exchanges/lighter/parse_fields.h"

int lighter_decimals_step(int64_t decimals, char *out, size_t cap) {
    if (decimals < 0 || decimals > 18 || cap < (size_t)decimals + 3) return -1;
    if (decimals == 0) { snprintf(out, cap, "1"); return 0; }
    out[0] = '0';
    out[1] = '.';
    for (int64_t i = 0; i < decimals - 1; i++) out[2 + i] = '0';
    out[1 + decimals] = '1';
    out[2 + decimals] = '\0';
    return 0;
}

/* ---- markets ----------------------------------------------------------------------------- */

static int read_market(const json_t *item, lighter_market *m, const jfield_where *w) {
    if (!json_is_object(item)) return jfield_fail(w, NULL, "is not an object");
    lighter_optional_int size_decimals, price_decimals;
    if (lf_text(item, "symbol", m->symbol, sizeof m->symbol, JFIELD_REQUIRED, w) != 0 ||
        lf_int_required(item, "market_id", &m->market_id, w) != 0 ||
        lf_text(item, "market_type", m->market_type, sizeof m->market_type, JFIELD_OPTIONAL, w) != 0 ||
        lf_text(item, "status", m->status, sizeof m->status, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "supported_size_decimals", &size_decimals, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "supported_price_decimals", &price_decimals, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "supported_quote_decimals", &m->quote_decimals, JFIELD_OPTIONAL, w) != 0)
        return -1;
    /* Older detail payloads carry only size_decimals / price_decimals. */
    if (!size_decimals.present && lf_int(item, "size_decimals", &size_decimals, JFIELD_OPTIONAL, w) != 0) return -1;
    if (!price_decimals.present && lf_int(item, "price_decimals", &price_decimals, JFIELD_OPTIONAL, w) != 0) return -1;
    if (!size_decimals.present) return jfield_fail(w, "supported_size_decimals", "is missing");
    if (!price_decimals.present) return jfield_fail(w, "supported_price_decimals", "is missing");
    if (size_decimals.value < 0 || size_decimals.value > 18) return jfield_fail(w, "supported_size_decimals", "is outside 0..18");
    if (price_decimals.value < 0 || price_decimals.value > 18) return jfield_fail(w, "supported_price_decimals", "is outside 0..18");
    m->size_decimals = size_decimals.value;
    m->price_decimals = price_decimals.value;
    if (lf_decimal(item, "taker_fee", &m->taker_fee, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "maker_fee", &m->maker_fee, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "liquidation_fee", &m->liquidation_fee, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "min_base_amount", &m->min_base_amount, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(item, "min_quote_amount", &m->min_quote_amount, JFIELD_REQUIRED, w) != 0 ||
        lf_decimal(item, "order_quote_limit", &m->order_quote_limit, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "default_initial_margin_fraction", &m->default_initial_margin_fraction, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "min_initial_margin_fraction", &m->min_initial_margin_fraction, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "maintenance_margin_fraction", &m->maintenance_margin_fraction, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "closeout_margin_fraction", &m->closeout_margin_fraction, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "last_trade_price", &m->last_trade_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "daily_base_token_volume", &m->daily_base_volume, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "daily_quote_token_volume", &m->daily_quote_volume, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "daily_price_low", &m->daily_price_low, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "daily_price_high", &m->daily_price_high, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "daily_price_change", &m->daily_price_change, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(item, "open_interest", &m->open_interest, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(item, "daily_trades_count", &m->daily_trades_count, JFIELD_OPTIONAL, w) != 0)
        return -1;
    if (m->min_initial_margin_fraction.present &&
        (m->min_initial_margin_fraction.value < 1 || m->min_initial_margin_fraction.value > 10000))
        return jfield_fail(w, "min_initial_margin_fraction", "is outside 1..10000");
    return 0;
}

int lighter_parse_markets(const json_t *root, lighter_market_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    /* orderBooks lists order_books; orderBookDetails lists perps and spot markets apart. */
    const char *names[2] = {"order_books", NULL};
    if (!json_object_get(root, "order_books")) { names[0] = "order_book_details"; names[1] = "spot_order_book_details"; }
    const json_t *lists[2] = {NULL, NULL};
    size_t total = 0;
    for (int i = 0; i < 2 && names[i]; i++) {
        if (i == 1 && !json_object_get(root, names[i])) break;
        lists[i] = lf_array(root, names[i], &w);
        if (!lists[i]) return -1;
        total += json_array_size(lists[i]);
    }
    if (jfield_alloc_items((void **)&out->items, total, sizeof *out->items, &w) != 0) return -1;
    size_t n = 0;
    for (int i = 0; i < 2; i++) {
        if (!lists[i]) continue;
        for (size_t k = 0; k < json_array_size(lists[i]); k++) {
            jfield_where item;
            jfield_where_item(&item, names[i], k, err, errcap);
            if (read_market(json_array_get(lists[i], k), &out->items[n], &item) != 0) {
                out->count = n;
                lighter_market_list_free(out);
                return -1;
            }
            if (i == 1 && !out->items[n].market_type[0]) snprintf(out->items[n].market_type, sizeof out->items[n].market_type, "spot");
            n++;
        }
    }
    out->count = n;
    return 0;
}

void lighter_market_list_free(lighter_market_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- funding ------------------------------------------------------------------------------ */

int lighter_parse_funding_rates(const json_t *root, lighter_funding_rate_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    const json_t *rows = lf_array(root, "funding_rates", &w);
    if (!rows) return -1;
    if (jfield_alloc_items((void **)&out->items, json_array_size(rows), sizeof *out->items, &w) != 0) return -1;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *row = json_array_get(rows, i);
        lighter_funding_rate *r = &out->items[i];
        jfield_where item;
        jfield_where_item(&item, "funding_rates", i, err, errcap);
        if (!json_is_object(row) || lf_int_required(row, "market_id", &r->market_id, &item) != 0 ||
            lf_text(row, "exchange", r->exchange, sizeof r->exchange, JFIELD_REQUIRED, &item) != 0 ||
            lf_text(row, "symbol", r->symbol, sizeof r->symbol, JFIELD_REQUIRED, &item) != 0 ||
            lf_decimal(row, "rate", &r->rate, JFIELD_REQUIRED, &item) != 0) {
            if (!json_is_object(row)) jfield_fail(&item, NULL, "is not an object");
            lighter_funding_rate_list_free(out);
            return -1;
        }
        out->count = i + 1;
    }
    return 0;
}

void lighter_funding_rate_list_free(lighter_funding_rate_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int lighter_parse_fundings(const json_t *root, lighter_funding_history *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_text(root, "resolution", out->resolution, sizeof out->resolution, JFIELD_OPTIONAL, &w) != 0) return -1;
    const json_t *rows = lf_array(root, "fundings", &w);
    if (!rows) return -1;
    if (jfield_alloc_items((void **)&out->items, json_array_size(rows), sizeof *out->items, &w) != 0) return -1;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *row = json_array_get(rows, i);
        lighter_funding_record *r = &out->items[i];
        jfield_where item;
        jfield_where_item(&item, "fundings", i, err, errcap);
        int rc = json_is_object(row) ? 0 : jfield_fail(&item, NULL, "is not an object");
        if (rc == 0) rc = lf_int_required(row, "timestamp", &r->timestamp, &item);
        if (rc == 0) rc = lf_decimal(row, "value", &r->value, JFIELD_OPTIONAL, &item);
        if (rc == 0) rc = lf_decimal(row, "rate", &r->rate, JFIELD_REQUIRED, &item);
        if (rc == 0) rc = lf_text(row, "direction", r->direction, sizeof r->direction, JFIELD_REQUIRED, &item);
        if (rc == 0 && strcmp(r->direction, "long") != 0 && strcmp(r->direction, "short") != 0)
            rc = jfield_fail(&item, "direction", "is neither \"long\" nor \"short\"");
        if (rc == 0 && r->rate.text[0] == '-') rc = jfield_fail(&item, "rate", "is negative (fundings rates are magnitudes; the sign is in direction)");
        if (rc != 0) {
            lighter_funding_history_free(out);
            return -1;
        }
        out->count = i + 1;
    }
    return 0;
}

void lighter_funding_history_free(lighter_funding_history *history) {
    free(history->items);
    history->items = NULL;
    history->count = 0;
}

/* ---- orderBookOrders ---------------------------------------------------------------------- */

static int read_book_side(const json_t *root, const char *name, lighter_book_order **items, size_t *count,
                          char *err, size_t errcap) {
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    const json_t *list = lf_array(root, name, &w);
    if (!list) return -1;
    if (jfield_alloc_items((void **)items, json_array_size(list), sizeof **items, &w) != 0) return -1;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *o = json_array_get(list, i);
        lighter_book_order *b = &(*items)[i];
        jfield_where item;
        jfield_where_item(&item, name, i, err, errcap);
        if (!json_is_object(o)) return jfield_fail(&item, NULL, "is not an object");
        if (lf_int_required(o, "order_index", &b->order_index, &item) != 0 ||
            lf_text(o, "order_id", b->order_id, sizeof b->order_id, JFIELD_OPTIONAL, &item) != 0 ||
            lf_int(o, "owner_account_index", &b->owner_account_index, JFIELD_OPTIONAL, &item) != 0 ||
            lf_int(o, "order_expiry", &b->order_expiry, JFIELD_OPTIONAL, &item) != 0 ||
            lf_decimal(o, "initial_base_amount", &b->initial_base_amount, JFIELD_OPTIONAL, &item) != 0 ||
            lf_decimal(o, "remaining_base_amount", &b->remaining_base_amount, JFIELD_REQUIRED, &item) != 0 ||
            lf_decimal(o, "price", &b->price, JFIELD_REQUIRED, &item) != 0)
            return -1;
        *count = i + 1;
    }
    return 0;
}

int lighter_parse_book_orders(const json_t *root, lighter_book_orders *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_int(root, "total_asks", &out->total_asks, JFIELD_OPTIONAL, &w) != 0 ||
        lf_int(root, "total_bids", &out->total_bids, JFIELD_OPTIONAL, &w) != 0 ||
        read_book_side(root, "asks", &out->asks, &out->ask_count, err, errcap) != 0 ||
        read_book_side(root, "bids", &out->bids, &out->bid_count, err, errcap) != 0) {
        lighter_book_orders_free(out);
        return -1;
    }
    return 0;
}

void lighter_book_orders_free(lighter_book_orders *book) {
    free(book->asks);
    free(book->bids);
    memset(book, 0, sizeof *book);
}

/* ---- WebSocket book and ticker ---------------------------------------------------------------- */

static int read_levels(const json_t *book, const char *name, lighter_level **items, size_t *count, const jfield_where *w) {
    const json_t *list = lf_array(book, name, w);
    if (!list) return -1;
    if (jfield_alloc_items((void **)items, json_array_size(list), sizeof **items, w) != 0) return -1;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *l = json_array_get(list, i);
        jfield_where item;
        jfield_where_item(&item, name, i, w->err, w->errcap);
        if (!json_is_object(l)) return jfield_fail(&item, NULL, "is not an object");
        if (lf_decimal(l, "price", &(*items)[i].price, JFIELD_REQUIRED, &item) != 0 ||
            lf_decimal(l, "size", &(*items)[i].size, JFIELD_REQUIRED, &item) != 0)
            return -1;
        *count = i + 1;
    }
    return 0;
}

/* One ticker side {"price","size"}: empty strings mean the side is empty. */
static int read_ticker_side(const json_t *ticker, const char *name, lighter_level **items, size_t *count, const jfield_where *w) {
    const json_t *side = json_object_get(ticker, name);
    if (!side || json_is_null(side)) return 0;
    if (!json_is_object(side)) return jfield_fail(w, name, "is not an object");
    lighter_level level;
    jfield_where item;
    snprintf(item.name, sizeof item.name, "%.60s.%.20s", w->name, name);
    item.err = w->err;
    item.errcap = w->errcap;
    if (lf_decimal(side, "price", &level.price, JFIELD_OPTIONAL, &item) != 0 ||
        lf_decimal(side, "size", &level.size, JFIELD_OPTIONAL, &item) != 0)
        return -1;
    if (!level.price.text[0]) return 0;
    if (jfield_alloc_items((void **)items, 1, sizeof **items, w) != 0) return -1;
    (*items)[0] = level;
    *count = 1;
    return 0;
}

int lighter_parse_ws_book(const json_t *root, lighter_ws_book *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    lighter_ws_frame frame;
    if (lighter_parse_ws_frame(root, &frame, err, errcap) != 0) return -1;
    out->market_id = frame.channel_number_count ? frame.channel_numbers[0] : -1;
    out->is_snapshot = frame.is_snapshot;
    out->timestamp = frame.timestamp;
    jfield_where w;
    jfield_where_init(&w, "frame", err, errcap);
    const json_t *ticker = json_object_get(root, "ticker");
    int rc;
    if (ticker) {
        out->is_ticker = 1;
        jfield_where tw;
        jfield_where_init(&tw, "ticker", err, errcap);
        rc = json_is_object(ticker) ? 0 : jfield_fail(&w, "ticker", "is not an object");
        if (rc == 0) rc = lf_text(ticker, "s", out->symbol, sizeof out->symbol, JFIELD_OPTIONAL, &tw);
        if (rc == 0) rc = lf_int(root, "nonce", &out->nonce, JFIELD_OPTIONAL, &w);
        if (rc == 0) rc = lf_int(ticker, "last_updated_at", &out->last_updated_at, JFIELD_OPTIONAL, &tw);
        if (rc == 0) rc = read_ticker_side(ticker, "a", &out->asks, &out->ask_count, &tw);
        if (rc == 0) rc = read_ticker_side(ticker, "b", &out->bids, &out->bid_count, &tw);
    } else {
        const json_t *book = json_object_get(root, "order_book");
        jfield_where bw;
        jfield_where_init(&bw, "order_book", err, errcap);
        rc = json_is_object(book) ? 0 : jfield_fail(&w, "order_book", book ? "is not an object" : "is missing");
        /* The sequence fields live in order_book (and offset also at the top in newer frames). */
        if (rc == 0) rc = lf_int(book, "offset", &out->offset, JFIELD_OPTIONAL, &bw);
        if (rc == 0 && !out->offset.present) rc = lf_int(root, "offset", &out->offset, JFIELD_OPTIONAL, &w);
        if (rc == 0) rc = lf_int(book, "nonce", &out->nonce, JFIELD_OPTIONAL, &bw);
        if (rc == 0) rc = lf_int(book, "begin_nonce", &out->begin_nonce, JFIELD_OPTIONAL, &bw);
        if (rc == 0) rc = lf_int(book, "last_updated_at", &out->last_updated_at, JFIELD_OPTIONAL, &bw);
        if (rc == 0) rc = read_levels(book, "asks", &out->asks, &out->ask_count, &bw);
        if (rc == 0) rc = read_levels(book, "bids", &out->bids, &out->bid_count, &bw);
    }
    if (rc != 0) lighter_ws_book_free(out);
    return rc;
}

void lighter_ws_book_free(lighter_ws_book *book) {
    free(book->asks);
    free(book->bids);
    book->asks = book->bids = NULL;
    book->ask_count = book->bid_count = 0;
}

/* ---- market_stats ------------------------------------------------------------------------------- */

static int read_stats(const json_t *s, lighter_market_stats *out, int is_spot, const jfield_where *w) {
    if (!json_is_object(s)) return jfield_fail(w, NULL, "is not an object");
    out->is_spot = is_spot;
    if (lf_int_required(s, "market_id", &out->market_id, w) != 0 ||
        lf_text(s, "symbol", out->symbol, sizeof out->symbol, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "index_price", &out->index_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "mark_price", &out->mark_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "mid_price", &out->mid_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "last_trade_price", &out->last_trade_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "best_bid_price", &out->best_bid_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "best_ask_price", &out->best_ask_price, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "open_interest", &out->open_interest, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "open_interest_limit", &out->open_interest_limit, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "current_funding_rate", &out->current_funding_rate, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "funding_rate", &out->funding_rate, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "funding_clamp_small", &out->funding_clamp_small, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "funding_clamp_big", &out->funding_clamp_big, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "base_interest_rate", &out->base_interest_rate, JFIELD_OPTIONAL, w) != 0 ||
        lf_int(s, "funding_timestamp", &out->funding_timestamp, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "daily_base_token_volume", &out->daily_base_volume, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "daily_quote_token_volume", &out->daily_quote_volume, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "daily_price_low", &out->daily_price_low, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "daily_price_high", &out->daily_price_high, JFIELD_OPTIONAL, w) != 0 ||
        lf_decimal(s, "daily_price_change", &out->daily_price_change, JFIELD_OPTIONAL, w) != 0)
        return -1;
    return 0;
}

int lighter_parse_market_stats(const json_t *root, lighter_market_stats_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "frame", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    int is_spot = 0;
    const json_t *stats = json_object_get(root, "market_stats");
    if (!stats) { stats = json_object_get(root, "spot_market_stats"); is_spot = 1; }
    if (!json_is_object(stats)) return jfield_fail(&w, is_spot ? "market_stats" : "market_stats", stats ? "is not an object" : "is missing");
    /* One market has "market_id" at the top; the "all" channel is an object keyed by id. */
    int single = json_object_get(stats, "market_id") != NULL;
    size_t count = single ? 1 : json_object_size(stats);
    if (jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &w) != 0) return -1;
    if (single) {
        jfield_where sw;
        jfield_where_init(&sw, is_spot ? "spot_market_stats" : "market_stats", err, errcap);
        if (read_stats(stats, &out->items[0], is_spot, &sw) != 0) { lighter_market_stats_list_free(out); return -1; }
        out->count = 1;
        return 0;
    }
    const char *key;
    json_t *member;
    size_t n = 0;
    json_object_foreach((json_t *)stats, key, member) {
        jfield_where sw;
        snprintf(sw.name, sizeof sw.name, "market_stats.%.40s", key);
        sw.err = err;
        sw.errcap = errcap;
        if (read_stats(member, &out->items[n], is_spot, &sw) != 0) { out->count = n; lighter_market_stats_list_free(out); return -1; }
        n++;
    }
    out->count = n;
    return 0;
}

void lighter_market_stats_list_free(lighter_market_stats_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
