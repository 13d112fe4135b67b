/* "pacifica.parse": Pacifica payloads (REST bodies, WebSocket frames) as plain Lua tables,
 * through the C parsers of exchanges/pacifica/parse.h.
 *
 *   local pp = require "pacifica.parse"
 *   local r, err = pp.response("positions", body)   -- r.data, r.next_cursor, r.has_more, r.last_order_id
 *   local e = pp.error(body, status)                -- {kind, msg, code, http_status, retryable}
 *   local f, err = pp.ws(text)                      -- {channel = "book", data = {...}} or {answer = {...}}
 *   local v, err = pp.json(text)                    -- any JSON as Lua values
 *
 * Response kinds: markets, prices, book, account, positions, orders, trades, funding_history,
 * settings, order_result. Decimal values stay the venue's literal text (strings); integers are
 * Lua numbers when exact (|n| < 2^53) and digit strings otherwise; JSON null and absent fields
 * are nil. Every parsed item keeps its raw payload under `info`. A body that is not JSON, or
 * whose shape is wrong, gives nil and a message naming the member (the caller reports it as a
 * bad_response); a 200 body with "success": false comes back with r.success == false. Wrong
 * argument types raise. */
#include <jansson.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "bindings/lua_push.h"
#include "bindings/module.h"
#include "exchanges/pacifica/parse.h"
#include "exchanges/venue.h"

HEDGE_LUA_MODULE("pacifica.parse", luaopen_pacifica_parse)

static void set_decimal(lua_State *L, const char *key, const pacifica_decimal_text *value) {
    lpush_set_text(L, key, value->text);
}

static const char *side_text(pacifica_side side) {
    return side == PACIFICA_SIDE_BID ? "bid" : side == PACIFICA_SIDE_ASK ? "ask" : "";
}

/* ---- items ---------------------------------------------------------------------------------- */

static void push_market(lua_State *L, const pacifica_market *m, const json_t *raw) {
    lua_createtable(L, 0, 18);
    lpush_set_text(L, "symbol", m->symbol);
    lpush_set_text(L, "base_asset", m->base_asset);
    lpush_set_text(L, "instrument_type", m->instrument_type);
    lpush_set_bool(L, "perpetual", m->is_perpetual);
    set_decimal(L, "tick_size", &m->tick_size);
    set_decimal(L, "min_tick", &m->min_tick);
    set_decimal(L, "max_tick", &m->max_tick);
    set_decimal(L, "lot_size", &m->lot_size);
    set_decimal(L, "min_order_size", &m->min_order_size);
    set_decimal(L, "max_order_size", &m->max_order_size);
    set_decimal(L, "funding_rate", &m->funding_rate);
    set_decimal(L, "next_funding_rate", &m->next_funding_rate);
    lpush_set_int64(L, "max_leverage", m->max_leverage);
    lpush_set_bool(L, "isolated_only", m->isolated_only);
    lpush_set_optional_int(L, "created_at", &m->created_at);
    lpush_set_info(L, raw);
}

static void push_price(lua_State *L, const pacifica_price *p, const json_t *raw) {
    lua_createtable(L, 0, 12);
    lpush_set_text(L, "symbol", p->symbol);
    set_decimal(L, "funding", &p->funding);
    set_decimal(L, "next_funding", &p->next_funding);
    set_decimal(L, "mark", &p->mark);
    set_decimal(L, "mid", &p->mid);
    set_decimal(L, "oracle", &p->oracle);
    set_decimal(L, "open_interest", &p->open_interest);
    set_decimal(L, "volume_24h", &p->volume_24h);
    set_decimal(L, "yesterday_price", &p->yesterday_price);
    lpush_set_optional_int(L, "timestamp", &p->timestamp);
    lpush_set_info(L, raw);
}

static void push_levels(lua_State *L, const char *key, const pacifica_book_level *levels, size_t count) {
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_createtable(L, 0, 3);
        set_decimal(L, "price", &levels[i].price);
        set_decimal(L, "amount", &levels[i].amount);
        lpush_set_int64(L, "orders", levels[i].orders);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, key);
}

static void push_book(lua_State *L, const pacifica_book *b, const json_t *raw) {
    lua_createtable(L, 0, 5);
    lpush_set_text(L, "symbol", b->symbol);
    lpush_set_optional_int(L, "timestamp", &b->timestamp);
    push_levels(L, "bids", b->bids, b->bid_count);
    push_levels(L, "asks", b->asks, b->ask_count);
    lpush_set_info(L, raw);
}

