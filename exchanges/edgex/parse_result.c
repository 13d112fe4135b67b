/* edgeX envelopes, pages, results of private POSTs, error classification and WebSocket frames
 * (see parse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exchanges/edgex/parse.h"
#include "exchanges/edgex/parse_fields.h"

/* ---- envelope and pages --------------------------------------------------------------------- */

int edgex_parse_envelope(const json_t *root, edgex_envelope *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "response", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(root)) return jfield_fail(&where, NULL, "is not a JSON object");
    if (edgex_field_text(root, "code", out->code, sizeof out->code, JFIELD_REQUIRED, &where) ||
        edgex_field_int(root, "requestTime", &out->request_time, JFIELD_OPTIONAL, &where) ||
        edgex_field_int(root, "responseTime", &out->response_time, JFIELD_OPTIONAL, &where) ||
        edgex_field_text(root, "traceId", out->trace_id, sizeof out->trace_id, JFIELD_OPTIONAL, &where))
        return -1;
    const json_t *msg = json_object_get(root, "msg");
    if (json_is_string(msg)) {
        snprintf(out->msg, sizeof out->msg, "%s", json_string_value(msg));
    } else if (msg && !json_is_null(msg)) {
        return jfield_fail(&where, "msg", "is neither a string nor null");
    }
    const json_t *param = json_object_get(root, "errorParam");
    out->error_param = param && !json_is_null(param) ? param : NULL;
    out->data = json_object_get(root, "data");
    out->data_is_null = out->data && json_is_null(out->data);
    out->success = strcmp(out->code, "SUCCESS") == 0;
    return 0;
}

int edgex_parse_page(const json_t *data, edgex_page *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "page", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    const json_t *list = json_object_get(data, "dataList");
    size_t count;
    if (edgex_field_list(list, "dataList", &count, JFIELD_REQUIRED, &where) != 0 ||
        edgex_field_text(data, "nextPageOffsetData", out->next_offset, sizeof out->next_offset, JFIELD_OPTIONAL, &where))
        return -1;
    /* The cursor goes back into a signed query string: only the characters that need no
     * encoding (spec §6.1), which the venue's hex cursors are. */
    size_t length = strlen(out->next_offset);
    if (strspn(out->next_offset, "0123456789ABCDEFabcdef-_.") != length)
        return jfield_fail(&where, "nextPageOffsetData", "is not a plain cursor");
    out->list = list;
    return 0;
}

/* ---- results of private POSTs --------------------------------------------------------------- */

int edgex_parse_create_order(const json_t *data, edgex_id_text *order_id, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "createOrder", err, errcap);
    order_id->text[0] = '\0';
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    return edgex_field_id(data, "orderId", order_id, JFIELD_REQUIRED, &where);
}

int edgex_parse_cancel_result(const json_t *data, edgex_cancel_result *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "cancel", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(data)) return jfield_fail(&where, NULL, "is not an object");
    const json_t *map = json_object_get(data, "cancelResultMap");
    jfield_where at;
    jfield_where_nested_member(&at, &where, "cancelResultMap");
    if (!map || json_is_null(map)) return jfield_fail(&at, NULL, "is missing");
    if (!json_is_object(map)) return jfield_fail(&at, NULL, "is not an object");
    size_t count = json_object_size(map), i = 0;
    if (jfield_alloc_items((void **)&out->items, count, sizeof *out->items, &at) != 0) return -1;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)map, key, value) {
        edgex_cancel_entry *e = &out->items[i];
        if (strlen(key) >= sizeof e->id || !json_is_string(value) || json_string_length(value) >= sizeof e->result) {
            edgex_cancel_result_free(out);
            return jfield_fail(&at, NULL, "has an entry that is not \"<id>\": \"<result>\"");
        }
        snprintf(e->id, sizeof e->id, "%s", key);
        snprintf(e->result, sizeof e->result, "%s", json_string_value(value));
        e->ok = strncmp(e->result, "SUCCESS", 7) == 0;
        out->count = ++i;
    }
    return 0;
}

void edgex_cancel_result_free(edgex_cancel_result *result) {
    free(result->items);
    result->items = NULL;
    result->count = 0;
}

/* ---- errors --------------------------------------------------------------------------------- */

static int has(const char *text, const char *needle) {
    return text && strcasestr(text, needle) != NULL;
}

