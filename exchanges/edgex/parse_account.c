/* edgeX account parsers: the account object, getAccountAsset, positions, collaterals, orders
 * and fills (see parse.h). The same record shapes come in REST answers and in the private
 * WebSocket's trade-event groups. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exchanges/edgex/parse.h"
#include "exchanges/edgex/parse_fields.h"

/* ---- account object ------------------------------------------------------------------------- */

static int parse_trade_setting(const json_t *object, edgex_trade_setting *out, const jfield_where *at) {
    if (!json_is_object(object)) return jfield_fail(at, NULL, "is not an object");
    return edgex_field_bool(object, "isSetFeeRate", &out->is_set_fee_rate, JFIELD_OPTIONAL, at) ||
           edgex_field_bool(object, "isSetMaxLeverage", &out->is_set_max_leverage, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(object, "takerFeeRate", &out->taker_fee_rate, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(object, "makerFeeRate", &out->maker_fee_rate, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(object, "maxLeverage", &out->max_leverage, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

/* contractIdToTradeSetting: {"<contractId>": {setting}, ...}, kept in payload order. */
static int parse_contract_settings(const json_t *map, edgex_account *out, const jfield_where *parent) {
    jfield_where at;
    jfield_where_nested_member(&at, parent, "contractIdToTradeSetting");
    if (!map || json_is_null(map)) return 0;
    if (!json_is_object(map)) return jfield_fail(&at, NULL, "is not an object");
    size_t count = json_object_size(map), i = 0;
    if (jfield_alloc_items((void **)&out->settings, count, sizeof *out->settings, &at) != 0) return -1;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)map, key, value) {
        jfield_where one;
        jfield_where_nested_member(&one, &at, key);
        size_t length = strlen(key);
        if (length == 0 || length >= sizeof out->settings[i].contract_id.text || strspn(key, "0123456789") != length)
            return jfield_fail(&at, NULL, "has a key that is not a contract id");
        memcpy(out->settings[i].contract_id.text, key, length + 1);
        if (parse_trade_setting(value, &out->settings[i].setting, &one) != 0) return -1;
        out->setting_count = ++i;
    }
    return 0;
}

static int parse_account_at(const json_t *data, edgex_account *out, const jfield_where *at) {
    if (!json_is_object(data)) return jfield_fail(at, NULL, "is not an object");
    if (edgex_field_id(data, "id", &out->id, JFIELD_REQUIRED, at) ||
        edgex_field_id(data, "userId", &out->user_id, JFIELD_OPTIONAL, at) ||
        edgex_field_text(data, "ethAddress", out->eth_address, sizeof out->eth_address, JFIELD_OPTIONAL, at) ||
        edgex_field_hex(data, "l2Key", out->l2_key, sizeof out->l2_key, JFIELD_OPTIONAL, at) ||
        edgex_field_hex(data, "l2KeyYCoordinate", out->l2_key_y, sizeof out->l2_key_y, JFIELD_OPTIONAL, at) ||
        edgex_field_text(data, "clientAccountId", out->client_account_id, sizeof out->client_account_id,
                         JFIELD_OPTIONAL, at) ||
        edgex_field_text(data, "status", out->status, sizeof out->status, JFIELD_OPTIONAL, at) ||
        edgex_field_bool(data, "isLiquidating", &out->is_liquidating, JFIELD_OPTIONAL, at))
        return -1;
    const json_t *setting = json_object_get(data, "defaultTradeSetting");
    if (setting && !json_is_null(setting)) {
        jfield_where s;
        jfield_where_nested_member(&s, at, "defaultTradeSetting");
        if (parse_trade_setting(setting, &out->default_setting, &s) != 0) return -1;
        out->has_default_setting = 1;
    }
    return parse_contract_settings(json_object_get(data, "contractIdToTradeSetting"), out, at);
}

int edgex_parse_account(const json_t *data, edgex_account *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "account", err, errcap);
    memset(out, 0, sizeof *out);
    if (parse_account_at(data, out, &where) != 0) {
        edgex_account_free(out);
        return -1;
    }
    return 0;
}

void edgex_account_free(edgex_account *account) {
    free(account->settings);
    account->settings = NULL;
    account->setting_count = 0;
}

/* ---- account asset -------------------------------------------------------------------------- */

static int parse_collateral(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_collateral *c = out_item;
    return edgex_field_id(item, "coinId", &c->coin_id, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "amount", &c->amount, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "cumFundingFeeAmount", &c->cum_funding_fee, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "cumFillFeeAmount", &c->cum_fill_fee, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "updatedTime", &c->updated_time, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

static int parse_position(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_position *p = out_item;
    return edgex_field_id(item, "contractId", &p->contract_id, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "openSize", &p->open_size, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "openValue", &p->open_value, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "openFee", &p->open_fee, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "fundingFee", &p->funding_fee, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "createdTime", &p->created_time, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "updatedTime", &p->updated_time, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

static int parse_position_asset(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_position_asset *p = out_item;
    return edgex_field_id(item, "contractId", &p->contract_id, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "positionValue", &p->position_value, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "maxLeverage", &p->max_leverage, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "initialMarginRequirement", &p->initial_margin, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "avgEntryPrice", &p->avg_entry_price, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "liquidatePrice", &p->liquidate_price, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "unrealizePnl", &p->unrealized_pnl, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "totalRealizePnl", &p->total_realized_pnl, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

static int parse_collateral_asset(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_collateral_asset *c = out_item;
    return edgex_field_id(item, "coinId", &c->coin_id, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "totalEquity", &c->total_equity, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "availableAmount", &c->available_amount, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "initialMarginRequirement", &c->initial_margin, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "orderFrozenAmount", &c->order_frozen_amount, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "totalPositionValueAbs", &c->position_value_abs, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int edgex_parse_account_asset(const json_t *data, edgex_account_asset *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "accountAsset", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    const json_t *account = json_object_get(data, "account");
    int rc = 0;
    if (account && !json_is_null(account)) {
        jfield_where a;
        jfield_where_nested_member(&a, &where, "account");
        rc = parse_account_at(account, &out->account, &a);
        out->has_account = rc == 0;
    }
    if (rc == 0)
        rc = edgex_field_int(data, "version", &out->version, JFIELD_OPTIONAL, &where) ||
             edgex_parse_list_of(json_object_get(data, "collateralList"), "collateralList", &where, JFIELD_REQUIRED,
                                 (void **)&out->collaterals, &out->collateral_count, sizeof *out->collaterals,
                                 parse_collateral, NULL, err, errcap) ||
             edgex_parse_list_of(json_object_get(data, "positionList"), "positionList", &where, JFIELD_REQUIRED,
                                 (void **)&out->positions, &out->position_count, sizeof *out->positions, parse_position,
                                 NULL, err, errcap) ||
             edgex_parse_list_of(json_object_get(data, "positionAssetList"), "positionAssetList", &where,
                                 JFIELD_OPTIONAL, (void **)&out->position_assets, &out->position_asset_count,
                                 sizeof *out->position_assets, parse_position_asset, NULL, err, errcap) ||
             edgex_parse_list_of(json_object_get(data, "collateralAssetModelList"), "collateralAssetModelList", &where,
                                 JFIELD_REQUIRED, (void **)&out->collateral_assets, &out->collateral_asset_count,
                                 sizeof *out->collateral_assets, parse_collateral_asset, NULL, err, errcap);
    if (rc != 0) {
        edgex_account_asset_free(out);
        return -1;
    }
    return 0;
}

void edgex_account_asset_free(edgex_account_asset *asset) {
    edgex_account_free(&asset->account);
    free(asset->collaterals);
    free(asset->positions);
    free(asset->position_assets);
    free(asset->collateral_assets);
    memset(asset, 0, sizeof *asset);
}

int edgex_parse_collaterals(const json_t *data, edgex_collateral_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "collateral", NULL, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_collateral, NULL, err, errcap);
}

void edgex_collateral_list_free(edgex_collateral_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int edgex_parse_positions(const json_t *data, edgex_position_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "position", NULL, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_position, NULL, err, errcap);
}

void edgex_position_list_free(edgex_position_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- orders --------------------------------------------------------------------------------- */

static int parse_order(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_order *o = out_item;
    return edgex_field_id(item, "id", &o->id, JFIELD_REQUIRED, at) ||
           edgex_field_id(item, "contractId", &o->contract_id, JFIELD_REQUIRED, at) ||
           edgex_field_id(item, "accountId", &o->account_id, JFIELD_OPTIONAL, at) ||
           edgex_field_text(item, "clientOrderId", o->client_order_id, sizeof o->client_order_id, JFIELD_OPTIONAL, at) ||
           edgex_field_side(item, "side", &o->side, JFIELD_REQUIRED, at) ||
           edgex_field_text(item, "type", o->type, sizeof o->type, JFIELD_REQUIRED, at) ||
           edgex_field_text(item, "timeInForce", o->time_in_force, sizeof o->time_in_force, JFIELD_OPTIONAL, at) ||
           edgex_field_text(item, "status", o->status, sizeof o->status, JFIELD_REQUIRED, at) ||
           edgex_field_text(item, "cancelReason", o->cancel_reason, sizeof o->cancel_reason, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "price", &o->price, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "size", &o->size, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "triggerPrice", &o->trigger_price, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "cumFillSize", &o->cum_fill_size, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "cumFillValue", &o->cum_fill_value, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "cumFillFee", &o->cum_fill_fee, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "cumMatchSize", &o->cum_match_size, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "l2Value", &o->l2_value, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "l2LimitFee", &o->l2_limit_fee, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "takerFeeRate", &o->taker_fee_rate, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "makerFeeRate", &o->maker_fee_rate, JFIELD_OPTIONAL, at) ||
           edgex_field_bool(item, "reduceOnly", &o->reduce_only, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "expireTime", &o->expire_time, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "l2ExpireTime", &o->l2_expire_time, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "createdTime", &o->created_time, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "updatedTime", &o->updated_time, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int edgex_parse_orders(const json_t *data, edgex_order_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "orders", NULL, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_order, NULL, err, errcap);
}

void edgex_order_list_free(edgex_order_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- fills ---------------------------------------------------------------------------------- */

static int parse_fill(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_fill *f = out_item;
    if (edgex_field_id(item, "id", &f->id, JFIELD_REQUIRED, at) ||
        edgex_field_id(item, "orderId", &f->order_id, JFIELD_REQUIRED, at) ||
        edgex_field_id(item, "contractId", &f->contract_id, JFIELD_REQUIRED, at) ||
        edgex_field_side(item, "orderSide", &f->side, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "fillPrice", &f->price, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "fillSize", &f->size, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "fillValue", &f->value, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "fillFee", &f->fee, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "realizePnl", &f->realized_pnl, JFIELD_OPTIONAL, at) ||
        edgex_field_text(item, "direction", f->direction, sizeof f->direction, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "matchTime", &f->match_time, JFIELD_OPTIONAL, at))
        return -1;
    f->is_maker = strcasecmp(f->direction, "MAKER") == 0;
    return 0;
}

int edgex_parse_fills(const json_t *data, edgex_fill_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "fills", NULL, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_fill, NULL, err, errcap);
}

void edgex_fill_list_free(edgex_fill_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
