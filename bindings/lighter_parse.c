/* "lighter.parse": Lighter payloads (REST bodies, WebSocket frames) as plain Lua tables through
 * the C parsers of exchanges/lighter/parse.h.
 *
 *   local lp = require "lighter.parse"
 *   local r, err = lp.response("orders", body)   -- {code, message, data, next_cursor?, resolution?}
 *   local e = lp.error(body, status [, cancelling])  -- {kind, msg, code?, http_status, retryable}
 *   local f, err = lp.ws(text)                   -- {type, channel, kind, numbers, snapshot, id?, code?, message?, data?}
 *
 * Response kinds: markets (orderBooks and orderBookDetails), funding_rates, fundings,
 * book_orders, accounts, orders, trades, next_nonce, api_keys, tx_result, envelope, raw. Decimal
 * values are the venue's exact text as strings (a bare JSON number arrives with its literal
 * text, exponents written out); an empty string and null are nil. Integers are Lua numbers when
 * exact (|n| < 2^53), digit strings otherwise. Every item keeps its raw payload under `info`.
 * Bodies that are not JSON or have the wrong shape give nil and a message naming the member;
 * whether "code" says success is the caller's to check (r.code). Wrong argument types raise. */
#include <jansson.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "bindings/lua_push.h"
#include "bindings/module.h"
#include "exchanges/lighter/json_exact.h"
#include "exchanges/lighter/parse.h"
#include "exchanges/venue.h"

HEDGE_LUA_MODULE("lighter.parse", luaopen_lighter_parse)

static void set_dec(lua_State *L, const char *key, const lighter_decimal_text *d) {
    if (d->present) lpush_set_text(L, key, d->text);
}

/* ---- raw rows of parsed items ---------------------------------------------------------------- */

/* Item n of an array, or of the arrays of an object keyed by market id (the order the parsers
 * read them in). */
static const json_t *grouped_item(const json_t *value, size_t n) {
    if (json_is_array(value)) return json_array_get(value, n);
    const char *key;
    json_t *list;
    json_object_foreach((json_t *)value, key, list) {
        if (n < json_array_size(list)) return json_array_get(list, n);
        n -= json_array_size(list);
    }
    return NULL;
}

/* Value n of an array or of an object (positions keyed by market id). */
static const json_t *nth_value(const json_t *value, size_t n) {
    if (json_is_array(value)) return json_array_get(value, n);
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)value, key, member) {
        if (n-- == 0) return member;
    }
    return NULL;
}

/* The rows of list answers: {"order_books" | "order_book_details": [...]}, {"funding_rates": [...]},
 * {"accounts": [...]}. */
static const json_t *market_row(const json_t *answer, size_t i) {
    const char *list = json_object_get(answer, "order_books") ? "order_books" : "order_book_details";
    return json_array_get(json_object_get(answer, list), i);
}

static const json_t *funding_rate_row(const json_t *answer, size_t i) {
    return json_array_get(json_object_get(answer, "funding_rates"), i);
}

static const json_t *account_row(const json_t *answer, size_t i) {
    return json_array_get(json_object_get(answer, "accounts"), i);
}

static const json_t *no_row(const json_t *answer, size_t i) {
    (void)answer;
    (void)i;
    return NULL;
}

/* ---- items --------------------------------------------------------------------------------- */