venue_error_kind edgex_error_kind(const char *code, const char *message, int status) {
    if (status == 429 || has(code, "RATE_LIMIT") || has(code, "TOO_MANY")) return VENUE_ERROR_RATE_LIMITED;
    if (status == 501 || has(code, "NOT_SIMULATED") || has(code, "NOT_SUPPORT")) return VENUE_ERROR_NOT_SUPPORTED;
    if (status >= 500 || has(code, "INTERNAL") || has(code, "SERVICE_UNAVAILABLE") || has(code, "MAINTENANCE"))
        return VENUE_ERROR_UNAVAILABLE;
    /* Credentials, request signatures, clock and the order's L2 signature (V.4, V.5; the
     * third party saw INVALID_API_KEY with 401 and clock refusals naming TIMESTAMP/EXPIRE). */
    if (status == 401 || status == 403 || has(code, "API_KEY") || has(code, "PASSPHRASE") ||
        has(code, "SIGNATURE") || has(code, "TIMESTAMP") || has(code, "REQUEST_EXPIRE") ||
        has(code, "HEADER_REQUIRED") || has(code, "ACCOUNT_NOT_FOUND") || has(code, "UNAUTHORIZED"))
        return VENUE_ERROR_AUTH;
    if (has(code, "ORDER_NOT_FOUND") || has(code, "ORDER_NOT_EXIST")) return VENUE_ERROR_ORDER_NOT_FOUND;
    if (has(code, "INSUFFICIENT") || has(code, "NOT_ENOUGH") || has(message, "insufficient"))
        return VENUE_ERROR_INSUFFICIENT_FUNDS;
    if (has(code, "CONTRACT_ID") || has(code, "CONTRACT_NOT") || (has(message, "contract") && has(message, "not found")))
        return VENUE_ERROR_BAD_SYMBOL;
    if (status == 404) return VENUE_ERROR_NOT_SUPPORTED;   /* no such endpoint on this host */
    if ((status >= 200 && status < 300) || (status >= 400 && status < 500)) return VENUE_ERROR_INVALID_ORDER;
    return VENUE_ERROR_BAD_RESPONSE;
}

void edgex_parse_error_body(const char *body, size_t length, int http_status, venue_error *out, char *code_name,
                            size_t code_cap) {
    memset(out, 0, sizeof *out);
    if (code_name && code_cap) code_name[0] = '\0';
    json_error_t json_error;
    json_t *root = body && length ? json_loadb(body, length, 0, &json_error) : NULL;
    char text[VENUE_ERROR_MESSAGE_CAP] = "";
    char code[EDGEX_NAME_CAP] = "";
    const json_t *code_value = json_object_get(root, "code");
    const json_t *msg_value = json_object_get(root, "msg");
    if (json_is_string(code_value)) snprintf(code, sizeof code, "%s", json_string_value(code_value));
    if (code[0] && json_is_string(msg_value) && json_string_length(msg_value))
        snprintf(text, sizeof text, "%s: %s", code, json_string_value(msg_value));
    else if (code[0])
        snprintf(text, sizeof text, "%s", code);
    else if (json_is_string(msg_value))
        snprintf(text, sizeof text, "%s", json_string_value(msg_value));
    if (!text[0] && body && length) {
        /* A gateway's HTML or a bare text: its first non-empty line says what happened. */
        size_t start = 0, end;
        while (start < length && (body[start] == '\r' || body[start] == '\n' || body[start] == ' ')) start++;
        for (end = start; end < length && body[end] != '\r' && body[end] != '\n'; end++) {}
        snprintf(text, sizeof text, "HTTP %d: %.*s", http_status, (int)(end - start), body + start);
    }
    if (!text[0]) snprintf(text, sizeof text, "HTTP %d with an empty body", http_status);
    venue_error_kind kind = edgex_error_kind(code, json_is_string(msg_value) ? json_string_value(msg_value) : NULL,
                                             http_status);
    /* A 2xx that is not the envelope cannot be read, whatever the status says. */
    if (!code[0] && http_status >= 200 && http_status < 300) kind = VENUE_ERROR_BAD_RESPONSE;
    venue_error_set(out, kind, http_status, text, strlen(text));
    if (code_name && code_cap) snprintf(code_name, code_cap, "%s", code);
    json_decref(root);
}

/* ---- WebSocket frames ----------------------------------------------------------------------- */

const char *edgex_channel_kind(const char *channel) {
    static const struct { const char *prefix, *kind; } kinds[] = {
        {"depth.", "depth"}, {"ticker.", "ticker"}, {"fundingRate.", "funding"}, {"trades.", "trades"},
    };
    if (!channel) return NULL;
    if (strcmp(channel, "metadata") == 0) return "metadata";
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(channel, kinds[i].prefix, strlen(kinds[i].prefix)) == 0) return kinds[i].kind;
    return NULL;
}

