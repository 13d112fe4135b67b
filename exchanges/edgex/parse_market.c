/* edgeX market-data parsers: metadata, tickers, depth, funding, public trades, server time
 * (see parse.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exchanges/edgex/parse.h"
#include "exchanges/edgex/parse_fields.h"

/* ---- metadata ------------------------------------------------------------------------------- */

void edgex_symbol_of_contract_name(const char *name, char *out, size_t cap) {
    static const char *const quotes[] = {"USDT", "USDC", "USD"};   /* longest first: USDT before USD */
    size_t length = strlen(name), keep = length;
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t q = strlen(quotes[i]);
        if (length > q && strcasecmp(name + length - q, quotes[i]) == 0) {
            keep = length - q;
            break;
        }
    }
    if (cap == 0) return;
    if (keep >= cap) keep = cap - 1;
    for (size_t i = 0; i < keep; i++) out[i] = (char)toupper((unsigned char)name[i]);
    out[keep] = '\0';
}

static int parse_coin(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_coin *c = out_item;
    return edgex_field_id(item, "coinId", &c->coin_id, JFIELD_REQUIRED, at) ||
           edgex_field_text(item, "coinName", c->name, sizeof c->name, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "stepSize", &c->step_size, JFIELD_OPTIONAL, at) ||
           edgex_field_hex(item, "starkExAssetId", c->stark_asset_id, sizeof c->stark_asset_id, JFIELD_OPTIONAL, at) ||
           edgex_field_hex(item, "starkExResolution", c->stark_resolution, sizeof c->stark_resolution, JFIELD_OPTIONAL, at) ||
           edgex_field_text(item, "resolution", c->resolution, sizeof c->resolution, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

/* The highest maxLeverage of the risk tiers (the first tier in practice). */
static int parse_risk_tiers(const json_t *contract, int64_t *max_leverage, const jfield_where *at) {
    const json_t *tiers = json_object_get(contract, "riskTierList");
    size_t count;
    *max_leverage = 0;
    if (edgex_field_list(tiers, "riskTierList", &count, JFIELD_OPTIONAL, at) != 0) return -1;
    for (size_t i = 0; i < count; i++) {
        jfield_where tier_at;
        jfield_where_nested_item(&tier_at, at, "riskTierList", i);
        const json_t *tier = json_array_get(tiers, i);
        edgex_optional_int leverage;
        if (!json_is_object(tier)) return jfield_fail(&tier_at, NULL, "is not an object");
        if (edgex_field_int(tier, "maxLeverage", &leverage, JFIELD_REQUIRED, &tier_at) != 0) return -1;
        if (leverage.value > *max_leverage) *max_leverage = leverage.value;
    }
    return 0;
}

static int parse_contract(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_contract *c = out_item;
    edgex_optional_int interval;
    if (edgex_field_id(item, "contractId", &c->contract_id, JFIELD_REQUIRED, at) ||
        edgex_field_text(item, "contractName", c->name, sizeof c->name, JFIELD_REQUIRED, at) ||
        edgex_field_id(item, "baseCoinId", &c->base_coin_id, JFIELD_OPTIONAL, at) ||
        edgex_field_id(item, "quoteCoinId", &c->quote_coin_id, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "tickSize", &c->tick_size, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "stepSize", &c->step_size, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "minOrderSize", &c->min_order_size, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "maxOrderSize", &c->max_order_size, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "maxPositionSize", &c->max_position_size, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "maxOrderBuyPriceRatio", &c->buy_price_ratio, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "minOrderSellPriceRatio", &c->sell_price_ratio, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "defaultTakerFeeRate", &c->taker_fee_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "defaultMakerFeeRate", &c->maker_fee_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "defaultLeverage", &c->default_leverage, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "displayMaxLeverage", &c->display_max_leverage, JFIELD_OPTIONAL, at) ||
        parse_risk_tiers(item, &c->max_leverage, at) ||
        edgex_field_decimal(item, "fundingInterestRate", &c->funding_interest_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "fundingMaxRate", &c->funding_max_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "fundingMinRate", &c->funding_min_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "fundingRateIntervalMin", &interval, JFIELD_REQUIRED, at) ||
        edgex_field_bool(item, "enableTrade", &c->enable_trade, JFIELD_REQUIRED, at) ||
        edgex_field_bool(item, "enableDisplay", &c->enable_display, JFIELD_OPTIONAL, at) ||
        edgex_field_bool(item, "enableOpenPosition", &c->enable_open_position, JFIELD_OPTIONAL, at) ||
        edgex_field_hex(item, "starkExSyntheticAssetId", c->stark_synthetic_asset_id, sizeof c->stark_synthetic_asset_id,
                        JFIELD_OPTIONAL, at) ||
        edgex_field_hex(item, "starkExResolution", c->stark_resolution, sizeof c->stark_resolution, JFIELD_OPTIONAL, at) ||
        edgex_field_text(item, "resolution", c->resolution, sizeof c->resolution, JFIELD_OPTIONAL, at))
        return -1;
    /* The funding interval drives the rate per hour and the APR: a contract that does not say
     * it (or says nonsense) cannot be compared with other venues, so it is an error. */
    if (interval.value <= 0 || interval.value > 525600)
        return jfield_fail(at, "fundingRateIntervalMin", "is not a positive number of minutes up to a year");
    c->funding_interval_min = interval.value;
    /* Older payloads have no enableOpenPosition: opening is then allowed when trading is. */
    if (!json_object_get(item, "enableOpenPosition")) c->enable_open_position = c->enable_trade;
    edgex_symbol_of_contract_name(c->name, c->symbol, sizeof c->symbol);
    return 0;
}

int edgex_parse_metadata(const json_t *data, edgex_metadata *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "metadata", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    const json_t *global = json_object_get(data, "global");
    if (global && !json_is_null(global)) {
        jfield_where g;
        jfield_where_nested_member(&g, &where, "global");
        if (!json_is_object(global)) return jfield_fail(&g, NULL, "is not an object");
        char native[EDGEX_NAME_CAP];
        if (edgex_field_text(global, "appEnv", out->app_env, sizeof out->app_env, JFIELD_OPTIONAL, &g) ||
            edgex_field_text(global, "maintenanceReason", out->maintenance_reason, sizeof out->maintenance_reason,
                             JFIELD_OPTIONAL, &g) ||
            edgex_field_text(global, "nativeChainId", native, sizeof native, JFIELD_OPTIONAL, &g) ||
            edgex_field_text(global, "chainId", out->chain_id, sizeof out->chain_id, JFIELD_OPTIONAL, &g) ||
            edgex_field_text(global, "contractAddress", out->contract_address, sizeof out->contract_address,
                             JFIELD_OPTIONAL, &g))
            return -1;
        /* V.6.1: the EIP-712 chain id is nativeChainId, and chainId only when that is empty. */
        if (native[0]) snprintf(out->chain_id, sizeof out->chain_id, "%s", native);
        const json_t *collateral = json_object_get(global, "starkExCollateralCoin");
        if (collateral && !json_is_null(collateral)) {
            jfield_where c;
            jfield_where_nested_member(&c, &g, "starkExCollateralCoin");
            if (!json_is_object(collateral)) return jfield_fail(&c, NULL, "is not an object");
            if (parse_coin(collateral, &out->collateral, &c) != 0) return -1;
            out->has_collateral = 1;
        }
    }
    if (edgex_parse_list_of(json_object_get(data, "coinList"), "coinList", &where, JFIELD_OPTIONAL, (void **)&out->coins,
                            &out->coin_count, sizeof *out->coins, parse_coin, NULL, err, errcap) != 0)
        return -1;
    if (edgex_parse_list_of(json_object_get(data, "contractList"), "contractList", &where, JFIELD_REQUIRED,
                            (void **)&out->contracts, &out->contract_count, sizeof *out->contracts, parse_contract, NULL,
                            err, errcap) != 0) {
        edgex_metadata_free(out);
        return -1;
    }
    return 0;
}

void edgex_metadata_free(edgex_metadata *metadata) {
    free(metadata->coins);
    free(metadata->contracts);
    metadata->coins = NULL;
    metadata->contracts = NULL;
    metadata->coin_count = metadata->contract_count = 0;
}

/* ---- tickers -------------------------------------------------------------------------------- */

static int parse_ticker(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_ticker *t = out_item;
    if (edgex_field_id(item, "contractId", &t->contract_id, JFIELD_REQUIRED, at) ||
        edgex_field_text(item, "contractName", t->name, sizeof t->name, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "lastPrice", &t->last_price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "indexPrice", &t->index_price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "oraclePrice", &t->oracle_price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "markPrice", &t->mark_price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "price", &t->price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "priceChange", &t->price_change, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "priceChangePercent", &t->price_change_percent, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "high", &t->high, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "low", &t->low, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "open", &t->open, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "close", &t->close, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "size", &t->size, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "value", &t->value, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "openInterest", &t->open_interest, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "fundingRate", &t->funding_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "predictedFundingRate", &t->predicted_funding_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "trades", &t->trades, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "fundingTime", &t->funding_time, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "nextFundingTime", &t->next_funding_time, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "startTime", &t->start_time, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "endTime", &t->end_time, JFIELD_OPTIONAL, at) ||
        edgex_field_bool(item, "marketOpen", &t->market_open, JFIELD_OPTIONAL, at))
        return -1;
    t->has_market_open = json_is_boolean(json_object_get(item, "marketOpen"));
    return 0;
}

int edgex_parse_tickers(const json_t *data, edgex_ticker_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "", err, errcap);
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "tickers", &where, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_ticker, NULL, err, errcap);
}

