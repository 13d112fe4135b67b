/* edgeX payloads (REST bodies and WebSocket frames, already parsed by jansson) as plain C
 * structs, for both API generations (v1 /api/v1 and v2 /api/v2 share the shapes; spec §2-§5,
 * V.3-V.9; fixtures in shared/fixtures/edgex).
 *
 * Numbers: edgeX sends every price, size, rate, amount, id and timestamp as a JSON string.
 * Decimals are kept as the payload's literal text (edgex_decimal_text), checked to be a plain
 * decimal, so nothing goes through a double (the venue's oracle prices and margins have up to
 * 60 digits; convert with rt_decimal_parse where arithmetic is needed). Ids stay digit strings
 * (account and order ids are above 2^53). Millisecond timestamps and small counts become
 * int64 and are accepted as digit strings or JSON integers. A JSON number where edgeX sends a
 * decimal or an id is refused: the payload is not the shape we know.
 * An empty string is a value edgeX really sends for "unset" (fee rates of a contract without
 * its own setting, forecastFundingRate of a settled row, unused TP/SL legs): it is kept apart
 * from an absent or null member (EDGEX_VALUE_EMPTY vs EDGEX_VALUE_ABSENT).
 * Unknown keys are ignored, so a new venue field never breaks parsing; a missing required field
 * or a malformed value is an error naming the member ("contractList[2].tickSize: is missing").
 * Lists own their items: free them with the matching *_free. */
#ifndef HEDGE_EXCHANGES_EDGEX_PARSE_H
#define HEDGE_EXCHANGES_EDGEX_PARSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/venue.h"

#define EDGEX_DECIMAL_TEXT_CAP 80   /* the longest seen is 64 characters (starkExRiskValue) */
#define EDGEX_ID_TEXT_CAP 24        /* decimal ids: at most 20 digits (uint64) */
#define EDGEX_HEX_TEXT_CAP 80       /* 0x + up to 64 hex digits (asset ids, Stark keys) */
#define EDGEX_NAME_CAP 48           /* enum-like strings, contract and coin names */
#define EDGEX_CLIENT_ID_CAP 136     /* client order ids (the signer allows 128 bytes) */
#define EDGEX_MESSAGE_CAP 512       /* venue error texts */
#define EDGEX_CHANNEL_CAP 64

typedef enum edgex_value_state {
    EDGEX_VALUE_ABSENT = 0,   /* member missing or null */
    EDGEX_VALUE_EMPTY,        /* the empty string "" */
    EDGEX_VALUE_SET
} edgex_value_state;

typedef struct edgex_decimal_text {
    char text[EDGEX_DECIMAL_TEXT_CAP];   /* "" unless state == EDGEX_VALUE_SET */
    edgex_value_state state;
} edgex_decimal_text;

typedef struct edgex_id_text {
    char text[EDGEX_ID_TEXT_CAP];        /* digits; "" when absent, null or "" */
} edgex_id_text;

typedef venue_optional_int edgex_optional_int;

typedef enum edgex_wire_side { EDGEX_WIRE_SIDE_NONE = 0, EDGEX_WIRE_BUY, EDGEX_WIRE_SELL } edgex_wire_side;

/* ---- the REST envelope (spec §2) ------------------------------------------------------------ */

typedef struct edgex_envelope {
    char code[EDGEX_NAME_CAP];          /* "SUCCESS" or the venue's error code */
    int success;                        /* code == "SUCCESS" */
    char msg[EDGEX_MESSAGE_CAP];        /* "" when null */
    const json_t *error_param;          /* borrowed; NULL when absent or null */
    const json_t *data;                 /* borrowed; NULL when absent */
    int data_is_null;
    edgex_optional_int request_time, response_time;
    char trace_id[EDGEX_NAME_CAP];
} edgex_envelope;

/* {"code", "data", "msg", "errorParam", ...}: a JSON object with a string "code" is required. */
int edgex_parse_envelope(const json_t *root, edgex_envelope *out, char *err, size_t errcap);

