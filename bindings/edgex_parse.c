/* "edgex.parse": edgeX payloads (REST bodies, WebSocket frames) as plain Lua tables, through the
 * C parsers of exchanges/edgex/parse.h.
 *
 *   local ep = require "edgex.parse"
 *   local r, err = ep.response("metadata", body)   -- r.success, r.code, r.msg, r.data, r.next_offset
 *   local e = ep.error(body, status)               -- {kind, msg, code, http_status, retryable}
 *   local f, err = ep.ws(text)                     -- {type = "quote", channel, kind, snapshot, data} ...
 *   local v, err = ep.json(text);  ep.symbol_of("BTCUSDT") -> "BTC"
 *
 * Response kinds: metadata, server_time, tickers, depth, funding, funding_page, account_asset,
 * account, orders, order_page, fill_page, create_order, cancel, none (data not read). Decimal
 * values stay the venue's literal text (strings); ids are digit strings; times and counts are
 * Lua numbers; JSON null, absent and "" values are nil. Every parsed item keeps its raw payload
 * under `info`. A body that is not JSON, or whose shape is wrong, gives nil and a message naming
 * the member (the caller reports a bad_response); an envelope whose code is not SUCCESS comes
 * back with r.success == false and no data (classify it with ep.error). Wrong argument types
 * raise. */
#include <jansson.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "bindings/lua_push.h"
#include "bindings/module.h"
#include "exchanges/edgex/parse.h"
#include "exchanges/venue.h"

HEDGE_LUA_MODULE("edgex.parse", luaopen_edgex_parse)

static void set_decimal(lua_State *L, const char *key, const edgex_decimal_text *value) {
    if (value->state == EDGEX_VALUE_SET) lpush_set_text(L, key, value->text);
}

static void set_id(lua_State *L, const char *key, const edgex_id_text *value) { lpush_set_text(L, key, value->text); }

static const char *side_text(edgex_wire_side side) {
    return side == EDGEX_WIRE_BUY ? "buy" : side == EDGEX_WIRE_SELL ? "sell" : "";
}

/* ---- items ---------------------------------------------------------------------------------- */

static void push_coin(lua_State *L, const edgex_coin *c, const json_t *raw) {
    lua_createtable(L, 0, 7);
    set_id(L, "coin_id", &c->coin_id);
    lpush_set_text(L, "name", c->name);
    set_decimal(L, "step_size", &c->step_size);
    lpush_set_text(L, "stark_asset_id", c->stark_asset_id);
    lpush_set_text(L, "stark_resolution", c->stark_resolution);
    lpush_set_text(L, "resolution", c->resolution);
    lpush_set_info(L, raw);
}

static void push_contract(lua_State *L, const edgex_contract *c, const json_t *raw) {
    lua_createtable(L, 0, 32);
    set_id(L, "contract_id", &c->contract_id);
    set_id(L, "base_coin_id", &c->base_coin_id);
    set_id(L, "quote_coin_id", &c->quote_coin_id);
    lpush_set_text(L, "name", c->name);
    lpush_set_text(L, "symbol", c->symbol);
    set_decimal(L, "tick_size", &c->tick_size);
    set_decimal(L, "step_size", &c->step_size);
    set_decimal(L, "min_order_size", &c->min_order_size);
    set_decimal(L, "max_order_size", &c->max_order_size);
    set_decimal(L, "max_position_size", &c->max_position_size);
    set_decimal(L, "buy_price_ratio", &c->buy_price_ratio);
    set_decimal(L, "sell_price_ratio", &c->sell_price_ratio);
    set_decimal(L, "taker_fee_rate", &c->taker_fee_rate);
    set_decimal(L, "maker_fee_rate", &c->maker_fee_rate);
    set_decimal(L, "default_leverage", &c->default_leverage);
    set_decimal(L, "display_max_leverage", &c->display_max_leverage);
    lpush_set_int64(L, "max_leverage", c->max_leverage);
    set_decimal(L, "funding_interest_rate", &c->funding_interest_rate);
    set_decimal(L, "funding_max_rate", &c->funding_max_rate);
    set_decimal(L, "funding_min_rate", &c->funding_min_rate);
    lpush_set_int64(L, "funding_interval_min", c->funding_interval_min);
    lpush_set_bool(L, "enable_trade", c->enable_trade);
    lpush_set_bool(L, "enable_display", c->enable_display);
    lpush_set_bool(L, "enable_open_position", c->enable_open_position);
    lpush_set_text(L, "stark_synthetic_asset_id", c->stark_synthetic_asset_id);
    lpush_set_text(L, "stark_resolution", c->stark_resolution);
    lpush_set_text(L, "resolution", c->resolution);
    lpush_set_info(L, raw);
}