void edgex_ticker_list_free(edgex_ticker_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- depth ---------------------------------------------------------------------------------- */

/* A level is {"price","size"} on REST and ["price","size"] on the WebSocket. */
static int parse_level(const json_t *level, edgex_book_level *out, const jfield_where *at) {
    if (json_is_array(level)) {
        if (json_array_size(level) != 2) return jfield_fail(at, NULL, "is not [price, size]");
        return edgex_value_decimal(json_array_get(level, 0), "price", &out->price, JFIELD_REQUIRED, at) ||
               edgex_value_decimal(json_array_get(level, 1), "size", &out->size, JFIELD_REQUIRED, at)
                   ? -1 : 0;
    }
    if (!json_is_object(level)) return jfield_fail(at, NULL, "is neither {price, size} nor [price, size]");
    return edgex_field_decimal(level, "price", &out->price, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(level, "size", &out->size, JFIELD_REQUIRED, at)
               ? -1 : 0;
}

static int parse_levels(const json_t *side, const char *name, edgex_book_level **levels, size_t *count,
                        const jfield_where *at) {
    if (edgex_field_list(side, name, count, JFIELD_OPTIONAL, at) != 0 ||
        jfield_alloc_items((void **)levels, *count, sizeof **levels, at) != 0)
        return -1;
    for (size_t i = 0; i < *count; i++) {
        jfield_where level_at;
        jfield_where_nested_item(&level_at, at, name, i);
        if (parse_level(json_array_get(side, i), &(*levels)[i], &level_at) != 0) return -1;
    }
    return 0;
}

/* A version is a digit string; anything else (the docs' placeholder "string") is no version. */
static void read_version(const json_t *item, const char *name, edgex_optional_int *out) {
    jfield_where quiet;
    jfield_where_init(&quiet, "", NULL, 0);
    if (edgex_field_int(item, name, out, JFIELD_OPTIONAL, &quiet) != 0) out->present = 0;
}

static void free_depth(void *item) {
    edgex_depth *d = item;
    free(d->bids);
    free(d->asks);
    d->bids = d->asks = NULL;
}

static int parse_depth(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_depth *d = out_item;
    if (edgex_field_id(item, "contractId", &d->contract_id, JFIELD_REQUIRED, at) ||
        edgex_field_text(item, "contractName", d->name, sizeof d->name, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "level", &d->level, JFIELD_OPTIONAL, at) ||
        edgex_field_text(item, "depthType", d->depth_type, sizeof d->depth_type, JFIELD_OPTIONAL, at) ||
        parse_levels(json_object_get(item, "bids"), "bids", &d->bids, &d->bid_count, at) ||
        parse_levels(json_object_get(item, "asks"), "asks", &d->asks, &d->ask_count, at))
        return -1;
    read_version(item, "startVersion", &d->start_version);
    read_version(item, "endVersion", &d->end_version);
    /* REST depth is always a full book; only an explicit CHANGED marks an increment. */
    d->is_snapshot = strcasecmp(d->depth_type, "CHANGED") != 0;
    return 0;
}

int edgex_parse_depths(const json_t *data, edgex_depth_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "", err, errcap);
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "depth", &where, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_depth, free_depth, err, errcap);
}