/* Paged data: {"dataList": [...], "nextPageOffsetData": "..."} ("" at the end). */
typedef struct edgex_page {
    const json_t *list;                  /* borrowed dataList */
    char next_offset[EDGEX_NAME_CAP];
} edgex_page;

int edgex_parse_page(const json_t *data, edgex_page *out, char *err, size_t errcap);

/* ---- metadata (getMetaData, spec §3.2, V.3) ------------------------------------------------- */

typedef struct edgex_coin {
    edgex_id_text coin_id;
    char name[EDGEX_NAME_CAP];
    edgex_decimal_text step_size;
    char stark_asset_id[EDGEX_HEX_TEXT_CAP];     /* v1 starkExAssetId; "" when null */
    char stark_resolution[EDGEX_HEX_TEXT_CAP];   /* v1 starkExResolution (hex); "" when null */
    char resolution[EDGEX_NAME_CAP];             /* v2 resolution (decimal or 0x hex); "" when absent */
} edgex_coin;

typedef struct edgex_contract {
    edgex_id_text contract_id, base_coin_id, quote_coin_id;
    char name[EDGEX_NAME_CAP];
    char symbol[EDGEX_NAME_CAP];                 /* base asset from the name (BTCUSDT -> BTC) */
    edgex_decimal_text tick_size, step_size, min_order_size, max_order_size, max_position_size;
    edgex_decimal_text buy_price_ratio, sell_price_ratio;
    edgex_decimal_text taker_fee_rate, maker_fee_rate;
    edgex_decimal_text default_leverage, display_max_leverage;
    int64_t max_leverage;                        /* the highest maxLeverage of the risk tiers; 0 when none */
    edgex_decimal_text funding_interest_rate, funding_max_rate, funding_min_rate;
    int64_t funding_interval_min;                /* fundingRateIntervalMin, > 0 */
    int enable_trade, enable_display, enable_open_position;
    char stark_synthetic_asset_id[EDGEX_HEX_TEXT_CAP];  /* v1; "" when absent */
    char stark_resolution[EDGEX_HEX_TEXT_CAP];          /* v1 (hex); "" when absent */
    char resolution[EDGEX_NAME_CAP];                    /* v2 (decimal or hex); "" when absent */
} edgex_contract;

typedef struct edgex_metadata {
    char app_env[EDGEX_NAME_CAP];
    char maintenance_reason[EDGEX_MESSAGE_CAP];
    char chain_id[EDGEX_NAME_CAP];               /* v2: nativeChainId, else chainId; "" in v1 */
    char contract_address[EDGEX_NAME_CAP];       /* v2: the EIP-712 verifying contract; "" in v1 */
    int has_collateral;
    edgex_coin collateral;                       /* global.starkExCollateralCoin */
    size_t coin_count, contract_count;
    edgex_coin *coins;
    edgex_contract *contracts;
} edgex_metadata;

int edgex_parse_metadata(const json_t *data, edgex_metadata *out, char *err, size_t errcap);
void edgex_metadata_free(edgex_metadata *metadata);

/* The base asset of a contract name: the name without its quote suffix USDT, USDC or USD
 * (BTCUSDT -> BTC, HYPEUSD -> HYPE, 1000PEPEUSDC -> 1000PEPE); the whole name when it has none. */
void edgex_symbol_of_contract_name(const char *name, char *out, size_t cap);

/* ---- market data ---------------------------------------------------------------------------- */

/* getTicker rows and WebSocket ticker.<id> / ticker.all(.1s) records (the v2 stream adds price,
 * markPrice, predictedFundingRate, marketOpen). */
typedef struct edgex_ticker {
    edgex_id_text contract_id;
    char name[EDGEX_NAME_CAP];
    edgex_decimal_text last_price, index_price, oracle_price, mark_price, price;
    edgex_decimal_text price_change, price_change_percent, high, low, open, close;
    edgex_decimal_text size, value, open_interest;    /* 24 h base / quote volume */
    edgex_decimal_text funding_rate, predicted_funding_rate;
    edgex_optional_int trades, funding_time, next_funding_time, start_time, end_time;
    int has_market_open, market_open;
} edgex_ticker;

typedef struct edgex_ticker_list {
    size_t count;
    edgex_ticker *items;
} edgex_ticker_list;