static void push_ticker(lua_State *L, const edgex_ticker *t, const json_t *raw) {
    lua_createtable(L, 0, 26);
    set_id(L, "contract_id", &t->contract_id);
    lpush_set_text(L, "name", t->name);
    set_decimal(L, "last_price", &t->last_price);
    set_decimal(L, "index_price", &t->index_price);
    set_decimal(L, "oracle_price", &t->oracle_price);
    set_decimal(L, "mark_price", &t->mark_price);
    set_decimal(L, "price", &t->price);
    set_decimal(L, "price_change", &t->price_change);
    set_decimal(L, "price_change_percent", &t->price_change_percent);
    set_decimal(L, "high", &t->high);
    set_decimal(L, "low", &t->low);
    set_decimal(L, "open", &t->open);
    set_decimal(L, "close", &t->close);
    set_decimal(L, "size", &t->size);
    set_decimal(L, "value", &t->value);
    set_decimal(L, "open_interest", &t->open_interest);
    set_decimal(L, "funding_rate", &t->funding_rate);
    set_decimal(L, "predicted_funding_rate", &t->predicted_funding_rate);
    lpush_set_optional_int(L, "trades", &t->trades);
    lpush_set_optional_int(L, "funding_time", &t->funding_time);
    lpush_set_optional_int(L, "next_funding_time", &t->next_funding_time);
    lpush_set_optional_int(L, "start_time", &t->start_time);
    lpush_set_optional_int(L, "end_time", &t->end_time);
    if (t->has_market_open) lpush_set_bool(L, "market_open", t->market_open);
    lpush_set_info(L, raw);
}

static void push_levels(lua_State *L, const char *key, const edgex_book_level *levels, size_t count) {
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_createtable(L, 0, 2);
        set_decimal(L, "price", &levels[i].price);
        set_decimal(L, "size", &levels[i].size);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, key);
}

static void push_depth(lua_State *L, const edgex_depth *d, const json_t *raw) {
    lua_createtable(L, 0, 10);
    set_id(L, "contract_id", &d->contract_id);
    lpush_set_text(L, "name", d->name);
    lpush_set_optional_int(L, "level", &d->level);
    lpush_set_optional_int(L, "start_version", &d->start_version);
    lpush_set_optional_int(L, "end_version", &d->end_version);
    lpush_set_text(L, "depth_type", d->depth_type);
    lpush_set_bool(L, "snapshot", d->is_snapshot);
    push_levels(L, "bids", d->bids, d->bid_count);
    push_levels(L, "asks", d->asks, d->ask_count);
    (void)raw;   /* books are large and rebuilt constantly: no raw copy */
}

static void push_funding(lua_State *L, const edgex_funding *f, const json_t *raw) {
    lua_createtable(L, 0, 16);
    set_id(L, "contract_id", &f->contract_id);
    lpush_set_optional_int(L, "funding_time", &f->funding_time);
    lpush_set_optional_int(L, "funding_timestamp", &f->funding_timestamp);
    lpush_set_optional_int(L, "previous_funding_timestamp", &f->previous_funding_timestamp);
    set_decimal(L, "oracle_price", &f->oracle_price);
    set_decimal(L, "index_price", &f->index_price);
    set_decimal(L, "funding_rate", &f->funding_rate);
    set_decimal(L, "forecast_funding_rate", &f->forecast_funding_rate);
    set_decimal(L, "previous_funding_rate", &f->previous_funding_rate);
    set_decimal(L, "predicted_funding_rate", &f->predicted_funding_rate);
    set_decimal(L, "premium_index", &f->premium_index);
    set_decimal(L, "avg_premium_index", &f->avg_premium_index);
    set_decimal(L, "interest_rate", &f->interest_rate);
    lpush_set_bool(L, "is_settlement", f->is_settlement);
    if (f->interval_min) lpush_set_int64(L, "interval_min", f->interval_min);
    lpush_set_info(L, raw);
}