static void push_account(lua_State *L, const pacifica_account *a, const json_t *raw) {
    lua_createtable(L, 0, 16);
    set_decimal(L, "balance", &a->balance);
    set_decimal(L, "account_equity", &a->account_equity);
    set_decimal(L, "available_to_spend", &a->available_to_spend);
    set_decimal(L, "available_to_withdraw", &a->available_to_withdraw);
    set_decimal(L, "pending_balance", &a->pending_balance);
    set_decimal(L, "total_margin_used", &a->total_margin_used);
    set_decimal(L, "cross_mmr", &a->cross_mmr);
    set_decimal(L, "maker_fee", &a->maker_fee);
    set_decimal(L, "taker_fee", &a->taker_fee);
    lpush_set_optional_int(L, "fee_level", &a->fee_level);
    lpush_set_optional_int(L, "positions_count", &a->positions_count);
    lpush_set_optional_int(L, "orders_count", &a->orders_count);
    lpush_set_optional_int(L, "stop_orders_count", &a->stop_orders_count);
    lpush_set_optional_int(L, "updated_at", &a->updated_at);
    lpush_set_info(L, raw);
}

static void push_position(lua_State *L, const pacifica_position *p, const json_t *raw) {
    lua_createtable(L, 0, 11);
    lpush_set_text(L, "symbol", p->symbol);
    lpush_set_text(L, "side", side_text(p->side));
    set_decimal(L, "amount", &p->amount);
    set_decimal(L, "entry_price", &p->entry_price);
    set_decimal(L, "margin", &p->margin);
    set_decimal(L, "funding", &p->funding);
    set_decimal(L, "liquidation_price", &p->liquidation_price);
    lpush_set_bool(L, "isolated", p->isolated);
    lpush_set_optional_int(L, "created_at", &p->created_at);
    lpush_set_optional_int(L, "updated_at", &p->updated_at);
    lpush_set_info(L, raw);
}

static void push_order(lua_State *L, const pacifica_order *o, const json_t *raw) {
    lua_createtable(L, 0, 24);
    lpush_set_int64(L, "order_id", o->order_id);
    lpush_set_text(L, "client_order_id", o->client_order_id);
    lpush_set_text(L, "symbol", o->symbol);
    lpush_set_text(L, "side", side_text(o->side));
    set_decimal(L, "price", &o->price);
    set_decimal(L, "average_price", &o->average_price);
    set_decimal(L, "amount", &o->amount);
    set_decimal(L, "filled", &o->filled);
    set_decimal(L, "cancelled", &o->cancelled);
    set_decimal(L, "stop_price", &o->stop_price);
    lpush_set_text(L, "order_type", o->order_type);
    lpush_set_text(L, "stop_type", o->stop_type);
    lpush_set_text(L, "event", o->event);
    lpush_set_text(L, "status", o->status);
    lpush_set_text(L, "reason", o->reason);
    lpush_set_text(L, "trigger_price_type", o->trigger_price_type);
    lpush_set_bool(L, "reduce_only", o->reduce_only);
    lpush_set_optional_int(L, "history_id", &o->history_id);
    lpush_set_optional_int(L, "stop_parent_order_id", &o->stop_parent_order_id);
    lpush_set_optional_int(L, "created_at", &o->created_at);
    lpush_set_optional_int(L, "updated_at", &o->updated_at);
    lpush_set_optional_int(L, "timestamp", &o->timestamp);
    lpush_set_info(L, raw);
}

static void push_trade(lua_State *L, const pacifica_trade *t, const json_t *raw) {
    lua_createtable(L, 0, 16);
    lpush_set_optional_int(L, "history_id", &t->history_id);
    lpush_set_optional_int(L, "order_id", &t->order_id);
    lpush_set_text(L, "client_order_id", t->client_order_id);
    lpush_set_text(L, "symbol", t->symbol);
    set_decimal(L, "price", &t->price);
    set_decimal(L, "amount", &t->amount);
    set_decimal(L, "entry_price", &t->entry_price);
    set_decimal(L, "fee", &t->fee);
    set_decimal(L, "pnl", &t->pnl);
    lpush_set_text(L, "event_type", t->event_type);
    lpush_set_text(L, "side", t->side);
    lpush_set_text(L, "cause", t->cause);
    lpush_set_text(L, "account", t->account);
    lpush_set_optional_int(L, "created_at", &t->created_at);
    lpush_set_info(L, raw);
}

static void push_funding_record(lua_State *L, const pacifica_funding_record *r, const json_t *raw) {
    lua_createtable(L, 0, 7);
    set_decimal(L, "oracle_price", &r->oracle_price);
    set_decimal(L, "bid_impact_price", &r->bid_impact_price);
    set_decimal(L, "ask_impact_price", &r->ask_impact_price);
    set_decimal(L, "funding_rate", &r->funding_rate);
    set_decimal(L, "next_funding_rate", &r->next_funding_rate);
    lpush_set_optional_int(L, "created_at", &r->created_at);
    lpush_set_info(L, raw);
}