void edgex_depth_list_free(edgex_depth_list *list) {
    for (size_t i = 0; i < list->count; i++) free_depth(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- funding -------------------------------------------------------------------------------- */

static int parse_funding(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_funding *f = out_item;
    edgex_optional_int interval;
    if (edgex_field_id(item, "contractId", &f->contract_id, JFIELD_REQUIRED, at) ||
        edgex_field_int(item, "fundingTime", &f->funding_time, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "fundingTimestamp", &f->funding_timestamp, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "previousFundingTimestamp", &f->previous_funding_timestamp, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "oraclePrice", &f->oracle_price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "indexPrice", &f->index_price, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "fundingRate", &f->funding_rate, JFIELD_REQUIRED, at) ||
        edgex_field_decimal(item, "forecastFundingRate", &f->forecast_funding_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "previousFundingRate", &f->previous_funding_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "predictedFundingRate", &f->predicted_funding_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "premiumIndex", &f->premium_index, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "avgPremiumIndex", &f->avg_premium_index, JFIELD_OPTIONAL, at) ||
        edgex_field_decimal(item, "interestRate", &f->interest_rate, JFIELD_OPTIONAL, at) ||
        edgex_field_bool(item, "isSettlement", &f->is_settlement, JFIELD_OPTIONAL, at) ||
        edgex_field_int(item, "fundingRateIntervalMin", &interval, JFIELD_OPTIONAL, at))
        return -1;
    if (interval.present && (interval.value <= 0 || interval.value > 525600))
        return jfield_fail(at, "fundingRateIntervalMin", "is not a positive number of minutes up to a year");
    f->interval_min = interval.present ? interval.value : 0;
    return 0;
}

int edgex_parse_fundings(const json_t *data, edgex_funding_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "", err, errcap);
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "funding", &where, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_funding, NULL, err, errcap);
}

