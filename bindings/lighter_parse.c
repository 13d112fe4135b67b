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

#include "bindings/module.h"
#include "exchanges/lighter/json_exact.h"
#include "exchanges/lighter/parse.h"
#include "exchanges/venue.h"

HEDGE_LUA_MODULE("lighter.parse", luaopen_lighter_parse)

#define ERR_CAP 512
#define LARGEST_EXACT_INTEGER 9007199254740992LL
#define MAX_RAW_DEPTH 32

/* ---- values -------------------------------------------------------------------------------- */

static void push_int64(lua_State *L, int64_t value) {
    if (value < LARGEST_EXACT_INTEGER && value > -LARGEST_EXACT_INTEGER) {
        lua_pushnumber(L, (lua_Number)value);
    } else {
        char text[24];
        snprintf(text, sizeof text, "%lld", (long long)value);
        lua_pushstring(L, text);
    }
}

static void set_text(lua_State *L, const char *key, const char *text) {
    if (!text[0]) return;
    lua_pushstring(L, text);
    lua_setfield(L, -2, key);
}

static void set_dec(lua_State *L, const char *key, const lighter_decimal_text *d) {
    if (d->present) set_text(L, key, d->text);
}

static void set_int(lua_State *L, const char *key, int64_t value) {
    push_int64(L, value);
    lua_setfield(L, -2, key);
}

static void set_opt(lua_State *L, const char *key, const lighter_optional_int *v) {
    if (v->present) set_int(L, key, v->value);
}

static void set_bool(lua_State *L, const char *key, int value) {
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

static int push_raw(lua_State *L, const json_t *value, int depth) {
    if (depth > MAX_RAW_DEPTH) return -1;
    luaL_checkstack(L, 3, "lighter.parse: payload too deep");
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(value));
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member) {
            if (json_is_null(member)) continue;
            if (push_raw(L, member, depth + 1) != 0) return -1;
            lua_setfield(L, -2, key);
        }
        return 0;
    }
    case JSON_ARRAY:
        lua_createtable(L, (int)json_array_size(value), 0);
        for (size_t i = 0; i < json_array_size(value); i++) {
            if (push_raw(L, json_array_get(value, i), depth + 1) != 0) return -1;
            lua_rawseti(L, -2, (int)i + 1);
        }
        return 0;
    case JSON_STRING: lua_pushlstring(L, json_string_value(value), json_string_length(value)); return 0;
    case JSON_INTEGER: push_int64(L, (int64_t)json_integer_value(value)); return 0;
    case JSON_REAL: lua_pushnumber(L, json_real_value(value)); return 0;
    case JSON_TRUE: lua_pushboolean(L, 1); return 0;
    case JSON_FALSE: lua_pushboolean(L, 0); return 0;
    case JSON_NULL: lua_pushnil(L); return 0;
    }
    return -1;
}

/* t.info = raw (t on top of the stack); left out when it nests too deep. */
static void set_info(lua_State *L, const json_t *raw) {
    if (!raw) return;
    int top = lua_gettop(L);
    if (push_raw(L, raw, 0) != 0) { lua_settop(L, top); return; }
    lua_setfield(L, -2, "info");
}

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

/* ---- items --------------------------------------------------------------------------------- */