static void push_setting(lua_State *L, const pacifica_margin_setting *s) {
    lua_createtable(L, 0, 5);
    lpush_set_text(L, "symbol", s->symbol);
    lpush_set_bool(L, "isolated", s->isolated);
    lpush_set_optional_int(L, "leverage", &s->leverage);
    lpush_set_optional_int(L, "created_at", &s->created_at);
    lpush_set_optional_int(L, "updated_at", &s->updated_at);
}

static void push_action_results(lua_State *L, const pacifica_action_result *results, size_t count) {
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_createtable(L, 0, 3);
        lpush_set_bool(L, "success", results[i].success);
        lpush_set_optional_int(L, "order_id", &results[i].order_id);
        lpush_set_text(L, "error", results[i].error);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "results");
}

/* ---- data by kind --------------------------------------------------------------------------- */

/* Each list kind: parse, push a Lua list of items with their raw rows, free. */
LPUSH_LIST_KIND(push_markets, pacifica_market_list, pacifica_parse_markets, pacifica_market_list_free, push_market,
                lpush_json_item)
LPUSH_LIST_KIND(push_prices, pacifica_price_list, pacifica_parse_prices, pacifica_price_list_free, push_price,
                lpush_json_item)
LPUSH_LIST_KIND(push_positions, pacifica_position_list, pacifica_parse_positions, pacifica_position_list_free,
                push_position, lpush_json_item)
LPUSH_LIST_KIND(push_orders, pacifica_order_list, pacifica_parse_orders, pacifica_order_list_free, push_order,
                lpush_json_item)
LPUSH_LIST_KIND(push_trades, pacifica_trade_list, pacifica_parse_trades, pacifica_trade_list_free, push_trade,
                lpush_json_item)
LPUSH_LIST_KIND(push_funding_history, pacifica_funding_history, pacifica_parse_funding_history,
                pacifica_funding_history_free, push_funding_record, lpush_json_item)

static int push_book_data(lua_State *L, const json_t *data, char *err, size_t cap) {
    pacifica_book book;
    if (pacifica_parse_book(data, &book, err, cap) != 0) return -1;
    push_book(L, &book, data);
    pacifica_book_free(&book);
    return 0;
}

static int push_account_data(lua_State *L, const json_t *data, char *err, size_t cap) {
    pacifica_account account;
    if (pacifica_parse_account(data, &account, err, cap) != 0) return -1;
    push_account(L, &account, data);
    return 0;
}

static int push_settings(lua_State *L, const json_t *data, char *err, size_t cap) {
    pacifica_margin_settings settings;
    if (pacifica_parse_margin_settings(data, &settings, err, cap) != 0) return -1;
    lua_createtable(L, (int)settings.count, 0);
    for (size_t i = 0; i < settings.count; i++) {
        push_setting(L, &settings.items[i]);
        lua_rawseti(L, -2, (int)i + 1);
    }
    pacifica_margin_settings_free(&settings);
    return 0;
}

static const lpush_kind data_kinds[] = {
    {"markets", push_markets},       {"prices", push_prices},
    {"book", push_book_data},        {"account", push_account_data},
    {"positions", push_positions},   {"orders", push_orders},
    {"trades", push_trades},         {"funding_history", push_funding_history},
    {"settings", push_settings}, {"raw", lpush_raw_data},
};

static lpush_data_fn find_kind(const char *kind) {
    return lpush_find_kind(data_kinds, sizeof data_kinds / sizeof data_kinds[0], kind);
}

/* ---- module functions ----------------------------------------------------------------------- */

static int push_order_result(lua_State *L, const json_t *root, char *err, size_t cap) {
    pacifica_order_result r;
    if (pacifica_parse_order_result(root, &r, err, cap) != 0) return -1;
    lua_createtable(L, 0, 8);
    if (r.envelope.has_success) lpush_set_bool(L, "success", r.envelope.success);
    if (r.envelope.has_code) lpush_set_int64(L, "code", r.envelope.code);
    lpush_set_text(L, "error", r.envelope.error);
    lpush_set_optional_int(L, "order_id", &r.order_id);
    lpush_set_optional_int(L, "cancelled_count", &r.cancelled_count);
    if (r.results) push_action_results(L, r.results, r.result_count);
    lpush_set_info(L, root);
    pacifica_order_result_free(&r);
    return 0;
}

/* pp.response(kind, body) -> {data, success?, error?, code?, next_cursor?, has_more?,
 * last_order_id?, info} | nil, message */