static void push_market(lua_State *L, const lighter_market *m, const json_t *raw) {
    lua_createtable(L, 0, 28);
    lpush_set_text(L, "symbol", m->symbol);
    lpush_set_int64(L, "market_id", m->market_id);
    lpush_set_text(L, "market_type", m->market_type);
    lpush_set_text(L, "status", m->status);
    lpush_set_int64(L, "size_decimals", m->size_decimals);
    lpush_set_int64(L, "price_decimals", m->price_decimals);
    char step[24];
    if (lighter_decimals_step(m->price_decimals, step, sizeof step) == 0) lpush_set_text(L, "tick", step);
    if (lighter_decimals_step(m->size_decimals, step, sizeof step) == 0) lpush_set_text(L, "step", step);
    lpush_set_optional_int(L, "quote_decimals", &m->quote_decimals);
    set_dec(L, "taker_fee", &m->taker_fee);
    set_dec(L, "maker_fee", &m->maker_fee);
    set_dec(L, "liquidation_fee", &m->liquidation_fee);
    set_dec(L, "min_base_amount", &m->min_base_amount);
    set_dec(L, "min_quote_amount", &m->min_quote_amount);
    set_dec(L, "order_quote_limit", &m->order_quote_limit);
    lpush_set_optional_int(L, "default_initial_margin_fraction", &m->default_initial_margin_fraction);
    lpush_set_optional_int(L, "min_initial_margin_fraction", &m->min_initial_margin_fraction);
    lpush_set_optional_int(L, "maintenance_margin_fraction", &m->maintenance_margin_fraction);
    lpush_set_optional_int(L, "closeout_margin_fraction", &m->closeout_margin_fraction);
    set_dec(L, "last_trade_price", &m->last_trade_price);
    set_dec(L, "volume_24h", &m->daily_quote_volume);
    set_dec(L, "volume_24h_base", &m->daily_base_volume);
    set_dec(L, "low_24h", &m->daily_price_low);
    set_dec(L, "high_24h", &m->daily_price_high);
    set_dec(L, "price_change_24h", &m->daily_price_change);
    set_dec(L, "open_interest", &m->open_interest);
    lpush_set_optional_int(L, "trades_24h", &m->daily_trades_count);
    lpush_set_info(L, raw);
}

static void push_funding_rate(lua_State *L, const lighter_funding_rate *r, const json_t *raw) {
    lua_createtable(L, 0, 5);
    lpush_set_int64(L, "market_id", r->market_id);
    lpush_set_text(L, "exchange", r->exchange);
    lpush_set_text(L, "symbol", r->symbol);
    set_dec(L, "rate", &r->rate);
    lpush_set_info(L, raw);
}

static void push_funding_record(lua_State *L, const lighter_funding_record *r, const json_t *raw) {
    lua_createtable(L, 0, 5);
    lpush_set_int64(L, "timestamp", r->timestamp);
    set_dec(L, "value", &r->value);
    set_dec(L, "rate", &r->rate);
    lpush_set_text(L, "direction", r->direction);
    lpush_set_info(L, raw);
}

static void push_book_order(lua_State *L, const lighter_book_order *o, const json_t *raw) {
    lua_createtable(L, 0, 8);
    set_dec(L, "price", &o->price);
    set_dec(L, "size", &o->remaining_base_amount);
    set_dec(L, "initial_size", &o->initial_base_amount);
    lpush_set_int64(L, "order_index", o->order_index);
    lpush_set_text(L, "order_id", o->order_id);
    lpush_set_optional_int(L, "owner_account_index", &o->owner_account_index);
    lpush_set_optional_int(L, "order_expiry", &o->order_expiry);
    lpush_set_info(L, raw);
}

static void push_position(lua_State *L, const lighter_position *p, const json_t *raw) {
    lua_createtable(L, 0, 17);
    lpush_set_int64(L, "market_id", p->market_id);
    lpush_set_text(L, "symbol", p->symbol);
    lpush_set_int64(L, "sign", p->sign);
    lpush_set_bool(L, "open", p->is_open);
    set_dec(L, "position", &p->position);
    set_dec(L, "avg_entry_price", &p->avg_entry_price);
    set_dec(L, "position_value", &p->position_value);
    set_dec(L, "unrealized_pnl", &p->unrealized_pnl);
    set_dec(L, "realized_pnl", &p->realized_pnl);
    set_dec(L, "liquidation_price", &p->liquidation_price);
    set_dec(L, "initial_margin_fraction", &p->initial_margin_fraction);
    set_dec(L, "allocated_margin", &p->allocated_margin);
    set_dec(L, "total_funding_paid_out", &p->total_funding_paid_out);
    lpush_set_optional_int(L, "margin_mode", &p->margin_mode);
    lpush_set_optional_int(L, "open_order_count", &p->open_order_count);
    lpush_set_info(L, raw);
}

static void push_account(lua_State *L, const lighter_account *a, const json_t *raw) {
    lua_createtable(L, 0, 12);
    lpush_set_int64(L, "index", a->index);
    lpush_set_optional_int(L, "account_type", &a->account_type);
    lpush_set_optional_int(L, "account_trading_mode", &a->account_trading_mode);
    lpush_set_optional_int(L, "status", &a->status);
    set_dec(L, "collateral", &a->collateral);
    set_dec(L, "available_balance", &a->available_balance);
    set_dec(L, "total_asset_value", &a->total_asset_value);
    set_dec(L, "cross_asset_value", &a->cross_asset_value);
    set_dec(L, "initial_margin_requirement", &a->cross_initial_margin_requirement);
    set_dec(L, "maintenance_margin_requirement", &a->cross_maintenance_margin_requirement);
    LPUSH_ITEMS(L, a->positions.items, a->positions.count, push_position, json_object_get(raw, "positions"), nth_value);
    lua_setfield(L, -2, "positions");
    lpush_set_info(L, raw);
}