static void push_market(lua_State *L, const lighter_market *m, const json_t *raw) {
    lua_createtable(L, 0, 28);
    set_text(L, "symbol", m->symbol);
    set_int(L, "market_id", m->market_id);
    set_text(L, "market_type", m->market_type);
    set_text(L, "status", m->status);
    set_int(L, "size_decimals", m->size_decimals);
    set_int(L, "price_decimals", m->price_decimals);
    char step[24];
    if (lighter_decimals_step(m->price_decimals, step, sizeof step) == 0) set_text(L, "tick", step);
    if (lighter_decimals_step(m->size_decimals, step, sizeof step) == 0) set_text(L, "step", step);
    set_opt(L, "quote_decimals", &m->quote_decimals);
    set_dec(L, "taker_fee", &m->taker_fee);
    set_dec(L, "maker_fee", &m->maker_fee);
    set_dec(L, "liquidation_fee", &m->liquidation_fee);
    set_dec(L, "min_base_amount", &m->min_base_amount);
    set_dec(L, "min_quote_amount", &m->min_quote_amount);
    set_dec(L, "order_quote_limit", &m->order_quote_limit);
    set_opt(L, "default_initial_margin_fraction", &m->default_initial_margin_fraction);
    set_opt(L, "min_initial_margin_fraction", &m->min_initial_margin_fraction);
    set_opt(L, "maintenance_margin_fraction", &m->maintenance_margin_fraction);
    set_opt(L, "closeout_margin_fraction", &m->closeout_margin_fraction);
    set_dec(L, "last_trade_price", &m->last_trade_price);
    set_dec(L, "volume_24h", &m->daily_quote_volume);
    set_dec(L, "volume_24h_base", &m->daily_base_volume);
    set_dec(L, "low_24h", &m->daily_price_low);
    set_dec(L, "high_24h", &m->daily_price_high);
    set_dec(L, "price_change_24h", &m->daily_price_change);
    set_dec(L, "open_interest", &m->open_interest);
    set_opt(L, "trades_24h", &m->daily_trades_count);
    set_info(L, raw);
}

static void push_funding_rate(lua_State *L, const lighter_funding_rate *r, const json_t *raw) {
    lua_createtable(L, 0, 5);
    set_int(L, "market_id", r->market_id);
    set_text(L, "exchange", r->exchange);
    set_text(L, "symbol", r->symbol);
    set_dec(L, "rate", &r->rate);
    set_info(L, raw);
}

static void push_funding_record(lua_State *L, const lighter_funding_record *r, const json_t *raw) {
    lua_createtable(L, 0, 5);
    set_int(L, "timestamp", r->timestamp);
    set_dec(L, "value", &r->value);
    set_dec(L, "rate", &r->rate);
    set_text(L, "direction", r->direction);
    set_info(L, raw);
}

static void push_book_order(lua_State *L, const lighter_book_order *o, const json_t *raw) {
    lua_createtable(L, 0, 8);
    set_dec(L, "price", &o->price);
    set_dec(L, "size", &o->remaining_base_amount);
    set_dec(L, "initial_size", &o->initial_base_amount);
    set_int(L, "order_index", o->order_index);
    set_text(L, "order_id", o->order_id);
    set_opt(L, "owner_account_index", &o->owner_account_index);
    set_opt(L, "order_expiry", &o->order_expiry);
    set_info(L, raw);
}

static void push_position(lua_State *L, const lighter_position *p, const json_t *raw) {
    lua_createtable(L, 0, 17);
    set_int(L, "market_id", p->market_id);
    set_text(L, "symbol", p->symbol);
    set_int(L, "sign", p->sign);
    set_bool(L, "open", p->is_open);
    set_dec(L, "position", &p->position);
    set_dec(L, "avg_entry_price", &p->avg_entry_price);
    set_dec(L, "position_value", &p->position_value);
    set_dec(L, "unrealized_pnl", &p->unrealized_pnl);
    set_dec(L, "realized_pnl", &p->realized_pnl);
    set_dec(L, "liquidation_price", &p->liquidation_price);
    set_dec(L, "initial_margin_fraction", &p->initial_margin_fraction);
    set_dec(L, "allocated_margin", &p->allocated_margin);
    set_dec(L, "total_funding_paid_out", &p->total_funding_paid_out);
    set_opt(L, "margin_mode", &p->margin_mode);
    set_opt(L, "open_order_count", &p->open_order_count);
    set_info(L, raw);
}

static void push_positions(lua_State *L, const lighter_position_list *list, const json_t *raw) {
    lua_createtable(L, (int)list->count, 0);
    for (size_t i = 0; i < list->count; i++) {
        push_position(L, &list->items[i], raw ? nth_value(raw, i) : NULL);
        lua_rawseti(L, -2, (int)i + 1);
    }
}