static int parse_response(lua_State *L) {
    const char *kind = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    int is_order_result = strcmp(kind, "order_result") == 0;
    lpush_data_fn push = is_order_result ? NULL : find_kind(kind);
    if (!is_order_result && !push)
        return luaL_error(L, "pacifica.parse.response: unknown kind '%s' (markets, prices, book, account, "
                             "positions, orders, trades, funding_history, settings, raw, order_result)", kind);
    char err[LPUSH_ERR_CAP];
    json_t *root = lpush_load_json_arg(L, 2, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    int rc;
    if (is_order_result) {
        rc = push_order_result(L, root, err, sizeof err);
    } else {
        pacifica_envelope envelope;
        rc = pacifica_parse_envelope(root, &envelope, err, sizeof err);
        if (rc == 0) {
            lua_createtable(L, 0, 8);
            if (envelope.has_success) lpush_set_bool(L, "success", envelope.success);
            if (envelope.has_code) lpush_set_int64(L, "code", envelope.code);
            lpush_set_text(L, "error", envelope.error);
            lpush_set_text(L, "next_cursor", envelope.next_cursor);
            if (envelope.has_more_present) lpush_set_bool(L, "has_more", envelope.has_more);
            lpush_set_optional_int(L, "last_order_id", &envelope.last_order_id);
            /* A refusal carries no data to read; the caller classifies it with pp.error. */
            if (!(envelope.has_success && !envelope.success)) {
                rc = push(L, envelope.data, err, sizeof err);
                if (rc == 0) lua_setfield(L, -2, "data");
                else lua_pop(L, 1);
            }
        }
    }
    json_decref(root);
    if (rc != 0) return lpush_fail(L, err);
    return 1;
}

/* pp.error(body, http_status) -> {kind, msg, code?, http_status, retryable} */
static int parse_error(lua_State *L) {
    size_t length;
    const char *body = luaL_optlstring(L, 1, "", &length);
    int status = (int)luaL_checkinteger(L, 2);
    venue_error e;
    pacifica_parse_error_body(body, length, status, &e);
    lpush_venue_error(L, &e);
    return 1;
}

static int push_ws_answer(lua_State *L, const json_t *root, char *err, size_t cap) {
    pacifica_ws_answer a;
    if (pacifica_parse_ws_answer(root, &a, err, cap) != 0) return -1;
    lua_createtable(L, 0, 11);
    lpush_set_int64(L, "code", a.code);
    lpush_set_text(L, "request_id", a.request_id);
    lpush_set_text(L, "type", a.type);
    lpush_set_optional_int(L, "order_id", &a.order_id);
    lpush_set_text(L, "client_order_id", a.client_order_id);
    lpush_set_text(L, "symbol", a.symbol);
    lpush_set_optional_int(L, "cancelled_count", &a.cancelled_count);
    lpush_set_optional_int(L, "timestamp", &a.timestamp);
    lpush_set_text(L, "error", a.error);
    if (a.results) push_action_results(L, a.results, a.result_count);
    lpush_set_info(L, root);
    pacifica_ws_answer_free(&a);
    return 0;
}

/* Which parser reads each channel's data; others are handed over raw. */
static lpush_data_fn channel_pusher(const char *channel) {
    static const struct { const char *channel, *kind; } channels[] = {
        {"prices", "prices"},           {"book", "book"},
        {"bbo", "book"},                {"account_info", "account"},
        {"account_positions", "positions"}, {"account_orders", "orders"},
        {"account_order_updates", "orders"}, {"trades", "trades"},
        {"account_trades", "trades"},
    };
    for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++)
        if (strcmp(channels[i].channel, channel) == 0) return find_kind(channels[i].kind);
    return NULL;
}

/* pp.ws(text) -> {channel, data} | {answer = {...}} | nil, message */
static int parse_ws(lua_State *L) {
    char err[LPUSH_ERR_CAP];
    json_t *root = lpush_load_json_arg(L, 1, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    pacifica_ws_message frame;
    int rc = pacifica_parse_ws_message(root, &frame, err, sizeof err);
    if (rc == 0) {
        lua_createtable(L, 0, 2);
        if (frame.is_trading_answer) {
            rc = push_ws_answer(L, root, err, sizeof err);
            if (rc == 0) lua_setfield(L, -2, "answer");
        } else {
            lpush_set_text(L, "channel", frame.channel);
            lpush_data_fn push = channel_pusher(frame.channel);
            if (push) {
                rc = push(L, frame.data, err, sizeof err);
            } else if (frame.data && lpush_json(L, frame.data) != 0) {
                snprintf(err, sizeof err, "ws_message.data: nested too deep");
                rc = -1;
            } else if (!frame.data) {
                lua_pushnil(L);
            }
            if (rc == 0) lua_setfield(L, -2, "data");
        }
        if (rc != 0) lua_pop(L, 1);
    }
    json_decref(root);
    if (rc != 0) return lpush_fail(L, err);
    return 1;
}

int luaopen_pacifica_parse(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"response", parse_response},
        {"error", parse_error},
        {"ws", parse_ws},
        {"json", lpush_json_function},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