static void push_public_trade(lua_State *L, const edgex_public_trade *t, const json_t *raw) {
    lua_createtable(L, 0, 8);
    set_id(L, "ticket_id", &t->ticket_id);
    set_id(L, "contract_id", &t->contract_id);
    lpush_set_optional_int(L, "time", &t->time);
    set_decimal(L, "price", &t->price);
    set_decimal(L, "size", &t->size);
    set_decimal(L, "value", &t->value);
    lpush_set_bool(L, "is_buyer_maker", t->is_buyer_maker);
    lpush_set_info(L, raw);
}

static void push_setting(lua_State *L, const edgex_trade_setting *s) {
    lua_createtable(L, 0, 5);
    lpush_set_bool(L, "is_set_fee_rate", s->is_set_fee_rate);
    lpush_set_bool(L, "is_set_max_leverage", s->is_set_max_leverage);
    set_decimal(L, "taker_fee_rate", &s->taker_fee_rate);
    set_decimal(L, "maker_fee_rate", &s->maker_fee_rate);
    set_decimal(L, "max_leverage", &s->max_leverage);
}

static void push_account(lua_State *L, const edgex_account *a, const json_t *raw) {
    lua_createtable(L, 0, 12);
    set_id(L, "id", &a->id);
    set_id(L, "user_id", &a->user_id);
    lpush_set_text(L, "eth_address", a->eth_address);
    lpush_set_text(L, "l2_key", a->l2_key);
    lpush_set_text(L, "l2_key_y", a->l2_key_y);
    lpush_set_text(L, "client_account_id", a->client_account_id);
    lpush_set_text(L, "status", a->status);
    lpush_set_bool(L, "is_liquidating", a->is_liquidating);
    if (a->has_default_setting) {
        push_setting(L, &a->default_setting);
        lua_setfield(L, -2, "default_setting");
    }
    lua_createtable(L, 0, (int)a->setting_count);
    for (size_t i = 0; i < a->setting_count; i++) {
        push_setting(L, &a->settings[i].setting);
        lua_setfield(L, -2, a->settings[i].contract_id.text);
    }
    lua_setfield(L, -2, "settings");
    lpush_set_info(L, raw);
}

static void push_collateral(lua_State *L, const edgex_collateral *c, const json_t *raw) {
    lua_createtable(L, 0, 6);
    set_id(L, "coin_id", &c->coin_id);
    set_decimal(L, "amount", &c->amount);
    set_decimal(L, "cum_funding_fee", &c->cum_funding_fee);
    set_decimal(L, "cum_fill_fee", &c->cum_fill_fee);
    lpush_set_optional_int(L, "updated_time", &c->updated_time);
    lpush_set_info(L, raw);
}

static void push_position(lua_State *L, const edgex_position *p, const json_t *raw) {
    lua_createtable(L, 0, 8);
    set_id(L, "contract_id", &p->contract_id);
    set_decimal(L, "open_size", &p->open_size);
    set_decimal(L, "open_value", &p->open_value);
    set_decimal(L, "open_fee", &p->open_fee);
    set_decimal(L, "funding_fee", &p->funding_fee);
    lpush_set_optional_int(L, "created_time", &p->created_time);
    lpush_set_optional_int(L, "updated_time", &p->updated_time);
    lpush_set_info(L, raw);
}

static void push_position_asset(lua_State *L, const edgex_position_asset *p, const json_t *raw) {
    lua_createtable(L, 0, 9);
    set_id(L, "contract_id", &p->contract_id);
    set_decimal(L, "position_value", &p->position_value);
    set_decimal(L, "max_leverage", &p->max_leverage);
    set_decimal(L, "initial_margin", &p->initial_margin);
    set_decimal(L, "avg_entry_price", &p->avg_entry_price);
    set_decimal(L, "liquidate_price", &p->liquidate_price);
    set_decimal(L, "unrealized_pnl", &p->unrealized_pnl);
    set_decimal(L, "total_realized_pnl", &p->total_realized_pnl);
    lpush_set_info(L, raw);
}

static void push_collateral_asset(lua_State *L, const edgex_collateral_asset *c, const json_t *raw) {
    lua_createtable(L, 0, 7);
    set_id(L, "coin_id", &c->coin_id);
    set_decimal(L, "total_equity", &c->total_equity);
    set_decimal(L, "available_amount", &c->available_amount);
    set_decimal(L, "initial_margin", &c->initial_margin);
    set_decimal(L, "order_frozen_amount", &c->order_frozen_amount);
    set_decimal(L, "position_value_abs", &c->position_value_abs);
    lpush_set_info(L, raw);
}