static void push_account(lua_State *L, const lighter_account *a, const json_t *raw) {
    lua_createtable(L, 0, 12);
    set_int(L, "index", a->index);
    set_opt(L, "account_type", &a->account_type);
    set_opt(L, "account_trading_mode", &a->account_trading_mode);
    set_opt(L, "status", &a->status);
    set_dec(L, "collateral", &a->collateral);
    set_dec(L, "available_balance", &a->available_balance);
    set_dec(L, "total_asset_value", &a->total_asset_value);
    set_dec(L, "cross_asset_value", &a->cross_asset_value);
    set_dec(L, "initial_margin_requirement", &a->cross_initial_margin_requirement);
    set_dec(L, "maintenance_margin_requirement", &a->cross_maintenance_margin_requirement);
    push_positions(L, &a->positions, raw ? json_object_get(raw, "positions") : NULL);
    lua_setfield(L, -2, "positions");
    set_info(L, raw);
}

static void push_order(lua_State *L, const lighter_order *o, const json_t *raw) {
    lua_createtable(L, 0, 24);
    set_int(L, "order_index", o->order_index);
    set_text(L, "order_id", o->order_id);
    set_opt(L, "client_order_index", &o->client_order_index);
    set_text(L, "client_order_id", o->client_order_id);
    set_int(L, "market_index", o->market_index);
    set_opt(L, "owner_account_index", &o->owner_account_index);
    set_opt(L, "nonce", &o->nonce);
    set_opt(L, "order_expiry", &o->order_expiry);
    set_opt(L, "timestamp", &o->timestamp);
    set_opt(L, "created_at", &o->created_at);
    set_opt(L, "updated_at", &o->updated_at);
    set_dec(L, "initial_base_amount", &o->initial_base_amount);
    set_dec(L, "price", &o->price);
    set_dec(L, "remaining_base_amount", &o->remaining_base_amount);
    set_dec(L, "filled_base_amount", &o->filled_base_amount);
    set_dec(L, "filled_quote_amount", &o->filled_quote_amount);
    set_dec(L, "trigger_price", &o->trigger_price);
    set_bool(L, "is_ask", o->is_ask);
    set_bool(L, "reduce_only", o->reduce_only);
    set_text(L, "type", o->type);
    set_text(L, "time_in_force", o->time_in_force);
    set_text(L, "status", o->status);
    set_info(L, raw);
}

static void push_trade(lua_State *L, const lighter_trade *t, const json_t *raw) {
    lua_createtable(L, 0, 20);
    set_int(L, "trade_id", t->trade_id);
    set_text(L, "tx_hash", t->tx_hash);
    set_text(L, "type", t->type);
    set_int(L, "market_id", t->market_id);
    set_dec(L, "size", &t->size);
    set_dec(L, "price", &t->price);
    set_dec(L, "usd_amount", &t->usd_amount);
    set_opt(L, "ask_id", &t->ask_id);
    set_opt(L, "bid_id", &t->bid_id);
    set_opt(L, "ask_client_id", &t->ask_client_id);
    set_opt(L, "bid_client_id", &t->bid_client_id);
    set_opt(L, "ask_account_id", &t->ask_account_id);
    set_opt(L, "bid_account_id", &t->bid_account_id);
    set_bool(L, "is_maker_ask", t->is_maker_ask);
    set_opt(L, "taker_fee", &t->taker_fee);
    set_opt(L, "maker_fee", &t->maker_fee);
    set_opt(L, "timestamp", &t->timestamp);
    set_opt(L, "block_height", &t->block_height);
    set_info(L, raw);
}