int edgex_parse_tickers(const json_t *data, edgex_ticker_list *out, char *err, size_t errcap);
void edgex_ticker_list_free(edgex_ticker_list *list);

typedef struct edgex_book_level {
    edgex_decimal_text price, size;
} edgex_book_level;

/* getDepth rows (levels {"price","size"}) and WebSocket depth records (levels [price, size]).
 * Versions are optional: the docs' schematic frame writes the word "string" there, which is
 * read as no version (the stream then cannot check continuity and resnapshots on doubt). */
typedef struct edgex_depth {
    edgex_id_text contract_id;
    char name[EDGEX_NAME_CAP];
    edgex_optional_int level, start_version, end_version;
    char depth_type[EDGEX_NAME_CAP];             /* SNAPSHOT / CHANGED (any case) */
    int is_snapshot;
    size_t bid_count, ask_count;
    edgex_book_level *bids, *asks;
} edgex_depth;

typedef struct edgex_depth_list {
    size_t count;
    edgex_depth *items;
} edgex_depth_list;

int edgex_parse_depths(const json_t *data, edgex_depth_list *out, char *err, size_t errcap);
void edgex_depth_list_free(edgex_depth_list *list);

/* getLatestFundingRate rows, getFundingRatePage dataList rows, WebSocket fundingRate records. */
typedef struct edgex_funding {
    edgex_id_text contract_id;
    edgex_optional_int funding_time, funding_timestamp, previous_funding_timestamp;
    edgex_decimal_text oracle_price, index_price, funding_rate, forecast_funding_rate;
    edgex_decimal_text previous_funding_rate, predicted_funding_rate, premium_index, avg_premium_index;
    edgex_decimal_text interest_rate;
    int is_settlement;
    int64_t interval_min;                        /* 0 when the row does not say */
} edgex_funding;

typedef struct edgex_funding_list {
    size_t count;
    edgex_funding *items;
} edgex_funding_list;

int edgex_parse_fundings(const json_t *data, edgex_funding_list *out, char *err, size_t errcap);
void edgex_funding_list_free(edgex_funding_list *list);

/* Public trades (WebSocket trades.<id>). */
typedef struct edgex_public_trade {
    edgex_id_text ticket_id, contract_id;
    edgex_optional_int time;
    edgex_decimal_text price, size, value;
    int is_buyer_maker;
} edgex_public_trade;

typedef struct edgex_public_trade_list {
    size_t count;
    edgex_public_trade *items;
} edgex_public_trade_list;

int edgex_parse_public_trades(const json_t *data, edgex_public_trade_list *out, char *err, size_t errcap);
void edgex_public_trade_list_free(edgex_public_trade_list *list);

/* getServerTime: data.timeMillis. */
int edgex_parse_server_time(const json_t *data, int64_t *out, char *err, size_t errcap);

/* ---- account (spec §4.1) -------------------------------------------------------------------- */

typedef struct edgex_trade_setting {
    int is_set_fee_rate, is_set_max_leverage;
    edgex_decimal_text taker_fee_rate, maker_fee_rate, max_leverage;
} edgex_trade_setting;

typedef struct edgex_contract_setting {
    edgex_id_text contract_id;
    edgex_trade_setting setting;
} edgex_contract_setting;

/* getAccountById data, getAccountAsset data.account, trade-event account records. */
typedef struct edgex_account {
    edgex_id_text id, user_id;
    char eth_address[EDGEX_NAME_CAP];
    char l2_key[EDGEX_HEX_TEXT_CAP], l2_key_y[EDGEX_HEX_TEXT_CAP];   /* "" when absent or "" */
    char client_account_id[EDGEX_NAME_CAP];
    char status[EDGEX_NAME_CAP];
    int is_liquidating;
    int has_default_setting;
    edgex_trade_setting default_setting;
    size_t setting_count;
    edgex_contract_setting *settings;             /* contractIdToTradeSetting, payload order */
} edgex_account;

int edgex_parse_account(const json_t *data, edgex_account *out, char *err, size_t errcap);
void edgex_account_free(edgex_account *account);