static void push_order(lua_State *L, const edgex_order *o, const json_t *raw) {
    lua_createtable(L, 0, 26);
    set_id(L, "id", &o->id);
    set_id(L, "contract_id", &o->contract_id);
    set_id(L, "account_id", &o->account_id);
    lpush_set_text(L, "client_order_id", o->client_order_id);
    lpush_set_text(L, "side", side_text(o->side));
    lpush_set_text(L, "type", o->type);
    lpush_set_text(L, "time_in_force", o->time_in_force);
    lpush_set_text(L, "status", o->status);
    lpush_set_text(L, "cancel_reason", o->cancel_reason);
    set_decimal(L, "price", &o->price);
    set_decimal(L, "size", &o->size);
    set_decimal(L, "trigger_price", &o->trigger_price);
    set_decimal(L, "cum_fill_size", &o->cum_fill_size);
    set_decimal(L, "cum_fill_value", &o->cum_fill_value);
    set_decimal(L, "cum_fill_fee", &o->cum_fill_fee);
    set_decimal(L, "cum_match_size", &o->cum_match_size);
    set_decimal(L, "l2_value", &o->l2_value);
    set_decimal(L, "l2_limit_fee", &o->l2_limit_fee);
    set_decimal(L, "taker_fee_rate", &o->taker_fee_rate);
    set_decimal(L, "maker_fee_rate", &o->maker_fee_rate);
    lpush_set_bool(L, "reduce_only", o->reduce_only);
    lpush_set_optional_int(L, "expire_time", &o->expire_time);
    lpush_set_optional_int(L, "l2_expire_time", &o->l2_expire_time);
    lpush_set_optional_int(L, "created_time", &o->created_time);
    lpush_set_optional_int(L, "updated_time", &o->updated_time);
    lpush_set_info(L, raw);
}

static void push_fill(lua_State *L, const edgex_fill *f, const json_t *raw) {
    lua_createtable(L, 0, 13);
    set_id(L, "id", &f->id);
    set_id(L, "order_id", &f->order_id);
    set_id(L, "contract_id", &f->contract_id);
    lpush_set_text(L, "side", side_text(f->side));
    set_decimal(L, "price", &f->price);
    set_decimal(L, "size", &f->size);
    set_decimal(L, "value", &f->value);
    set_decimal(L, "fee", &f->fee);
    set_decimal(L, "realized_pnl", &f->realized_pnl);
    lpush_set_text(L, "direction", f->direction);
    lpush_set_bool(L, "maker", f->is_maker);
    lpush_set_optional_int(L, "match_time", &f->match_time);
    lpush_set_info(L, raw);
}

/* Each list: parse, push a Lua list of items (with their raw payloads), free. */
LPUSH_LIST_KIND(push_tickers, edgex_ticker_list, edgex_parse_tickers, edgex_ticker_list_free,
                push_ticker, lpush_json_item)
LPUSH_LIST_KIND(push_depths, edgex_depth_list, edgex_parse_depths, edgex_depth_list_free, push_depth, lpush_json_item)
LPUSH_LIST_KIND(push_fundings, edgex_funding_list, edgex_parse_fundings, edgex_funding_list_free,
                push_funding, lpush_json_item)
LPUSH_LIST_KIND(push_public_trades, edgex_public_trade_list, edgex_parse_public_trades, edgex_public_trade_list_free,
                push_public_trade, lpush_json_item)
LPUSH_LIST_KIND(push_orders, edgex_order_list, edgex_parse_orders, edgex_order_list_free, push_order, lpush_json_item)
LPUSH_LIST_KIND(push_fills, edgex_fill_list, edgex_parse_fills, edgex_fill_list_free, push_fill, lpush_json_item)
LPUSH_LIST_KIND(push_positions, edgex_position_list, edgex_parse_positions, edgex_position_list_free,
                push_position, lpush_json_item)
LPUSH_LIST_KIND(push_collaterals, edgex_collateral_list, edgex_parse_collaterals, edgex_collateral_list_free,
                push_collateral, lpush_json_item)

