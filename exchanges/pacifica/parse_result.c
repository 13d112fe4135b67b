/* Pacifica envelopes, results of signed calls, error bodies and WebSocket frames (see parse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/parse.h"
#include "exchanges/pacifica/parse_fields.h"

/* "error" is text in every documented shape; anything else is kept as its JSON text so the
 * caller still sees what the venue said. */
static int read_error_text(const json_t *object, char *out, size_t cap, const jfield_where *where) {
    const json_t *value = pf_member(object, "error", "err");
    out[0] = '\0';
    if (!value || json_is_null(value)) return 0;
    if (json_is_string(value)) {
        snprintf(out, cap, "%s", json_string_value(value));
        return 0;
    }
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) return jfield_fail(where, "error", "cannot be read");
    snprintf(out, cap, "%s", text);
    free(text);
    return 0;
}

int pacifica_parse_envelope(const json_t *root, pacifica_envelope *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "response", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(root)) return jfield_fail(&where, NULL, "is not a JSON object");
    const json_t *success = json_object_get(root, "success");
    if (success && !json_is_null(success)) {
        if (!json_is_boolean(success)) return jfield_fail(&where, "success", "is not true or false");
        out->has_success = 1;
        out->success = json_is_true(success);
    }
    pacifica_optional_int code;
    if (pf_int(root, "code", NULL, &code, JFIELD_OPTIONAL, &where) ||
        read_error_text(root, out->error, sizeof out->error, &where) ||
        pf_text(root, "next_cursor", NULL, out->next_cursor, sizeof out->next_cursor, JFIELD_OPTIONAL, &where) ||
        pf_bool(root, "has_more", NULL, &out->has_more, JFIELD_OPTIONAL, &where) ||
        pf_int(root, "last_order_id", NULL, &out->last_order_id, JFIELD_OPTIONAL, &where))
        return -1;
    out->has_code = code.present;
    out->code = code.value;
    out->has_more_present = json_is_boolean(json_object_get(root, "has_more"));
    out->data = json_object_get(root, "data");
    out->data_is_null = out->data && json_is_null(out->data);
    return 0;
}

static int parse_action_results(const json_t *list, pacifica_action_result **results, size_t *count,
                                char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "results", err, errcap);
    if (pf_list(list, count, &where) != 0 || jfield_alloc_items((void **)results, *count, sizeof **results, &where) != 0)
        return -1;
    for (size_t i = 0; i < *count; i++) {
        jfield_where at;
        jfield_where_item(&at, "results", i, err, errcap);
        const json_t *item = json_array_get(list, i);
        pacifica_action_result *result = &(*results)[i];
        if (!json_is_object(item)) return jfield_fail(&at, NULL, "is not an object");
        if (pf_bool(item, "success", NULL, &result->success, JFIELD_REQUIRED, &at) ||
            pf_int(item, "order_id", "i", &result->order_id, JFIELD_OPTIONAL, &at) ||
            read_error_text(item, result->error, sizeof result->error, &at))
            return -1;
    }
    return 0;
}

int pacifica_parse_order_result(const json_t *root, pacifica_order_result *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    if (pacifica_parse_envelope(root, &out->envelope, err, errcap) != 0) return -1;
    jfield_where where;
    jfield_where_init(&where, "data", err, errcap);
    const json_t *data = out->envelope.data;
    int rc = 0;
    if (json_is_object(data)) {
        /* Production clients read data.order_id; XEMM also saw data.i. */
        rc = pf_int(data, "order_id", "i", &out->order_id, JFIELD_OPTIONAL, &where) ||
             pf_int(data, "cancelled_count", NULL, &out->cancelled_count, JFIELD_OPTIONAL, &where);
        const json_t *results = json_object_get(data, "results");
        if (rc == 0 && results)
            rc = parse_action_results(results, &out->results, &out->result_count, err, errcap);
    } else if (data && !json_is_null(data)) {
        rc = jfield_fail(&where, NULL, "is neither an object nor null");
    }
    /* The docs show a bare {"order_id": 12345}. */
    if (rc == 0 && !out->order_id.present) {
        jfield_where top;
        jfield_where_init(&top, "response", err, errcap);
        rc = pf_int(root, "order_id", NULL, &out->order_id, JFIELD_OPTIONAL, &top);
    }
    if (rc != 0) pacifica_order_result_free(out);
    return rc ? -1 : 0;
}

void pacifica_order_result_free(pacifica_order_result *result) {
    free(result->results);
    result->results = NULL;
    result->result_count = 0;
}

int pacifica_parse_ws_answer(const json_t *root, pacifica_ws_answer *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "ws_answer", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(root)) return jfield_fail(&where, NULL, "is not a JSON object");
    pacifica_optional_int code;
    int rc = pf_int(root, "code", NULL, &code, JFIELD_REQUIRED, &where) ||
             pf_text(root, "id", NULL, out->request_id, sizeof out->request_id, JFIELD_OPTIONAL, &where) ||
             pf_text(root, "type", NULL, out->type, sizeof out->type, JFIELD_OPTIONAL, &where) ||
             pf_int(root, "t", NULL, &out->timestamp, JFIELD_OPTIONAL, &where) ||
             read_error_text(root, out->error, sizeof out->error, &where);
    out->code = code.value;
    const json_t *data = json_object_get(root, "data");
    if (rc == 0 && json_is_object(data)) {
        jfield_where inner;
        jfield_where_init(&inner, "ws_answer.data", err, errcap);
        rc = pf_int(data, "i", "order_id", &out->order_id, JFIELD_OPTIONAL, &inner) ||
             pf_text(data, "I", "client_order_id", out->client_order_id, sizeof out->client_order_id, JFIELD_OPTIONAL,
                     &inner) ||
             pf_text(data, "s", "symbol", out->symbol, sizeof out->symbol, JFIELD_OPTIONAL, &inner) ||
             pf_int(data, "cancelled_count", NULL, &out->cancelled_count, JFIELD_OPTIONAL, &inner);
        const json_t *results = json_object_get(data, "results");
        if (rc == 0 && results) rc = parse_action_results(results, &out->results, &out->result_count, err, errcap);
    }
    if (rc != 0) pacifica_ws_answer_free(out);
    return rc ? -1 : 0;
}

