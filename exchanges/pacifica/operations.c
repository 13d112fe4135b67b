/* Pacifica operation table and payload validation (see operations.h).
 * Field lists follow specs/pacifica.md §3.5-3.7 and the official python-sdk examples. */
#include "exchanges/pacifica/operations.h"

#include <stdio.h>
#include <string.h>

#include "exchanges/pacifica/base58.h"

#define REQUIRED PACIFICA_FIELD_REQUIRED
#define ONE_OF_ID PACIFICA_FIELD_GROUP(1)    /* order_id | client_order_id */
#define ONE_OF_AGENT PACIFICA_FIELD_GROUP(2) /* agent_wallet | api_agent_key */
#define MAX_GROUP 15

/* take_profit / stop_loss attached to a new order. */
static const pacifica_field order_tpsl_fields[] = {
    {"stop_price", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"limit_price", PACIFICA_FIELD_DECIMAL_POSITIVE, 0, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, 0, NULL},
    {"trigger_price_type", PACIFICA_FIELD_TRIGGER_PRICE_TYPE, 0, NULL},
    {NULL, 0, 0, NULL}};

/* take_profit / stop_loss on an open position: may cover part of it. */
static const pacifica_field position_tpsl_fields[] = {
    {"stop_price", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"limit_price", PACIFICA_FIELD_DECIMAL_POSITIVE, 0, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, 0, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, 0, NULL},
    {"trigger_price_type", PACIFICA_FIELD_TRIGGER_PRICE_TYPE, 0, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field stop_order_fields[] = {
    {"stop_price", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"limit_price", PACIFICA_FIELD_DECIMAL_POSITIVE, 0, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, 0, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, 0, NULL},
    {"trigger_price_type", PACIFICA_FIELD_TRIGGER_PRICE_TYPE, 0, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field create_market_order_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"side", PACIFICA_FIELD_SIDE, REQUIRED, NULL},
    {"slippage_percent", PACIFICA_FIELD_DECIMAL_NON_NEGATIVE, REQUIRED, NULL},
    {"reduce_only", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, 0, NULL},
    {"take_profit", PACIFICA_FIELD_OBJECT, 0, order_tpsl_fields},
    {"stop_loss", PACIFICA_FIELD_OBJECT, 0, order_tpsl_fields},
    {"builder_code", PACIFICA_FIELD_TEXT, 0, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field create_order_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"price", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"side", PACIFICA_FIELD_SIDE, REQUIRED, NULL},
    {"tif", PACIFICA_FIELD_TIME_IN_FORCE, REQUIRED, NULL},
    {"reduce_only", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, 0, NULL},
    {"take_profit", PACIFICA_FIELD_OBJECT, 0, order_tpsl_fields},
    {"stop_loss", PACIFICA_FIELD_OBJECT, 0, order_tpsl_fields},
    {"builder_code", PACIFICA_FIELD_TEXT, 0, NULL},
    {NULL, 0, 0, NULL}};

/* cancel_order, cancel_stop_order, cancel_twap_order. */
static const pacifica_field cancel_by_id_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"order_id", PACIFICA_FIELD_ORDER_ID, ONE_OF_ID, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, ONE_OF_ID, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field cancel_all_orders_fields[] = {
    {"all_symbols", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {"exclude_reduce_only", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {"symbol", PACIFICA_FIELD_SYMBOL, 0, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field edit_order_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"price", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"order_id", PACIFICA_FIELD_ORDER_ID, ONE_OF_ID, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, ONE_OF_ID, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field create_stop_order_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"side", PACIFICA_FIELD_SIDE, REQUIRED, NULL},
    {"reduce_only", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {"stop_order", PACIFICA_FIELD_OBJECT, REQUIRED, stop_order_fields},
    {NULL, 0, 0, NULL}};

static const pacifica_field set_position_tpsl_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"side", PACIFICA_FIELD_SIDE, REQUIRED, NULL},
    {"take_profit", PACIFICA_FIELD_OBJECT, 0, position_tpsl_fields},
    {"stop_loss", PACIFICA_FIELD_OBJECT, 0, position_tpsl_fields},
    {NULL, 0, 0, NULL}};

static const pacifica_field update_leverage_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"leverage", PACIFICA_FIELD_POSITIVE_INTEGER, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field update_margin_mode_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"is_isolated", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field add_isolated_margin_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field create_twap_order_fields[] = {
    {"symbol", PACIFICA_FIELD_SYMBOL, REQUIRED, NULL},
    {"reduce_only", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"side", PACIFICA_FIELD_SIDE, REQUIRED, NULL},
    {"slippage_percent", PACIFICA_FIELD_DECIMAL_NON_NEGATIVE, REQUIRED, NULL},
    {"duration_in_seconds", PACIFICA_FIELD_POSITIVE_INTEGER, REQUIRED, NULL},
    {"client_order_id", PACIFICA_FIELD_UUID, 0, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field withdraw_fields[] = {
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {"idempotency_key", PACIFICA_FIELD_UUID, 0, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field transfer_funds_fields[] = {
    {"to_account", PACIFICA_FIELD_ADDRESS, REQUIRED, NULL},
    {"amount", PACIFICA_FIELD_DECIMAL_POSITIVE, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field subaccount_initiate_fields[] = {
    {"account", PACIFICA_FIELD_ADDRESS, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field subaccount_confirm_fields[] = {
    {"signature", PACIFICA_FIELD_SIGNATURE, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field agent_wallet_fields[] = {
    {"agent_wallet", PACIFICA_FIELD_ADDRESS, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field no_fields[] = {{NULL, 0, 0, NULL}};

static const pacifica_field list_ip_whitelist_fields[] = {
    {"api_agent_key", PACIFICA_FIELD_ADDRESS, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

/* The SDK names the agent "agent_wallet" when adding an IP and "api_agent_key" elsewhere;
 * the docs disagree, so either spelling is accepted (exactly one). */
static const pacifica_field whitelist_ip_fields[] = {
    {"agent_wallet", PACIFICA_FIELD_ADDRESS, ONE_OF_AGENT, NULL},
    {"api_agent_key", PACIFICA_FIELD_ADDRESS, ONE_OF_AGENT, NULL},
    {"ip_address", PACIFICA_FIELD_TEXT, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field whitelist_toggle_fields[] = {
    {"agent_wallet", PACIFICA_FIELD_ADDRESS, ONE_OF_AGENT, NULL},
    {"api_agent_key", PACIFICA_FIELD_ADDRESS, ONE_OF_AGENT, NULL},
    {"enabled", PACIFICA_FIELD_BOOLEAN, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static const pacifica_field revoke_api_key_fields[] = {
    {"api_key", PACIFICA_FIELD_TEXT, REQUIRED, NULL},
    {NULL, 0, 0, NULL}};

static int check_cancel_all_orders(const json_t *payload, char *err, size_t errcap) {
    int all_symbols = json_is_true(json_object_get(payload, "all_symbols"));
    int has_symbol = json_object_get(payload, "symbol") != NULL;
    if (all_symbols && has_symbol) {
        snprintf(err, errcap, "cancel_all_orders: symbol must be omitted when all_symbols is true");
        return -1;
    }
    if (!all_symbols && !has_symbol) {
        snprintf(err, errcap, "cancel_all_orders: symbol is required when all_symbols is false");
        return -1;
    }
    return 0;
}

static int check_set_position_tpsl(const json_t *payload, char *err, size_t errcap) {
    if (!json_object_get(payload, "take_profit") && !json_object_get(payload, "stop_loss")) {
        snprintf(err, errcap, "set_position_tpsl: give take_profit, stop_loss or both");
        return -1;
    }
    return 0;
}

static const pacifica_operation operations[] = {
    {"create_market_order", "/api/v1/orders/create_market", "create_market_order", "CreateMarket",
     PACIFICA_BODY_STANDARD, create_market_order_fields, NULL},
    {"create_order", "/api/v1/orders/create", "create_order", "Create", PACIFICA_BODY_STANDARD,
     create_order_fields, NULL},
    {"cancel_order", "/api/v1/orders/cancel", "cancel_order", "Cancel", PACIFICA_BODY_STANDARD,
     cancel_by_id_fields, NULL},
    {"cancel_all_orders", "/api/v1/orders/cancel_all", "cancel_all_orders", NULL, PACIFICA_BODY_STANDARD,
     cancel_all_orders_fields, check_cancel_all_orders},
    {"edit_order", "/api/v1/orders/edit", "edit_order", "Edit", PACIFICA_BODY_STANDARD, edit_order_fields, NULL},
    {"create_stop_order", "/api/v1/orders/stop/create", NULL, NULL, PACIFICA_BODY_STANDARD,
     create_stop_order_fields, NULL},
    {"cancel_stop_order", "/api/v1/orders/stop/cancel", NULL, "CancelStopOrder", PACIFICA_BODY_STANDARD,
     cancel_by_id_fields, NULL},
    {"set_position_tpsl", "/api/v1/positions/tpsl", NULL, "SetPositionTpsl", PACIFICA_BODY_STANDARD,
     set_position_tpsl_fields, check_set_position_tpsl},
    {"update_leverage", "/api/v1/account/leverage", NULL, NULL, PACIFICA_BODY_STANDARD, update_leverage_fields, NULL},
    {"update_margin_mode", "/api/v1/account/margin", NULL, NULL, PACIFICA_BODY_STANDARD,
     update_margin_mode_fields, NULL},
    {"add_isolated_margin", "/api/v1/positions/add_isolated_margin", NULL, NULL, PACIFICA_BODY_STANDARD,
     add_isolated_margin_fields, NULL},
    {"create_twap_order", "/api/v1/orders/twap/create", NULL, NULL, PACIFICA_BODY_STANDARD,
     create_twap_order_fields, NULL},
    {"cancel_twap_order", "/api/v1/orders/twap/cancel", NULL, NULL, PACIFICA_BODY_STANDARD,
     cancel_by_id_fields, NULL},
    {"withdraw", "/api/v1/account/withdraw", NULL, NULL, PACIFICA_BODY_STANDARD, withdraw_fields, NULL},
    {"transfer_funds", "/api/v1/account/subaccount/transfer", NULL, NULL, PACIFICA_BODY_STANDARD,
     transfer_funds_fields, NULL},
    {"subaccount_initiate", "/api/v1/account/subaccount/create", NULL, NULL, PACIFICA_BODY_NONE,
     subaccount_initiate_fields, NULL},
    {"subaccount_confirm", "/api/v1/account/subaccount/create", NULL, NULL, PACIFICA_BODY_SUBACCOUNT,
     subaccount_confirm_fields, NULL},
    {"bind_agent_wallet", "/api/v1/agent/bind", NULL, NULL, PACIFICA_BODY_BIND_AGENT, agent_wallet_fields, NULL},
    {"list_agent_wallets", "/api/v1/agent/list", NULL, NULL, PACIFICA_BODY_ADMIN, no_fields, NULL},
    {"revoke_agent_wallet", "/api/v1/agent/revoke", NULL, NULL, PACIFICA_BODY_ADMIN, agent_wallet_fields, NULL},
    {"revoke_all_agent_wallets", "/api/v1/agent/revoke_all", NULL, NULL, PACIFICA_BODY_ADMIN, no_fields, NULL},
    {"list_agent_ip_whitelist", "/api/v1/agent/ip_whitelist/list", NULL, NULL, PACIFICA_BODY_ADMIN,
     list_ip_whitelist_fields, NULL},
    {"add_agent_whitelisted_ip", "/api/v1/agent/ip_whitelist/add", NULL, NULL, PACIFICA_BODY_ADMIN,
     whitelist_ip_fields, NULL},
    {"remove_agent_whitelisted_ip", "/api/v1/agent/ip_whitelist/remove", NULL, NULL, PACIFICA_BODY_ADMIN,
     whitelist_ip_fields, NULL},
    {"set_agent_ip_whitelist_enabled", "/api/v1/agent/ip_whitelist/toggle", NULL, NULL, PACIFICA_BODY_ADMIN,
     whitelist_toggle_fields, NULL},
    {"create_api_key", "/api/v1/account/api_keys/create", NULL, NULL, PACIFICA_BODY_ADMIN, no_fields, NULL},
    {"list_api_keys", "/api/v1/account/api_keys", NULL, NULL, PACIFICA_BODY_ADMIN, no_fields, NULL},
    {"revoke_api_key", "/api/v1/account/api_keys/revoke", NULL, NULL, PACIFICA_BODY_ADMIN,
     revoke_api_key_fields, NULL},
};

#define OPERATION_COUNT (sizeof operations / sizeof operations[0])

const pacifica_operation *pacifica_operation_find(const char *type) {
    if (!type) return NULL;
    for (size_t i = 0; i < OPERATION_COUNT; i++)
        if (strcmp(operations[i].type, type) == 0) return &operations[i];
    return NULL;
}

const pacifica_operation *pacifica_operation_find_batch_action(const char *batch_action) {
    if (!batch_action) return NULL;
    for (size_t i = 0; i < OPERATION_COUNT; i++)
        if (operations[i].batch_action && strcmp(operations[i].batch_action, batch_action) == 0)
            return &operations[i];
    return NULL;
}

const pacifica_operation *pacifica_operation_list(size_t *count) {
    if (count) *count = OPERATION_COUNT;
    return operations;
}

int pacifica_is_plain_decimal(const char *text, size_t length, int allow_zero) {
    if (!text || length == 0 || length > 64) return 0;
    size_t i = 0, integer_digits = 0, fraction_digits = 0;
    int nonzero = 0;
    while (i < length && text[i] >= '0' && text[i] <= '9') { nonzero |= text[i] != '0'; i++; integer_digits++; }
    if (integer_digits == 0) return 0;
    if (integer_digits > 1 && text[0] == '0') return 0; /* leading zero */
    if (i < length && text[i] == '.') {
        i++;
        while (i < length && text[i] >= '0' && text[i] <= '9') { nonzero |= text[i] != '0'; i++; fraction_digits++; }
        if (fraction_digits == 0) return 0;
    }
    if (i != length) return 0;
    return allow_zero || nonzero;
}

int pacifica_is_uuid(const char *text, size_t length) {
    if (!text || length != 36) return 0;
    for (size_t i = 0; i < 36; i++) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

static int is_symbol(const char *text, size_t length) {
    if (length == 0 || length > 32) return 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.';
        if (!ok) return 0;
    }
    return 1;
}

static int is_printable_text(const char *text, size_t length) {
    if (length == 0 || length > 128) return 0;
    for (size_t i = 0; i < length; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E) return 0;
    return 1;
}

static int is_one_of(const char *text, const char *const *choices) {
    for (; *choices; choices++)
        if (strcmp(text, *choices) == 0) return 1;
    return 0;
}

static int base58_length_is(const char *text, size_t length, long expected) {
    uint8_t bytes[PACIFICA_BASE58_MAX_BYTES];
    long n = pacifica_base58_decode(text, length, bytes, sizeof bytes, NULL, 0);
    return n == expected;
}

static const char *json_kind_name(const json_t *value) {
    switch (json_typeof(value)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a floating-point number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "an unknown value";
}

static int validate_object(const char *type, const char *prefix, const pacifica_field *fields,
                           const json_t *object, char *err, size_t errcap);

/* Where a value sits: "create_order: take_profit.stop_price", rendered only for a message (the
 * signing hot path validates every field of every order and must not format names it will
 * not print). */
typedef struct field_place {
    const char *type, *prefix, *dot, *key;
} field_place;

static const char *place_text(const field_place *at, char *buffer, size_t cap) {
    snprintf(buffer, cap, "%s: %s%s%s", at->type, at->prefix, at->dot, at->key);
    return buffer;
}

/* Checks one present value. */
static int validate_value(const field_place *at, const pacifica_field *field, const json_t *value, const char *type,
                          char *err, size_t errcap) {
    char where_buffer[192];
/* The place, rendered on the failure paths only. */
#define WHERE place_text(at, where_buffer, sizeof where_buffer)
    static const char *const sides[] = {"bid", "ask", NULL};
    static const char *const tifs[] = {"GTC", "IOC", "ALO", "TOB", NULL};
    static const char *const triggers[] = {"mark_price", "last_trade_price", "mid_price", NULL};
    const char *text = json_is_string(value) ? json_string_value(value) : NULL;
    size_t length = text ? json_string_length(value) : 0;
    /* Embedded NULs would make the C string and the JSON string differ. */
    if (text && strlen(text) != length) {
        snprintf(err, errcap, "%s contains a NUL character", WHERE);
        return -1;
    }
    switch (field->kind) {
    case PACIFICA_FIELD_SYMBOL:
        if (text && is_symbol(text, length)) return 0;
        snprintf(err, errcap, "%s must be a market symbol such as \"BTC\" (found %s)", WHERE,
                 text ? "an invalid string" : json_kind_name(value));
        return -1;
    case PACIFICA_FIELD_DECIMAL_POSITIVE:
    case PACIFICA_FIELD_DECIMAL_NON_NEGATIVE: {
        int allow_zero = field->kind == PACIFICA_FIELD_DECIMAL_NON_NEGATIVE;
        if (text && pacifica_is_plain_decimal(text, length, allow_zero)) return 0;
        if (text && pacifica_is_plain_decimal(text, length, 1)) {
            snprintf(err, errcap, "%s must be greater than zero (found \"%s\")", WHERE, text);
        } else if (text) {
            snprintf(err, errcap, "%s must be a plain decimal string such as \"0.1\": digits, at most one '.', "
                     "no sign, exponent, spaces or leading zeros (found \"%.40s\")", WHERE, text);
        } else {
            snprintf(err, errcap, "%s must be a decimal string such as \"0.1\" (found %s; numbers are never "
                     "sent as floats)", WHERE, json_kind_name(value));
        }
        return -1;
    }
    case PACIFICA_FIELD_SIDE:
        if (text && is_one_of(text, sides)) return 0;
        snprintf(err, errcap, "%s must be \"bid\" or \"ask\"", WHERE);
        return -1;
    case PACIFICA_FIELD_TIME_IN_FORCE:
        if (text && is_one_of(text, tifs)) return 0;
        snprintf(err, errcap, "%s must be one of \"GTC\", \"IOC\", \"ALO\", \"TOB\"", WHERE);
        return -1;
    case PACIFICA_FIELD_TRIGGER_PRICE_TYPE:
        if (text && is_one_of(text, triggers)) return 0;
        snprintf(err, errcap, "%s must be one of \"mark_price\", \"last_trade_price\", \"mid_price\"", WHERE);
        return -1;
    case PACIFICA_FIELD_UUID:
        if (text && pacifica_is_uuid(text, length)) return 0;
        snprintf(err, errcap, "%s must be a lower-case UUID such as \"3c396af3-ff65-4de4-ab4d-7950b0b1942a\" "
                 "(found %s)", WHERE, text ? "another string" : json_kind_name(value));
        return -1;
    case PACIFICA_FIELD_BOOLEAN:
        if (json_is_boolean(value)) return 0;
        snprintf(err, errcap, "%s must be true or false (found %s)", WHERE, json_kind_name(value));
        return -1;
    case PACIFICA_FIELD_ORDER_ID:
    case PACIFICA_FIELD_POSITIVE_INTEGER: {
        json_int_t minimum = field->kind == PACIFICA_FIELD_ORDER_ID ? 0 : 1;
        if (json_is_integer(value) && json_integer_value(value) >= minimum) return 0;
        const char *rule = minimum ? "an integer >= 1" : "a non-negative integer";
        if (json_is_integer(value))
            snprintf(err, errcap, "%s must be %s (found %" JSON_INTEGER_FORMAT ")", WHERE, rule, json_integer_value(value));
        else
            snprintf(err, errcap, "%s must be %s (found %s)", WHERE, rule, json_kind_name(value));
        return -1;
    }
    case PACIFICA_FIELD_ADDRESS:
        if (text && base58_length_is(text, length, 32)) return 0;
        snprintf(err, errcap, "%s must be a base58 Solana address (32 bytes)", WHERE);
        return -1;
    case PACIFICA_FIELD_SIGNATURE:
        if (text && base58_length_is(text, length, 64)) return 0;
        snprintf(err, errcap, "%s must be a base58 Ed25519 signature (64 bytes)", WHERE);
        return -1;
    case PACIFICA_FIELD_TEXT:
        if (text && is_printable_text(text, length)) return 0;
        snprintf(err, errcap, "%s must be 1 to 128 printable ASCII characters (found %s)", WHERE,
                 text ? "another string" : json_kind_name(value));
        return -1;
    case PACIFICA_FIELD_OBJECT: {
        char nested[160];
        snprintf(nested, sizeof nested, "%s%s%s", at->prefix, at->dot, at->key);
        return validate_object(type, nested, field->members, value, err, errcap);
    }
    }
    snprintf(err, errcap, "%s has an unknown field kind", WHERE);
    return -1;
#undef WHERE
}

static int validate_object(const char *type, const char *prefix, const pacifica_field *fields,
                           const json_t *object, char *err, size_t errcap) {
    const char *dot = prefix && *prefix ? "." : "";
    if (!prefix) prefix = "";
    if (!json_is_object(object)) {
        snprintf(err, errcap, "%s: %s must be an object (found %s)", type, *prefix ? prefix : "payload",
                 object ? json_kind_name(object) : "nothing");
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value) {
        const pacifica_field *field = fields;
        while (field->name && strcmp(field->name, key) != 0) field++;
        if (!field->name) {
            char allowed[512] = "";
            size_t used = 0;
            for (const pacifica_field *f = fields; f->name && used < sizeof allowed; f++) {
                int n = snprintf(allowed + used, sizeof allowed - used, "%s%s", used ? ", " : "", f->name);
                if (n > 0) used += (size_t)n;
            }
            snprintf(err, errcap, "%s: unknown field \"%s%s%.64s\" (allowed: %s)", type, prefix, dot, key,
                     used ? allowed : "none");
            return -1;
        }
        field_place at = {type, prefix, dot, key};
        if (json_is_null(value)) {
            char where[192];
            snprintf(err, errcap, "%s must not be null (leave an optional field out instead)",
                     place_text(&at, where, sizeof where));
            return -1;
        }
        if (validate_value(&at, field, value, type, err, errcap) != 0) return -1;
    }
    for (const pacifica_field *field = fields; field->name; field++) {
        if ((field->flags & REQUIRED) && !json_object_get(object, field->name)) {
            snprintf(err, errcap, "%s: %s%s%s is required", type, prefix, dot, field->name);
            return -1;
        }
    }
    for (unsigned group = 1; group <= MAX_GROUP; group++) {
        int members = 0, present = 0;
        for (const pacifica_field *field = fields; field->name; field++) {
            if ((field->flags >> PACIFICA_FIELD_GROUP_SHIFT) != group) continue;
            members++;
            present += json_object_get(object, field->name) != NULL;
        }
        if (members && present != 1) {
            char names[256] = "";
            size_t used = 0;
            for (const pacifica_field *field = fields; field->name; field++) {
                if ((field->flags >> PACIFICA_FIELD_GROUP_SHIFT) != group) continue;
                int n = snprintf(names + used, sizeof names - used, "%s%s", used ? " or " : "", field->name);
                if (n > 0 && (size_t)n < sizeof names - used) used += (size_t)n;
            }
            snprintf(err, errcap, "%s: give %s one of %s", type, present ? "only" : "exactly", names);
            return -1;
        }
    }
    return 0;
}

int pacifica_operation_validate(const pacifica_operation *operation, const json_t *payload, char *err,
                                size_t errcap) {
    char scratch[8];
    if (!err) { err = scratch; errcap = sizeof scratch; }
    if (!operation) {
        snprintf(err, errcap, "unknown operation");
        return -1;
    }
    if (validate_object(operation->type, "", operation->fields, payload, err, errcap) != 0) return -1;
    return operation->check ? operation->check(payload, err, errcap) : 0;
}