static int push_metadata(lua_State *L, const json_t *data, char *err, size_t cap) {
    edgex_metadata m;
    if (edgex_parse_metadata(data, &m, err, cap) != 0) return -1;
    lua_createtable(L, 0, 8);
    lpush_set_text(L, "app_env", m.app_env);
    lpush_set_text(L, "maintenance_reason", m.maintenance_reason);
    lpush_set_text(L, "chain_id", m.chain_id);
    lpush_set_text(L, "contract_address", m.contract_address);
    if (m.has_collateral) {
        const json_t *global = json_object_get(data, "global");
        push_coin(L, &m.collateral, json_object_get(global, "starkExCollateralCoin"));
        lua_setfield(L, -2, "collateral");
    }
    LPUSH_ITEMS(L, m.coins, m.coin_count, push_coin, json_object_get(data, "coinList"), lpush_json_item);
    lua_setfield(L, -2, "coins");
    LPUSH_ITEMS(L, m.contracts, m.contract_count, push_contract,
                json_object_get(data, "contractList"), lpush_json_item);
    lua_setfield(L, -2, "contracts");
    edgex_metadata_free(&m);
    return 0;
}

static int push_server_time(lua_State *L, const json_t *data, char *err, size_t cap) {
    int64_t t;
    if (edgex_parse_server_time(data, &t, err, cap) != 0) return -1;
    lpush_int64(L, t);
    return 0;
}

static int push_account_data(lua_State *L, const json_t *data, char *err, size_t cap) {
    edgex_account a;
    if (edgex_parse_account(data, &a, err, cap) != 0) return -1;
    push_account(L, &a, data);
    edgex_account_free(&a);
    return 0;
}

static int push_account_asset(lua_State *L, const json_t *data, char *err, size_t cap) {
    edgex_account_asset a;
    if (edgex_parse_account_asset(data, &a, err, cap) != 0) return -1;
    lua_createtable(L, 0, 6);
    if (a.has_account) {
        push_account(L, &a.account, json_object_get(data, "account"));
        lua_setfield(L, -2, "account");
    }
    lpush_set_optional_int(L, "version", &a.version);
    LPUSH_ITEMS(L, a.collaterals, a.collateral_count, push_collateral,
                json_object_get(data, "collateralList"), lpush_json_item);
    lua_setfield(L, -2, "collaterals");
    LPUSH_ITEMS(L, a.positions, a.position_count, push_position,
                json_object_get(data, "positionList"), lpush_json_item);
    lua_setfield(L, -2, "positions");
    LPUSH_ITEMS(L, a.position_assets, a.position_asset_count, push_position_asset,
                json_object_get(data, "positionAssetList"), lpush_json_item);
    lua_setfield(L, -2, "position_assets");
    LPUSH_ITEMS(L, a.collateral_assets, a.collateral_asset_count, push_collateral_asset,
                json_object_get(data, "collateralAssetModelList"), lpush_json_item);
    lua_setfield(L, -2, "collateral_assets");
    edgex_account_asset_free(&a);
    return 0;
}