static void push_order(lua_State *L, const lighter_order *o, const json_t *raw) {
    lua_createtable(L, 0, 24);
    lpush_set_int64(L, "order_index", o->order_index);
    lpush_set_text(L, "order_id", o->order_id);
    lpush_set_optional_int(L, "client_order_index", &o->client_order_index);
    lpush_set_text(L, "client_order_id", o->client_order_id);
    lpush_set_int64(L, "market_index", o->market_index);
    lpush_set_optional_int(L, "owner_account_index", &o->owner_account_index);
    lpush_set_optional_int(L, "nonce", &o->nonce);
    lpush_set_optional_int(L, "order_expiry", &o->order_expiry);
    lpush_set_optional_int(L, "timestamp", &o->timestamp);
    lpush_set_optional_int(L, "created_at", &o->created_at);
    lpush_set_optional_int(L, "updated_at", &o->updated_at);
    set_dec(L, "initial_base_amount", &o->initial_base_amount);
    set_dec(L, "price", &o->price);
    set_dec(L, "remaining_base_amount", &o->remaining_base_amount);
    set_dec(L, "filled_base_amount", &o->filled_base_amount);
    set_dec(L, "filled_quote_amount", &o->filled_quote_amount);
    set_dec(L, "trigger_price", &o->trigger_price);
    lpush_set_bool(L, "is_ask", o->is_ask);
    lpush_set_bool(L, "reduce_only", o->reduce_only);
    lpush_set_text(L, "type", o->type);
    lpush_set_text(L, "time_in_force", o->time_in_force);
    lpush_set_text(L, "status", o->status);
    lpush_set_info(L, raw);
}

static void push_trade(lua_State *L, const lighter_trade *t, const json_t *raw) {
    lua_createtable(L, 0, 20);
    lpush_set_int64(L, "trade_id", t->trade_id);
    lpush_set_text(L, "tx_hash", t->tx_hash);
    lpush_set_text(L, "type", t->type);
    lpush_set_int64(L, "market_id", t->market_id);
    set_dec(L, "size", &t->size);
    set_dec(L, "price", &t->price);
    set_dec(L, "usd_amount", &t->usd_amount);
    lpush_set_optional_int(L, "ask_id", &t->ask_id);
    lpush_set_optional_int(L, "bid_id", &t->bid_id);
    lpush_set_optional_int(L, "ask_client_id", &t->ask_client_id);
    lpush_set_optional_int(L, "bid_client_id", &t->bid_client_id);
    lpush_set_optional_int(L, "ask_account_id", &t->ask_account_id);
    lpush_set_optional_int(L, "bid_account_id", &t->bid_account_id);
    lpush_set_bool(L, "is_maker_ask", t->is_maker_ask);
    lpush_set_optional_int(L, "taker_fee", &t->taker_fee);
    lpush_set_optional_int(L, "maker_fee", &t->maker_fee);
    lpush_set_optional_int(L, "timestamp", &t->timestamp);
    lpush_set_optional_int(L, "block_height", &t->block_height);
    lpush_set_info(L, raw);
}

static void push_stats(lua_State *L, const lighter_market_stats *s, const json_t *raw) {
    lua_createtable(L, 0, 24);
    lpush_set_int64(L, "market_id", s->market_id);
    lpush_set_text(L, "symbol", s->symbol);
    lpush_set_bool(L, "spot", s->is_spot);
    set_dec(L, "index_price", &s->index_price);
    set_dec(L, "mark_price", &s->mark_price);
    set_dec(L, "mid_price", &s->mid_price);
    set_dec(L, "last_trade_price", &s->last_trade_price);
    set_dec(L, "best_bid_price", &s->best_bid_price);
    set_dec(L, "best_ask_price", &s->best_ask_price);
    set_dec(L, "open_interest", &s->open_interest);
    set_dec(L, "current_funding_rate", &s->current_funding_rate);
    set_dec(L, "funding_rate", &s->funding_rate);
    lpush_set_optional_int(L, "funding_timestamp", &s->funding_timestamp);
    set_dec(L, "volume_24h", &s->daily_quote_volume);
    set_dec(L, "volume_24h_base", &s->daily_base_volume);
    set_dec(L, "low_24h", &s->daily_price_low);
    set_dec(L, "high_24h", &s->daily_price_high);
    set_dec(L, "price_change_24h", &s->daily_price_change);
    lpush_set_info(L, raw);
}