void edgex_funding_list_free(edgex_funding_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- public trades -------------------------------------------------------------------------- */

static int parse_public_trade(const json_t *item, void *out_item, const jfield_where *at) {
    edgex_public_trade *t = out_item;
    return edgex_field_id(item, "ticketId", &t->ticket_id, JFIELD_OPTIONAL, at) ||
           edgex_field_id(item, "contractId", &t->contract_id, JFIELD_OPTIONAL, at) ||
           edgex_field_int(item, "time", &t->time, JFIELD_OPTIONAL, at) ||
           edgex_field_decimal(item, "price", &t->price, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "size", &t->size, JFIELD_REQUIRED, at) ||
           edgex_field_decimal(item, "value", &t->value, JFIELD_OPTIONAL, at) ||
           edgex_field_bool(item, "isBuyerMaker", &t->is_buyer_maker, JFIELD_OPTIONAL, at)
               ? -1 : 0;
}

int edgex_parse_public_trades(const json_t *data, edgex_public_trade_list *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "", err, errcap);
    memset(out, 0, sizeof *out);
    return edgex_parse_list_of(data, "trades", &where, JFIELD_REQUIRED, (void **)&out->items, &out->count,
                               sizeof *out->items, parse_public_trade, NULL, err, errcap);
}

void edgex_public_trade_list_free(edgex_public_trade_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- server time ---------------------------------------------------------------------------- */

int edgex_parse_server_time(const json_t *data, int64_t *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "serverTime", err, errcap);
    *out = 0;
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    edgex_optional_int t;
    if (edgex_field_int(data, "timeMillis", &t, JFIELD_REQUIRED, &where) != 0) return -1;
    if (t.value <= 0) return jfield_fail(&where, "timeMillis", "is not a positive time");
    *out = t.value;
    return 0;
}