void pacifica_ws_answer_free(pacifica_ws_answer *answer) {
    free(answer->results);
    answer->results = NULL;
    answer->result_count = 0;
}

/* ---- errors ----------------------------------------------------------------------------- */

static int mentions(const char *text, const char *needle) {
    return strcasestr(text, needle) != NULL;
}

/* Business codes of 422 bodies (spec §8): 1 ACCOUNT_NOT_FOUND, 2 BOOK_NOT_FOUND,
 * 4 INSUFFICIENT_BALANCE, 5 ORDER_NOT_FOUND, 6 OVER_WITHDRAWAL; the rest are refused parameters. */
static venue_error_kind business_kind(int64_t code) {
    switch (code) {
    case 1: return VENUE_ERROR_AUTH;
    case 2: return VENUE_ERROR_BAD_SYMBOL;
    case 4: case 6: return VENUE_ERROR_INSUFFICIENT_FUNDS;
    case 5: return VENUE_ERROR_ORDER_NOT_FOUND;
    default: return VENUE_ERROR_INVALID_ORDER;
    }
}

/* DESIGN §5 kinds from the status and the venue's words (spec §8). The status decides first
 * where it is unambiguous; the texts cover the bodies that come with a plain 400. */
static venue_error_kind error_kind(int status, int has_code, int64_t code, const char *message) {
    if (status == 429 || mentions(message, "rate limit")) return VENUE_ERROR_RATE_LIMITED;
    if (status == 501) return VENUE_ERROR_NOT_SUPPORTED;
    if (status >= 500) return VENUE_ERROR_UNAVAILABLE;
    if (status == 401 || status == 403 || mentions(message, "Verification failed") ||
        mentions(message, "Invalid signature") || mentions(message, "Invalid public key") ||
        mentions(message, "Unauthorized") || mentions(message, "Invalid message") ||
        mentions(message, "Account not found"))
        return VENUE_ERROR_AUTH;
    if (mentions(message, "Order not found")) return VENUE_ERROR_ORDER_NOT_FOUND;
    if (mentions(message, "Insufficient")) return VENUE_ERROR_INSUFFICIENT_FUNDS;
    if (mentions(message, "Book not found") || mentions(message, "Market not found")) return VENUE_ERROR_BAD_SYMBOL;
    if (status == 422 && has_code) return business_kind(code);
    if (status == 404 && (mentions(message, "symbol") || mentions(message, "market"))) return VENUE_ERROR_BAD_SYMBOL;
    if (status >= 400 && status < 500) return VENUE_ERROR_INVALID_ORDER;
    /* A 2xx that still carries an error (success:false) is a refusal too. */
    if (status >= 200 && status < 300) return VENUE_ERROR_INVALID_ORDER;
    return VENUE_ERROR_BAD_RESPONSE;
}

void pacifica_parse_error_body(const char *body, size_t length, int http_status, venue_error *out) {
    memset(out, 0, sizeof *out);
    json_error_t json_error;
    json_t *root = body && length ? json_loadb(body, length, 0, &json_error) : NULL;
    const char *text = NULL;
    size_t text_length = 0;
    if (json_is_object(root)) {
        const json_t *message = pf_member(root, "error", "err");
        if (!json_is_string(message)) message = json_object_get(root, "message");
        if (json_is_string(message)) {
            text = json_string_value(message);
            text_length = json_string_length(message);
        }
        const json_t *code = json_object_get(root, "code");
        if (json_is_integer(code)) {
            out->has_code = 1;
            out->code = (int64_t)json_integer_value(code);
        }
    }
    if (!text_length && body) {
        /* Bare text such as "Verification failed". */
        text = body;
        text_length = length;
    }
    char empty[48];
    if (!text_length) {
        snprintf(empty, sizeof empty, "HTTP %d with an empty body", http_status);
        text = empty;
        text_length = strlen(empty);
    }
    /* The message first (cleaned to one printable line), then the kind read from it. */
    venue_error_set(out, VENUE_ERROR_NONE, http_status, text, text_length);
    json_decref(root);
    venue_error_kind kind = error_kind(http_status, out->has_code, out->code, out->message);
    out->kind = kind;
    out->retryable = venue_error_kind_is_retryable(kind);
}

/* ---- WebSocket frames ------------------------------------------------------------------- */

int pacifica_parse_ws_message(const json_t *root, pacifica_ws_message *out, char *err, size_t errcap) {
    jfield_where where;
    jfield_where_init(&where, "ws_message", err, errcap);
    memset(out, 0, sizeof *out);
    if (!json_is_object(root)) return jfield_fail(&where, NULL, "is not a JSON object");
    if (json_object_get(root, "channel")) {
        if (pf_text(root, "channel", NULL, out->channel, sizeof out->channel, JFIELD_REQUIRED, &where)) return -1;
        out->data = json_object_get(root, "data");
        return 0;
    }
    if (json_object_get(root, "code") && (json_object_get(root, "id") || json_object_get(root, "type") ||
                                          json_object_get(root, "error") || json_object_get(root, "err"))) {
        out->is_trading_answer = 1;
        out->data = json_object_get(root, "data");
        return 0;
    }
    return jfield_fail(&where, NULL, "has neither a channel nor a trading answer's code");
}