static void push_levels(lua_State *L, const lighter_level *levels, size_t count) {
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_createtable(L, 0, 2);
        set_dec(L, "price", &levels[i].price);
        set_dec(L, "size", &levels[i].size);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

/* ---- list kinds ------------------------------------------------------------------------------ */

LPUSH_LIST_KIND(push_market_list, lighter_market_list, lighter_parse_markets, lighter_market_list_free, push_market,
                market_row)
LPUSH_LIST_KIND(push_funding_rates, lighter_funding_rate_list, lighter_parse_funding_rates,
                lighter_funding_rate_list_free, push_funding_rate, funding_rate_row)
LPUSH_LIST_KIND(push_accounts, lighter_account_list, lighter_parse_accounts, lighter_account_list_free, push_account,
                account_row)
LPUSH_LIST_KIND(push_order_items, lighter_order_list, lighter_parse_orders, lighter_order_list_free, push_order,
                grouped_item)
LPUSH_LIST_KIND(push_trade_items, lighter_trade_list, lighter_parse_trades, lighter_trade_list_free, push_trade,
                grouped_item)
LPUSH_LIST_KIND(push_position_items, lighter_position_list, lighter_parse_positions, lighter_position_list_free,
                push_position, nth_value)
/* Market stats frames are rebuilt constantly: no raw copy. */
LPUSH_LIST_KIND(push_stats_items, lighter_market_stats_list, lighter_parse_market_stats,
                lighter_market_stats_list_free, push_stats, no_row)

static int push_fundings(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_funding_history h;
    if (lighter_parse_fundings(root, &h, err, cap) != 0) return -1;
    LPUSH_ITEMS(L, h.items, h.count, push_funding_record, json_object_get(root, "fundings"), lpush_json_item);
    lighter_funding_history_free(&h);
    return 0;
}

static int push_book_orders(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_book_orders b;
    if (lighter_parse_book_orders(root, &b, err, cap) != 0) return -1;
    lua_createtable(L, 0, 4);
    const char *names[2] = {"asks", "bids"};
    lighter_book_order *sides[2] = {b.asks, b.bids};
    size_t counts[2] = {b.ask_count, b.bid_count};
    for (int s = 0; s < 2; s++) {
        LPUSH_ITEMS(L, sides[s], counts[s], push_book_order, json_object_get(root, names[s]), lpush_json_item);
        lua_setfield(L, -2, names[s]);
    }
    lpush_set_optional_int(L, "total_asks", &b.total_asks);
    lpush_set_optional_int(L, "total_bids", &b.total_bids);
    lighter_book_orders_free(&b);
    return 0;
}

static int push_orders_root(lua_State *L, const json_t *root, char *err, size_t cap) {
    if (!json_is_object(root)) { snprintf(err, cap, "answer: is not an object"); return -1; }
    return push_order_items(L, json_object_get(root, "orders"), err, cap);
}

static int push_trades_root(lua_State *L, const json_t *root, char *err, size_t cap) {
    if (!json_is_object(root)) { snprintf(err, cap, "answer: is not an object"); return -1; }
    return push_trade_items(L, json_object_get(root, "trades"), err, cap);
}

static int push_next_nonce(lua_State *L, const json_t *root, char *err, size_t cap) {
    int64_t nonce;
    if (lighter_parse_next_nonce(root, &nonce, err, cap) != 0) return -1;
    lpush_int64(L, nonce);
    return 0;
}

static int push_api_keys(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_api_key_list list;
    if (lighter_parse_api_keys(root, &list, err, cap) != 0) return -1;
    lua_createtable(L, (int)list.count, 0);
    for (size_t i = 0; i < list.count; i++) {
        lua_createtable(L, 0, 4);
        lpush_set_int64(L, "account_index", list.items[i].account_index);
        lpush_set_int64(L, "api_key_index", list.items[i].api_key_index);
        lpush_set_optional_int(L, "nonce", &list.items[i].nonce);
        lpush_set_text(L, "public_key", list.items[i].public_key);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lighter_api_key_list_free(&list);
    return 0;
}

static int push_tx_result(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_tx_result r;
    if (lighter_parse_tx_result(root, &r, err, cap) != 0) return -1;
    lua_createtable(L, 0, 9);
    lpush_set_optional_int(L, "code", &r.code);
    lpush_set_bool(L, "accepted", r.accepted);
    lpush_set_text(L, "message", r.message);
    lpush_set_text(L, "ratelimit", r.ratelimit);
    lua_createtable(L, (int)r.hash_count, 0);
    for (size_t i = 0; i < r.hash_count; i++) {
        lua_pushstring(L, r.tx_hashes[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "tx_hashes");
    if (r.hash_count) lpush_set_text(L, "tx_hash", r.tx_hashes[0]);
    lpush_set_optional_int(L, "predicted_execution_time_ms", &r.predicted_execution_time_ms);
    lpush_set_optional_int(L, "volume_quota_remaining", &r.volume_quota_remaining);
    lpush_set_text(L, "id", r.request_id);
    return 0;
}

static const lpush_kind response_kinds[] = {
    {"markets", push_market_list}, {"funding_rates", push_funding_rates}, {"fundings", push_fundings},
    {"book_orders", push_book_orders}, {"accounts", push_accounts}, {"orders", push_orders_root},
    {"trades", push_trades_root}, {"next_nonce", push_next_nonce}, {"api_keys", push_api_keys},
    {"tx_result", push_tx_result}, {"envelope", lpush_nothing}, {"raw", lpush_raw_data},
};

/* ---- module functions ------------------------------------------------------------------------ */

static json_t *load_arg(lua_State *L, int index, char *err, size_t cap) {
    size_t length;
    const char *text = luaL_checklstring(L, index, &length);
    return lighter_json_load(text, length, err, cap);
}

/* lp.response(kind, body) -> {code?, message?, data, next_cursor?, resolution?} | nil, message */
static int parse_response(lua_State *L) {
    const char *kind = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    lpush_data_fn push = lpush_find_kind(response_kinds, sizeof response_kinds / sizeof response_kinds[0], kind);
    if (!push)
        return luaL_error(L, "lighter.parse.response: unknown kind '%s' (markets, funding_rates, fundings, book_orders, "
                             "accounts, orders, trades, next_nonce, api_keys, tx_result, envelope, raw)", kind);
    char err[LPUSH_ERR_CAP];
    json_t *root = load_arg(L, 2, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    lighter_envelope envelope;
    if (lighter_parse_envelope(root, &envelope, err, sizeof err) != 0) {
        json_decref(root);
        return lpush_fail(L, err);
    }
    lua_createtable(L, 0, 5);
    lpush_set_optional_int(L, "code", &envelope.code);
    lpush_set_text(L, "message", envelope.message);
    const json_t *cursor = json_object_get(root, "next_cursor");
    if (json_is_string(cursor)) lpush_set_text(L, "next_cursor", json_string_value(cursor));
    const json_t *resolution = json_object_get(root, "resolution");
    if (json_is_string(resolution)) lpush_set_text(L, "resolution", json_string_value(resolution));
    /* An error answer has no data to read: the caller classifies it (lp.error). */
    if (envelope.code.present && envelope.code.value != 200 && strcmp(kind, "tx_result") != 0) {
        json_decref(root);
        return 1;
    }
    int rc = push(L, root, err, sizeof err);
    json_decref(root);
    if (rc != 0) return lpush_fail(L, err);
    lua_setfield(L, -2, "data");
    return 1;
}

/* lp.error(body, status [, cancelling]) -> {kind, msg, code?, http_status, retryable} */
static int parse_error(lua_State *L) {
    size_t length;
    const char *body = luaL_optlstring(L, 1, "", &length);
    int status = (int)luaL_checkinteger(L, 2);
    int cancelling = lua_toboolean(L, 3);
    venue_error e;
    lighter_parse_error_body(body, length, status, cancelling, &e);
    lpush_venue_error(L, &e);
    return 1;
}

/* The data of a channel frame by its kind; 0 with nothing pushed for kinds without data. */
static int push_frame_data(lua_State *L, const lighter_ws_frame *f, const json_t *root, char *err, size_t cap, int *pushed) {
    *pushed = 1;
    const char *k = f->kind;
    if (strcmp(k, "order_book") == 0 || strcmp(k, "ticker") == 0) {
        lighter_ws_book b;
        if (lighter_parse_ws_book(root, &b, err, cap) != 0) return -1;
        lua_createtable(L, 0, 10);
        if (b.market_id >= 0) lpush_set_int64(L, "market_id", b.market_id);
        lpush_set_text(L, "symbol", b.symbol);
        lpush_set_bool(L, "snapshot", b.is_snapshot);
        lpush_set_bool(L, "ticker", b.is_ticker);
        lpush_set_optional_int(L, "offset", &b.offset);
        lpush_set_optional_int(L, "nonce", &b.nonce);
        lpush_set_optional_int(L, "begin_nonce", &b.begin_nonce);
        lpush_set_optional_int(L, "timestamp", &b.timestamp);
        push_levels(L, b.asks, b.ask_count);
        lua_setfield(L, -2, "asks");
        push_levels(L, b.bids, b.bid_count);
        lua_setfield(L, -2, "bids");
        lighter_ws_book_free(&b);
        return 0;
    }
    if (strcmp(k, "market_stats") == 0 || strcmp(k, "spot_market_stats") == 0) return push_stats_items(L, root, err, cap);
    if (strcmp(k, "user_stats") == 0) {
        lighter_user_stats s;
        if (lighter_parse_user_stats(root, &s, err, cap) != 0) return -1;
        lua_createtable(L, 0, 8);
        lpush_set_int64(L, "account", s.account);
        set_dec(L, "collateral", &s.collateral);
        set_dec(L, "portfolio_value", &s.portfolio_value);
        set_dec(L, "leverage", &s.leverage);
        set_dec(L, "available_balance", &s.available_balance);
        set_dec(L, "margin_usage", &s.margin_usage);
        set_dec(L, "buying_power", &s.buying_power);
        lpush_set_optional_int(L, "account_trading_mode", &s.account_trading_mode);
        return 0;
    }
    if (strcmp(k, "account_all_orders") == 0 || strcmp(k, "account_orders") == 0)
        return push_order_items(L, json_object_get(root, "orders"), err, cap);
    if (strcmp(k, "account_all_positions") == 0) return push_position_items(L, json_object_get(root, "positions"), err, cap);
    if (strcmp(k, "account_all_trades") == 0 || strcmp(k, "trade") == 0 || strcmp(k, "account_trades") == 0)
        return push_trade_items(L, json_object_get(root, "trades"), err, cap);
    if (strcmp(k, "account_tx") == 0) {
        const json_t *txs = json_object_get(root, "txs");
        if (txs && lpush_json(L, txs) == 0) return 0;
        lua_newtable(L);
        return 0;
    }
    if (!f->kind[0] && (f->request_id[0] || strncmp(f->type, "jsonapi/", 8) == 0) && !json_object_get(root, "error"))
        return push_tx_result(L, root, err, cap);
    *pushed = 0;
    return 0;
}

/* lp.ws(text) -> frame | nil, message */
static int parse_ws(lua_State *L) {
    char err[LPUSH_ERR_CAP];
    json_t *root = load_arg(L, 1, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    lighter_ws_frame f;
    if (lighter_parse_ws_frame(root, &f, err, sizeof err) != 0) {
        json_decref(root);
        return lpush_fail(L, err);
    }
    lua_createtable(L, 0, 10);
    lpush_set_text(L, "type", f.type);
    lpush_set_text(L, "channel", f.channel);
    lpush_set_text(L, "kind", f.kind);
    lua_createtable(L, (int)f.channel_number_count, 0);
    for (size_t i = 0; i < f.channel_number_count; i++) {
        lpush_int64(L, f.channel_numbers[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "numbers");
    lpush_set_bool(L, "snapshot", f.is_snapshot);
    lpush_set_optional_int(L, "timestamp", &f.timestamp);
    lpush_set_text(L, "id", f.request_id);
    lpush_set_optional_int(L, "code", &f.code);
    lpush_set_text(L, "message", f.message);
    int pushed;
    int rc = push_frame_data(L, &f, root, err, sizeof err, &pushed);
    json_decref(root);
    if (rc != 0) return lpush_fail(L, err);
    if (pushed) lua_setfield(L, -2, "data");
    return 1;
}

int luaopen_lighter_parse(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"response", parse_response},
        {"error", parse_error},
        {"ws", parse_ws},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