static void push_stats(lua_State *L, const lighter_market_stats *s, const json_t *raw) {
    lua_createtable(L, 0, 24);
    set_int(L, "market_id", s->market_id);
    set_text(L, "symbol", s->symbol);
    set_bool(L, "spot", s->is_spot);
    set_dec(L, "index_price", &s->index_price);
    set_dec(L, "mark_price", &s->mark_price);
    set_dec(L, "mid_price", &s->mid_price);
    set_dec(L, "last_trade_price", &s->last_trade_price);
    set_dec(L, "best_bid_price", &s->best_bid_price);
    set_dec(L, "best_ask_price", &s->best_ask_price);
    set_dec(L, "open_interest", &s->open_interest);
    set_dec(L, "current_funding_rate", &s->current_funding_rate);
    set_dec(L, "funding_rate", &s->funding_rate);
    set_opt(L, "funding_timestamp", &s->funding_timestamp);
    set_dec(L, "volume_24h", &s->daily_quote_volume);
    set_dec(L, "volume_24h_base", &s->daily_base_volume);
    set_dec(L, "low_24h", &s->daily_price_low);
    set_dec(L, "high_24h", &s->daily_price_high);
    set_dec(L, "price_change_24h", &s->daily_price_change);
    set_info(L, raw);
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

#define LIST_PUSH(fn, list_type, parse_fn, free_fn, push_item, raw_of)                  \
    static int fn(lua_State *L, const json_t *value, char *err, size_t cap) {           \
        list_type list;                                                                  \
        if (parse_fn(value, &list, err, cap) != 0) return -1;                            \
        lua_createtable(L, (int)list.count, 0);                                          \
        for (size_t i = 0; i < list.count; i++) {                                        \
            push_item(L, &list.items[i], raw_of);                                        \
            lua_rawseti(L, -2, (int)i + 1);                                              \
        }                                                                                \
        free_fn(&list);                                                                  \
        return 0;                                                                        \
    }

LIST_PUSH(push_market_list, lighter_market_list, lighter_parse_markets, lighter_market_list_free, push_market,
          json_array_get(json_object_get(value, json_object_get(value, "order_books") ? "order_books" : "order_book_details"), i))
LIST_PUSH(push_funding_rates, lighter_funding_rate_list, lighter_parse_funding_rates, lighter_funding_rate_list_free,
          push_funding_rate, json_array_get(json_object_get(value, "funding_rates"), i))
LIST_PUSH(push_accounts, lighter_account_list, lighter_parse_accounts, lighter_account_list_free, push_account,
          json_array_get(json_object_get(value, "accounts"), i))
LIST_PUSH(push_order_items, lighter_order_list, lighter_parse_orders, lighter_order_list_free, push_order, grouped_item(value, i))
LIST_PUSH(push_trade_items, lighter_trade_list, lighter_parse_trades, lighter_trade_list_free, push_trade, grouped_item(value, i))
LIST_PUSH(push_position_items, lighter_position_list, lighter_parse_positions, lighter_position_list_free, push_position, nth_value(value, i))
LIST_PUSH(push_stats_items, lighter_market_stats_list, lighter_parse_market_stats, lighter_market_stats_list_free, push_stats, NULL)

static int push_fundings(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_funding_history h;
    if (lighter_parse_fundings(root, &h, err, cap) != 0) return -1;
    lua_createtable(L, (int)h.count, 0);
    for (size_t i = 0; i < h.count; i++) {
        push_funding_record(L, &h.items[i], json_array_get(json_object_get(root, "fundings"), i));
        lua_rawseti(L, -2, (int)i + 1);
    }
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
        lua_createtable(L, (int)counts[s], 0);
        for (size_t i = 0; i < counts[s]; i++) {
            push_book_order(L, &sides[s][i], json_array_get(json_object_get(root, names[s]), i));
            lua_rawseti(L, -2, (int)i + 1);
        }
        lua_setfield(L, -2, names[s]);
    }
    set_opt(L, "total_asks", &b.total_asks);
    set_opt(L, "total_bids", &b.total_bids);
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
    push_int64(L, nonce);
    return 0;
}