/* ping/pong "time": a string on the wire; a number is kept as its digits. */
static int read_time_text(const json_t *root, char *out, size_t cap, const jfield_where *where) {
    const json_t *t = json_object_get(root, "time");
    out[0] = '\0';
    if (!t || json_is_null(t)) return 0;
    if (json_is_integer(t)) {
        snprintf(out, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(t));
        return 0;
    }
    return edgex_field_text(root, "time", out, cap, JFIELD_OPTIONAL, where);
}

static int parse_quote(const json_t *root, edgex_ws_message *out, const jfield_where *where) {
    const json_t *content = json_object_get(root, "content");
    jfield_where c;
    jfield_where_nested_member(&c, where, "content");
    if (edgex_field_text(root, "channel", out->channel, sizeof out->channel, JFIELD_OPTIONAL, where) != 0) return -1;
    if (!json_is_object(content)) return jfield_fail(&c, NULL, "is not an object");
    if (edgex_field_text(content, "dataType", out->data_type, sizeof out->data_type, JFIELD_OPTIONAL, &c) != 0) return -1;
    if (!out->channel[0] &&
        edgex_field_text(content, "channel", out->channel, sizeof out->channel, JFIELD_REQUIRED, &c) != 0)
        return -1;
    out->is_snapshot = strcasecmp(out->data_type, "Snapshot") == 0;
    out->data = json_object_get(content, "data");
    if (!json_is_array(out->data)) return jfield_fail(&c, "data", "is not a list");
    return 0;
}

static int parse_trade_event(const json_t *root, edgex_ws_message *out, const jfield_where *where) {
    const json_t *content = json_object_get(root, "content");
    jfield_where c;
    jfield_where_nested_member(&c, where, "content");
    if (!json_is_object(content)) return jfield_fail(&c, NULL, "is not an object");
    if (edgex_field_text(content, "event", out->event, sizeof out->event, JFIELD_REQUIRED, &c) ||
        edgex_field_int(content, "version", &out->version, JFIELD_OPTIONAL, &c))
        return -1;
    out->is_snapshot = strcasecmp(out->event, "Snapshot") == 0;
    out->data = json_object_get(content, "data");
    if (!json_is_object(out->data)) return jfield_fail(&c, "data", "is not an object");
    return 0;
}

static int parse_error_frame(const json_t *root, edgex_ws_message *out, const jfield_where *where) {
    const json_t *content = json_object_get(root, "content");
    const json_t *from = json_is_object(content) ? content : root;
    const json_t *code = json_object_get(from, "code"), *msg = json_object_get(from, "msg");
    (void)where;
    if (json_is_string(code)) snprintf(out->error_code, sizeof out->error_code, "%s", json_string_value(code));
    if (json_is_string(msg)) snprintf(out->error_msg, sizeof out->error_msg, "%s", json_string_value(msg));
    if (!out->error_code[0] && !out->error_msg[0]) snprintf(out->error_msg, sizeof out->error_msg, "error frame without a message");
    return 0;
}

int edgex_parse_ws_message(const json_t *root, edgex_ws_message *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "ws_message", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(root)) return jfield_fail(&where, NULL, "is not a JSON object");
    if (edgex_field_text(root, "type", out->type_text, sizeof out->type_text, JFIELD_REQUIRED, &where) != 0) return -1;
    const char *t = out->type_text;
    if (!strcmp(t, "quote-event") || !strcmp(t, "payload")) {
        out->type = EDGEX_WS_QUOTE;
        return parse_quote(root, out, &where);
    }
    if (!strcmp(t, "trade-event")) {
        out->type = EDGEX_WS_TRADE_EVENT;
        return parse_trade_event(root, out, &where);
    }
    if (!strcmp(t, "ping") || !strcmp(t, "pong")) {
        out->type = !strcmp(t, "ping") ? EDGEX_WS_PING : EDGEX_WS_PONG;
        return read_time_text(root, out->time, sizeof out->time, &where);
    }
    if (!strcmp(t, "subscribed") || !strcmp(t, "unsubscribed")) {
        out->type = !strcmp(t, "subscribed") ? EDGEX_WS_SUBSCRIBED : EDGEX_WS_UNSUBSCRIBED;
        return edgex_field_text(root, "channel", out->channel, sizeof out->channel, JFIELD_OPTIONAL, &where);
    }
    if (!strcmp(t, "connected")) {
        out->type = EDGEX_WS_CONNECTED;
        return 0;
    }
    if (!strcmp(t, "error")) {
        out->type = EDGEX_WS_ERROR;
        return parse_error_frame(root, out, &where);
    }
    out->type = EDGEX_WS_OTHER;   /* a new frame type is not an error; the caller ignores it */
    return 0;
}