/* A page: {list = <items>, next_offset = "..."} (next_offset nil at the end). */
static int push_page(lua_State *L, const json_t *data, char *err, size_t cap,
                     int (*push_list)(lua_State *, const json_t *, char *, size_t)) {
    edgex_page page;
    if (edgex_parse_page(data, &page, err, cap) != 0) return -1;
    lua_createtable(L, 0, 2);
    if (push_list(L, page.list, err, cap) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_setfield(L, -2, "list");
    lpush_set_text(L, "next_offset", page.next_offset);
    return 0;
}

static int push_funding_page(lua_State *L, const json_t *data, char *err, size_t cap) {
    return push_page(L, data, err, cap, push_fundings);
}
static int push_order_page(lua_State *L, const json_t *data, char *err, size_t cap) {
    return push_page(L, data, err, cap, push_orders);
}
static int push_fill_page(lua_State *L, const json_t *data, char *err, size_t cap) {
    return push_page(L, data, err, cap, push_fills);
}

static int push_create_order(lua_State *L, const json_t *data, char *err, size_t cap) {
    edgex_id_text id;
    if (edgex_parse_create_order(data, &id, err, cap) != 0) return -1;
    lua_createtable(L, 0, 1);
    set_id(L, "order_id", &id);
    return 0;
}

/* {results = {{id, result, ok}, ...}} in payload order. */
static int push_cancel(lua_State *L, const json_t *data, char *err, size_t cap) {
    edgex_cancel_result r;
    if (edgex_parse_cancel_result(data, &r, err, cap) != 0) return -1;
    lua_createtable(L, 0, 1);
    lua_createtable(L, (int)r.count, 0);
    for (size_t i = 0; i < r.count; i++) {
        lua_createtable(L, 0, 3);
        lpush_set_text(L, "id", r.items[i].id);
        lpush_set_text(L, "result", r.items[i].result);
        lpush_set_bool(L, "ok", r.items[i].ok);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "results");
    edgex_cancel_result_free(&r);
    return 0;
}

static const lpush_kind data_kinds[] = {
    {"metadata", push_metadata},         {"server_time", push_server_time},   {"tickers", push_tickers},
    {"depth", push_depths},              {"funding", push_fundings},          {"funding_page", push_funding_page},
    {"account_asset", push_account_asset}, {"account", push_account_data},    {"orders", push_orders},
    {"order_page", push_order_page},     {"fill_page", push_fill_page},       {"create_order", push_create_order},
    {"cancel", push_cancel},             {"none", lpush_nothing}, {"raw", lpush_raw_data},
};

static lpush_data_fn find_kind(const char *kind) {
    return lpush_find_kind(data_kinds, sizeof data_kinds / sizeof data_kinds[0], kind);
}

/* ---- module functions ----------------------------------------------------------------------- */

/* ep.response(kind, body) -> {success, code, msg, data?, trace_id?, response_time?} | nil, message */
static int parse_response(lua_State *L) {
    const char *kind = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    lpush_data_fn push = find_kind(kind);
    if (!push)
        return luaL_error(L, "edgex.parse.response: unknown kind '%s' (metadata, server_time, tickers, depth, funding, "
                             "funding_page, account_asset, account, orders, order_page, fill_page, create_order, "
                             "cancel, none, raw)", kind);
    char err[LPUSH_ERR_CAP];
    json_t *root = lpush_load_json_arg(L, 2, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    edgex_envelope envelope;
    int rc = edgex_parse_envelope(root, &envelope, err, sizeof err);
    if (rc == 0) {
        lua_createtable(L, 0, 8);
        lpush_set_bool(L, "success", envelope.success);
        lpush_set_text(L, "code", envelope.code);
        lpush_set_text(L, "msg", envelope.msg);
        lpush_set_text(L, "trace_id", envelope.trace_id);
        lpush_set_optional_int(L, "response_time", &envelope.response_time);
        if (envelope.error_param && lpush_json(L, envelope.error_param) == 0) lua_setfield(L, -2, "error_param");
        /* A refusal carries no data to read; the caller classifies it with ep.error. */
        if (envelope.success) {
            if (!envelope.data || (envelope.data_is_null && push != lpush_nothing)) {
                snprintf(err, sizeof err, "response.data: is %s", envelope.data ? "null" : "missing");
                rc = -1;
            } else {
                rc = push(L, envelope.data, err, sizeof err);
                if (rc == 0) lua_setfield(L, -2, "data");
            }
        }
        if (rc != 0) lua_pop(L, 1);
    }
    json_decref(root);
    if (rc != 0) return lpush_fail(L, err);
    return 1;
}

/* ep.error(body, http_status) -> {kind, msg, code?, http_status, retryable} */
static int parse_error(lua_State *L) {
    size_t length;
    const char *body = luaL_optlstring(L, 1, "", &length);
    int status = (int)luaL_checkinteger(L, 2);
    venue_error e;
    char code[EDGEX_NAME_CAP];
    edgex_parse_error_body(body, length, status, &e, code, sizeof code);
    lpush_venue_error(L, &e);
    lpush_set_text(L, "code", code);   /* edgeX's codes are words ("INVALID_SIGNATURE") */
    return 1;
}

static const char *const ws_type_names[] = {
    [EDGEX_WS_OTHER] = "other",         [EDGEX_WS_CONNECTED] = "connected", [EDGEX_WS_SUBSCRIBED] = "subscribed",
    [EDGEX_WS_UNSUBSCRIBED] = "unsubscribed", [EDGEX_WS_PING] = "ping",   [EDGEX_WS_PONG] = "pong",
    [EDGEX_WS_ERROR] = "error",         [EDGEX_WS_QUOTE] = "quote",         [EDGEX_WS_TRADE_EVENT] = "trade_event",
};

/* The trade-event groups: account (one or none), collateral, position, order, fill lists; the
 * other groups (transactions, deposits, ...) raw. */
static int push_trade_event_data(lua_State *L, const json_t *data, char *err, size_t cap) {
    static const struct { const char *group, *key; lpush_data_fn push; } groups[] = {
        {"collateral", "collateral", push_collaterals},   {"position", "position", push_positions},
        {"order", "order", push_orders},                  {"orderFillTransaction", "fill", push_fills},
    };
    lua_createtable(L, 0, 8);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const json_t *list = json_object_get(data, groups[i].group);
        if (!list || json_is_null(list)) continue;
        char inner[LPUSH_ERR_CAP];
        if (groups[i].push(L, list, inner, sizeof inner) != 0) {
            snprintf(err, cap, "trade-event data.%s: %.400s", groups[i].group, inner);
            lua_pop(L, 1);
            return -1;
        }
        lua_setfield(L, -2, groups[i].key);
    }
    const json_t *accounts = json_object_get(data, "account");
    if (json_is_array(accounts) && json_array_size(accounts) > 0) {
        char inner[LPUSH_ERR_CAP];
        edgex_account a;
        if (edgex_parse_account(json_array_get(accounts, 0), &a, inner, sizeof inner) != 0) {
            snprintf(err, cap, "trade-event data.%.400s", inner);
            lua_pop(L, 1);
            return -1;
        }
        push_account(L, &a, json_array_get(accounts, 0));
        edgex_account_free(&a);
        lua_setfield(L, -2, "account");
    }
    const json_t *transactions = json_object_get(data, "positionTransaction");
    if (json_is_array(transactions) && lpush_json(L, transactions) == 0) lua_setfield(L, -2, "position_transactions");
    return 0;
}

/* ep.ws(text) -> {type, channel?, kind?, snapshot?, data?, event?, version?, time?, error_code?, error_msg?} */
static int parse_ws(lua_State *L) {
    char err[LPUSH_ERR_CAP];
    json_t *root = lpush_load_json_arg(L, 1, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    edgex_ws_message m;
    int rc = edgex_parse_ws_message(root, &m, err, sizeof err);
    if (rc == 0) {
        lua_createtable(L, 0, 10);
        lua_pushstring(L, ws_type_names[m.type]);
        lua_setfield(L, -2, "type");
        lpush_set_text(L, "type_text", m.type_text);
        lpush_set_text(L, "channel", m.channel);
        lpush_set_text(L, "time", m.time);
        lpush_set_text(L, "error_code", m.error_code);
        lpush_set_text(L, "error_msg", m.error_msg);
        if (m.type == EDGEX_WS_QUOTE) {
            const char *kind = edgex_channel_kind(m.channel);
            lpush_set_bool(L, "snapshot", m.is_snapshot);
            lpush_set_text(L, "data_type", m.data_type);
            if (kind) lpush_set_text(L, "kind", kind);
            lpush_data_fn push = !kind ? NULL
                             : !strcmp(kind, "depth") ? push_depths
                             : !strcmp(kind, "ticker") ? push_tickers
                             : !strcmp(kind, "funding") ? push_fundings
                             : !strcmp(kind, "trades") ? push_public_trades : NULL;
            if (push) rc = push(L, m.data, err, sizeof err);
            else if (lpush_json(L, m.data) != 0) {
                snprintf(err, sizeof err, "ws_message.content.data: nested too deep");
                rc = -1;
            }
            if (rc == 0) lua_setfield(L, -2, "data");
        } else if (m.type == EDGEX_WS_TRADE_EVENT) {
            lpush_set_text(L, "event", m.event);
            lpush_set_bool(L, "snapshot", m.is_snapshot);
            lpush_set_optional_int(L, "version", &m.version);
            rc = push_trade_event_data(L, m.data, err, sizeof err);
            if (rc == 0) lua_setfield(L, -2, "data");
        }
        if (rc != 0) lua_pop(L, 1);
    }
    json_decref(root);
    if (rc != 0) return lpush_fail(L, err);
    return 1;
}

static int symbol_of(lua_State *L) {
    char symbol[EDGEX_NAME_CAP];
    edgex_symbol_of_contract_name(luaL_checkstring(L, 1), symbol, sizeof symbol);
    lua_pushstring(L, symbol);
    return 1;
}

int luaopen_edgex_parse(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"response", parse_response}, {"error", parse_error}, {"ws", parse_ws},
        {"json", lpush_json_function},         {"symbol_of", symbol_of}, {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