static int push_api_keys(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_api_key_list list;
    if (lighter_parse_api_keys(root, &list, err, cap) != 0) return -1;
    lua_createtable(L, (int)list.count, 0);
    for (size_t i = 0; i < list.count; i++) {
        lua_createtable(L, 0, 4);
        set_int(L, "account_index", list.items[i].account_index);
        set_int(L, "api_key_index", list.items[i].api_key_index);
        set_opt(L, "nonce", &list.items[i].nonce);
        set_text(L, "public_key", list.items[i].public_key);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lighter_api_key_list_free(&list);
    return 0;
}

static int push_tx_result(lua_State *L, const json_t *root, char *err, size_t cap) {
    lighter_tx_result r;
    if (lighter_parse_tx_result(root, &r, err, cap) != 0) return -1;
    lua_createtable(L, 0, 9);
    set_opt(L, "code", &r.code);
    set_bool(L, "accepted", r.accepted);
    set_text(L, "message", r.message);
    set_text(L, "ratelimit", r.ratelimit);
    lua_createtable(L, (int)r.hash_count, 0);
    for (size_t i = 0; i < r.hash_count; i++) {
        lua_pushstring(L, r.tx_hashes[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "tx_hashes");
    if (r.hash_count) set_text(L, "tx_hash", r.tx_hashes[0]);
    set_opt(L, "predicted_execution_time_ms", &r.predicted_execution_time_ms);
    set_opt(L, "volume_quota_remaining", &r.volume_quota_remaining);
    set_text(L, "id", r.request_id);
    return 0;
}

/* The answer as plain Lua values (small records such as GET tx, whose integers are all we read). */
static int push_raw_root(lua_State *L, const json_t *root, char *err, size_t cap) {
    if (push_raw(L, root, 0) == 0) return 0;
    snprintf(err, cap, "answer: nested too deep");
    return -1;
}

static int push_nothing(lua_State *L, const json_t *root, char *err, size_t cap) {
    (void)root;
    (void)err;
    (void)cap;
    lua_pushboolean(L, 1);
    return 0;
}

typedef int (*kind_pusher)(lua_State *L, const json_t *root, char *err, size_t cap);

static const struct {
    const char *kind;
    kind_pusher push;
} response_kinds[] = {
    {"markets", push_market_list}, {"funding_rates", push_funding_rates}, {"fundings", push_fundings},
    {"book_orders", push_book_orders}, {"accounts", push_accounts}, {"orders", push_orders_root},
    {"trades", push_trades_root}, {"next_nonce", push_next_nonce}, {"api_keys", push_api_keys},
    {"tx_result", push_tx_result}, {"envelope", push_nothing}, {"raw", push_raw_root},
};

/* ---- module functions ------------------------------------------------------------------------ */

static int fail(lua_State *L, const char *message) {
    lua_pushnil(L);
    lua_pushstring(L, message);
    return 2;
}

static json_t *load_arg(lua_State *L, int index, char *err, size_t cap) {
    size_t length;
    const char *text = luaL_checklstring(L, index, &length);
    return lighter_json_load(text, length, err, cap);
}

/* lp.response(kind, body) -> {code?, message?, data, next_cursor?, resolution?} | nil, message */
static int parse_response(lua_State *L) {
    const char *kind = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    kind_pusher push = NULL;
    for (size_t i = 0; i < sizeof response_kinds / sizeof response_kinds[0]; i++)
        if (strcmp(response_kinds[i].kind, kind) == 0) push = response_kinds[i].push;
    if (!push)
        return luaL_error(L, "lighter.parse.response: unknown kind '%s' (markets, funding_rates, fundings, book_orders, "
                             "accounts, orders, trades, next_nonce, api_keys, tx_result, envelope, raw)", kind);
    char err[ERR_CAP];
    json_t *root = load_arg(L, 2, err, sizeof err);
    if (!root) return fail(L, err);
    lighter_envelope envelope;
    if (lighter_parse_envelope(root, &envelope, err, sizeof err) != 0) {
        json_decref(root);
        return fail(L, err);
    }
    lua_createtable(L, 0, 5);
    set_opt(L, "code", &envelope.code);
    set_text(L, "message", envelope.message);
    const json_t *cursor = json_object_get(root, "next_cursor");
    if (json_is_string(cursor)) set_text(L, "next_cursor", json_string_value(cursor));
    const json_t *resolution = json_object_get(root, "resolution");
    if (json_is_string(resolution)) set_text(L, "resolution", json_string_value(resolution));
    /* An error answer has no data to read: the caller classifies it (lp.error). */
    if (envelope.code.present && envelope.code.value != 200 && strcmp(kind, "tx_result") != 0) {
        json_decref(root);
        return 1;
    }
    int rc = push(L, root, err, sizeof err);
    json_decref(root);
    if (rc != 0) return fail(L, err);
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
    lua_createtable(L, 0, 5);
    lua_pushstring(L, venue_error_kind_name(e.kind));
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, e.message);
    lua_setfield(L, -2, "msg");
    if (e.has_code) set_int(L, "code", e.code);
    lua_pushinteger(L, e.http_status);
    lua_setfield(L, -2, "http_status");
    set_bool(L, "retryable", e.retryable);
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
        if (b.market_id >= 0) set_int(L, "market_id", b.market_id);
        set_text(L, "symbol", b.symbol);
        set_bool(L, "snapshot", b.is_snapshot);
        set_bool(L, "ticker", b.is_ticker);
        set_opt(L, "offset", &b.offset);
        set_opt(L, "nonce", &b.nonce);
        set_opt(L, "begin_nonce", &b.begin_nonce);
        set_opt(L, "timestamp", &b.timestamp);
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
        set_int(L, "account", s.account);
        set_dec(L, "collateral", &s.collateral);
        set_dec(L, "portfolio_value", &s.portfolio_value);
        set_dec(L, "leverage", &s.leverage);
        set_dec(L, "available_balance", &s.available_balance);
        set_dec(L, "margin_usage", &s.margin_usage);
        set_dec(L, "buying_power", &s.buying_power);
        set_opt(L, "account_trading_mode", &s.account_trading_mode);
        return 0;
    }
    if (strcmp(k, "account_all_orders") == 0 || strcmp(k, "account_orders") == 0)
        return push_order_items(L, json_object_get(root, "orders"), err, cap);
    if (strcmp(k, "account_all_positions") == 0) return push_position_items(L, json_object_get(root, "positions"), err, cap);
    if (strcmp(k, "account_all_trades") == 0 || strcmp(k, "trade") == 0 || strcmp(k, "account_trades") == 0)
        return push_trade_items(L, json_object_get(root, "trades"), err, cap);
    if (strcmp(k, "account_tx") == 0) {
        const json_t *txs = json_object_get(root, "txs");
        if (txs && push_raw(L, txs, 0) == 0) return 0;
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
    char err[ERR_CAP];
    json_t *root = load_arg(L, 1, err, sizeof err);
    if (!root) return fail(L, err);
    lighter_ws_frame f;
    if (lighter_parse_ws_frame(root, &f, err, sizeof err) != 0) {
        json_decref(root);
        return fail(L, err);
    }
    lua_createtable(L, 0, 10);
    set_text(L, "type", f.type);
    set_text(L, "channel", f.channel);
    set_text(L, "kind", f.kind);
    lua_createtable(L, (int)f.channel_number_count, 0);
    for (size_t i = 0; i < f.channel_number_count; i++) {
        push_int64(L, f.channel_numbers[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "numbers");
    set_bool(L, "snapshot", f.is_snapshot);
    set_opt(L, "timestamp", &f.timestamp);
    set_text(L, "id", f.request_id);
    set_opt(L, "code", &f.code);
    set_text(L, "message", f.message);
    int pushed;
    int rc = push_frame_data(L, &f, root, err, sizeof err, &pushed);
    json_decref(root);
    if (rc != 0) return fail(L, err);
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