typedef struct edgex_collateral {
    edgex_id_text coin_id;
    edgex_decimal_text amount, cum_funding_fee, cum_fill_fee;
    edgex_optional_int updated_time;
} edgex_collateral;

/* positionList rows (and trade-event position records): openSize is signed. */
typedef struct edgex_position {
    edgex_id_text contract_id;
    edgex_decimal_text open_size, open_value, open_fee, funding_fee;
    edgex_optional_int created_time, updated_time;
} edgex_position;

typedef struct edgex_position_asset {
    edgex_id_text contract_id;
    edgex_decimal_text position_value, max_leverage, initial_margin, avg_entry_price, liquidate_price;
    edgex_decimal_text unrealized_pnl, total_realized_pnl;
} edgex_position_asset;

typedef struct edgex_collateral_asset {
    edgex_id_text coin_id;
    edgex_decimal_text total_equity, available_amount, initial_margin, order_frozen_amount, position_value_abs;
} edgex_collateral_asset;

typedef struct edgex_account_asset {
    int has_account;
    edgex_account account;
    edgex_optional_int version;
    size_t collateral_count, position_count, position_asset_count, collateral_asset_count;
    edgex_collateral *collaterals;
    edgex_position *positions;
    edgex_position_asset *position_assets;
    edgex_collateral_asset *collateral_assets;
} edgex_account_asset;

int edgex_parse_account_asset(const json_t *data, edgex_account_asset *out, char *err, size_t errcap);
void edgex_account_asset_free(edgex_account_asset *asset);

/* Lists of the record shapes above (trade-event groups, getPositionByContractId). */
typedef struct edgex_collateral_list {
    size_t count;
    edgex_collateral *items;
} edgex_collateral_list;

typedef struct edgex_position_list {
    size_t count;
    edgex_position *items;
} edgex_position_list;

int edgex_parse_collaterals(const json_t *data, edgex_collateral_list *out, char *err, size_t errcap);
void edgex_collateral_list_free(edgex_collateral_list *list);
int edgex_parse_positions(const json_t *data, edgex_position_list *out, char *err, size_t errcap);
void edgex_position_list_free(edgex_position_list *list);

/* ---- orders and fills (spec §4.3) ----------------------------------------------------------- */

typedef struct edgex_order {
    edgex_id_text id, contract_id, account_id;
    char client_order_id[EDGEX_CLIENT_ID_CAP];
    edgex_wire_side side;
    char type[EDGEX_NAME_CAP];                    /* LIMIT, MARKET, STOP_LIMIT, ... */
    char time_in_force[EDGEX_NAME_CAP];
    char status[EDGEX_NAME_CAP];                  /* PENDING, OPEN, FILLED, CANCELING, CANCELED, UNTRIGGERED */
    char cancel_reason[EDGEX_NAME_CAP];
    edgex_decimal_text price, size, trigger_price;
    edgex_decimal_text cum_fill_size, cum_fill_value, cum_fill_fee, cum_match_size;
    edgex_decimal_text l2_value, l2_limit_fee, taker_fee_rate, maker_fee_rate;
    int reduce_only;
    edgex_optional_int expire_time, l2_expire_time, created_time, updated_time;
} edgex_order;

typedef struct edgex_order_list {
    size_t count;
    edgex_order *items;
} edgex_order_list;

/* A list of Order objects (getOrderById, getOrderByClientOrderId, a page's dataList). */
int edgex_parse_orders(const json_t *data, edgex_order_list *out, char *err, size_t errcap);
void edgex_order_list_free(edgex_order_list *list);

/* getHistoryOrderFillTransactionPage rows and trade-event orderFillTransaction records. */
typedef struct edgex_fill {
    edgex_id_text id, order_id, contract_id;
    edgex_wire_side side;
    edgex_decimal_text price, size, value, fee, realized_pnl;
    int is_maker;                                 /* direction MAKER */
    char direction[EDGEX_NAME_CAP];
    edgex_optional_int match_time;
} edgex_fill;

typedef struct edgex_fill_list {
    size_t count;
    edgex_fill *items;
} edgex_fill_list;

int edgex_parse_fills(const json_t *data, edgex_fill_list *out, char *err, size_t errcap);
void edgex_fill_list_free(edgex_fill_list *list);

/* ---- results of private POSTs (spec §4.4-4.6) ----------------------------------------------- */

/* createOrder data: {"orderId": "..."}. */
int edgex_parse_create_order(const json_t *data, edgex_id_text *order_id, char *err, size_t errcap);

typedef struct edgex_cancel_entry {
    char id[EDGEX_CLIENT_ID_CAP];                 /* the order id (or an unknown client id) */
    char result[EDGEX_NAME_CAP];                  /* SUCCESS, SUCCESS_ORDER_CANCELED, FAILED_ORDER_NOT_FOUND, ... */
    int ok;                                       /* the result starts with SUCCESS */
} edgex_cancel_entry;

typedef struct edgex_cancel_result {
    size_t count;
    edgex_cancel_entry *items;                    /* payload order */
} edgex_cancel_result;

/* cancel* data: {"cancelResultMap": {"<id>": "<result>", ...}}. */
int edgex_parse_cancel_result(const json_t *data, edgex_cancel_result *out, char *err, size_t errcap);
void edgex_cancel_result_free(edgex_cancel_result *result);

/* ---- errors (spec §11, V.4) ----------------------------------------------------------------- */

/* Classifies an answer that is not a success (HTTP status and raw body; the body may be the
 * JSON envelope with code != "SUCCESS", an HTML page from a gateway, or empty) onto the
 * venue-neutral kinds. Always fills *out; the message is "<code>: <msg>" from the envelope
 * (the venue's words), or the body's first line, or "HTTP <status> with an empty body".
 * out->code is not used (edgeX codes are names); the name goes to code_name. */
void edgex_parse_error_body(const char *body, size_t length, int http_status, venue_error *out, char *code_name,
                            size_t code_cap);
/* The kind of a venue error code and message (also used for 200 answers with code != SUCCESS). */
venue_error_kind edgex_error_kind(const char *code, const char *message, int http_status);

/* ---- WebSocket frames (spec §5, V.9) -------------------------------------------------------- */

typedef enum edgex_ws_type {
    EDGEX_WS_OTHER = 0,
    EDGEX_WS_CONNECTED,     /* {"type":"connected","sid"} (v2) */
    EDGEX_WS_SUBSCRIBED,    /* {"type":"subscribed","channel"} */
    EDGEX_WS_UNSUBSCRIBED,
    EDGEX_WS_PING,          /* {"type":"ping","time"}: answer {"type":"pong","time":<same>} */
    EDGEX_WS_PONG,
    EDGEX_WS_ERROR,         /* {"type":"error","content":{"code","msg"}} */
    EDGEX_WS_QUOTE,         /* "quote-event" (v2) or "payload" (v1): channel data */
    EDGEX_WS_TRADE_EVENT    /* private account stream */
} edgex_ws_type;

typedef struct edgex_ws_message {
    edgex_ws_type type;
    char type_text[EDGEX_NAME_CAP];
    char channel[EDGEX_CHANNEL_CAP];              /* quote, subscribed, unsubscribed */
    char time[EDGEX_NAME_CAP];                    /* ping / pong time text, kept verbatim for the answer */
    char data_type[EDGEX_NAME_CAP];               /* quote: Snapshot / Changed */
    int is_snapshot;                              /* quote Snapshot, or trade-event "Snapshot" */
    char event[EDGEX_NAME_CAP];                   /* trade-event content.event */
    edgex_optional_int version;                   /* trade-event content.version */
    char error_code[EDGEX_NAME_CAP], error_msg[EDGEX_MESSAGE_CAP];
    const json_t *data;                           /* borrowed: quote content.data (a list) or trade-event content.data (an object) */
} edgex_ws_message;

int edgex_parse_ws_message(const json_t *root, edgex_ws_message *out, char *err, size_t errcap);

/* The kind of data a public channel carries: "depth", "ticker", "funding", "trades",
 * "metadata", or NULL for any other channel. */
const char *edgex_channel_kind(const char *channel);

#endif
