/* Lighter envelopes, errors, WebSocket frame headers, nextNonce, apikeys and tx answers
 * (parse.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/json_exact.h"
#include "exchanges/lighter/parse.h"
#include "exchanges/lighter/parse_fields.h"

int lighter_parse_envelope(const json_t *root, lighter_envelope *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_int(root, "code", &out->code, JFIELD_OPTIONAL, &w) != 0) return -1;
    const json_t *message = json_object_get(root, "message");
    if (json_is_string(message)) snprintf(out->message, sizeof out->message, "%s", json_string_value(message));
    return 0;
}

/* ---- errors ---------------------------------------------------------------------------------- */

venue_error_kind lighter_error_kind(int64_t code, int http_status, int cancelling) {
    switch (code) {
    case 21108: case 21109: case 21110: case 21120: case 21126: case 21136: case 20013:
        return VENUE_ERROR_AUTH;
    case 21301: case 21507: case 21508: case 21739:
        return VENUE_ERROR_INSUFFICIENT_FUNDS;
    case 21506:
        return VENUE_ERROR_RATE_LIMITED;
    case 21602:
        return VENUE_ERROR_BAD_SYMBOL;
    case 21700:
        return cancelling ? VENUE_ERROR_ORDER_NOT_FOUND : VENUE_ERROR_INVALID_ORDER;
    case 29500: case 29501:
        return VENUE_ERROR_UNAVAILABLE;
    case 30009: case 30010:
        return VENUE_ERROR_RATE_LIMITED;
    case 501:
        return VENUE_ERROR_NOT_SUPPORTED;
    default:
        break;
    }
    if (code >= 23000 && code <= 23004) return VENUE_ERROR_RATE_LIMITED;
    if (code >= 21000 && code < 22000) return VENUE_ERROR_INVALID_ORDER;   /* tx processing: the tx was refused */
    if (code >= 20000 && code < 21000) return VENUE_ERROR_INVALID_ORDER;   /* request validation */
    if (code >= 30000 && code < 31000) return VENUE_ERROR_BAD_RESPONSE;    /* WS protocol state */
    if (http_status == 401 || http_status == 403) return VENUE_ERROR_AUTH;
    if (http_status == 429) return VENUE_ERROR_RATE_LIMITED;
    if (http_status == 404 || http_status == 501) return VENUE_ERROR_NOT_SUPPORTED;
    if (http_status >= 500) return VENUE_ERROR_UNAVAILABLE;
    return VENUE_ERROR_INVALID_ORDER;
}

/* The first line of a text body, for messages (gateway pages, plain text). */
static void first_line(const char *body, size_t length, char *out, size_t cap) {
    size_t n = 0;
    while (n < length && body[n] != '\n' && n + 1 < cap) n++;
    memcpy(out, body, n);
    out[n] = '\0';
}

void lighter_parse_error_body(const char *body, size_t length, int http_status, int cancelling, venue_error *out) {
    char message[VENUE_ERROR_MESSAGE_CAP] = "";
    char err[128];
    json_t *root = body && length ? lighter_json_load(body, length, err, sizeof err) : NULL;
    const json_t *obj = root;
    if (json_is_object(obj) && json_is_object(json_object_get(obj, "error"))) obj = json_object_get(obj, "error");
    lighter_optional_int code = {0, 0};
    if (json_is_object(obj)) {
        jfield_where w;
        jfield_where_init(&w, "error", err, sizeof err);
        if (lf_int(obj, "code", &code, JFIELD_OPTIONAL, &w) != 0) code.present = 0;
        const json_t *m = json_object_get(obj, "message");
        if (json_is_string(m)) snprintf(message, sizeof message, "%s", json_string_value(m));
    }
    venue_error_kind kind;
    if (code.present && code.value != 200) {
        kind = lighter_error_kind(code.value, http_status, cancelling);
        if (!message[0]) snprintf(message, sizeof message, "error code %lld", (long long)code.value);
    } else {
        kind = lighter_error_kind(0, http_status, cancelling);
        if (!message[0]) {
            char line[200];
            first_line(body ? body : "", length, line, sizeof line);
            snprintf(message, sizeof message, "HTTP %d%s%s", http_status, line[0] ? ": " : "", line);
        }
    }
    /* A 429 and a 5xx are what they are, whatever the body says. */
    if (http_status == 429) kind = VENUE_ERROR_RATE_LIMITED;
    else if (http_status >= 500 && kind != VENUE_ERROR_NOT_SUPPORTED) kind = VENUE_ERROR_UNAVAILABLE;
    venue_error_set(out, kind, http_status, message, strlen(message));
    out->has_code = code.present;
    out->code = code.present ? code.value : 0;
    json_decref(root);
}

/* ---- WebSocket frames -------------------------------------------------------------------------- */

/* "account_orders:0:281" -> kind "account_orders", numbers {0, 281}. */
static void split_channel(lighter_ws_frame *out) {
    const char *c = out->channel;
    size_t k = 0;
    while (c[k] && c[k] != ':' && c[k] != '/' && k + 1 < sizeof out->kind) { out->kind[k] = c[k]; k++; }
    out->kind[k] = '\0';
    const char *p = c + k;
    while (*p && out->channel_number_count < 2) {
        p++;
        if (!isdigit((unsigned char)*p)) break;
        out->channel_numbers[out->channel_number_count++] = strtoll(p, NULL, 10);
        while (isdigit((unsigned char)*p)) p++;
    }
}

int lighter_parse_ws_frame(const json_t *root, lighter_ws_frame *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "frame", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_text(root, "type", out->type, sizeof out->type, JFIELD_OPTIONAL, &w) != 0 ||
        lf_text(root, "channel", out->channel, sizeof out->channel, JFIELD_OPTIONAL, &w) != 0 ||
        lf_int(root, "timestamp", &out->timestamp, JFIELD_OPTIONAL, &w) != 0 ||
        lf_text(root, "id", out->request_id, sizeof out->request_id, JFIELD_OPTIONAL, &w) != 0)
        return -1;
    if (!out->type[0] && !out->channel[0] && !out->request_id[0] && !json_object_get(root, "error"))
        return jfield_fail(&w, NULL, "has neither type, channel, id nor error");
    split_channel(out);
    out->is_snapshot = strncmp(out->type, "subscribed/", 11) == 0;
    /* Error frames: {"type":"error","code","message"} or {"error":{"code","message"},"id"}. */
    const json_t *e = json_object_get(root, "error");
    const json_t *holder = json_is_object(e) ? e : root;
    if (lf_int(holder, "code", &out->code, JFIELD_OPTIONAL, &w) != 0) return -1;
    const json_t *m = json_object_get(holder, "message");
    if (json_is_string(m)) snprintf(out->message, sizeof out->message, "%s", json_string_value(m));
    else if (json_is_string(e)) snprintf(out->message, sizeof out->message, "%s", json_string_value(e));
    return 0;
}

/* ---- nonces and keys ---------------------------------------------------------------------------- */

int lighter_parse_next_nonce(const json_t *root, int64_t *nonce, char *err, size_t errcap) {
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_int_required(root, "nonce", nonce, &w) != 0) return -1;
    if (*nonce < 0) return jfield_fail(&w, "nonce", "is negative");
    return 0;
}

int lighter_parse_api_keys(const json_t *root, lighter_api_key_list *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    const json_t *keys = lf_array(root, "api_keys", &w);
    if (!keys) return -1;
    if (jfield_alloc_items((void **)&out->items, json_array_size(keys), sizeof *out->items, &w) != 0) return -1;
    for (size_t i = 0; i < json_array_size(keys); i++) {
        const json_t *k = json_array_get(keys, i);
        lighter_api_key *a = &out->items[i];
        jfield_where item;
        jfield_where_item(&item, "api_keys", i, err, errcap);
        char pub[LIGHTER_PUBLIC_KEY_TEXT_CAP];
        int rc = json_is_object(k) ? 0 : jfield_fail(&item, NULL, "is not an object");
        if (rc == 0) rc = lf_int_required(k, "account_index", &a->account_index, &item);
        if (rc == 0) rc = lf_int_required(k, "api_key_index", &a->api_key_index, &item);
        if (rc == 0) rc = lf_int(k, "nonce", &a->nonce, JFIELD_OPTIONAL, &item);
        if (rc == 0) rc = lf_text(k, "public_key", pub, sizeof pub, JFIELD_REQUIRED, &item);
        if (rc == 0) {
            /* Compared as the official client does: without "0x", lower case. */
            const char *p = (pub[0] == '0' && (pub[1] == 'x' || pub[1] == 'X')) ? pub + 2 : pub;
            size_t n = 0;
            for (; p[n] && n + 1 < sizeof a->public_key; n++) a->public_key[n] = (char)tolower((unsigned char)p[n]);
            a->public_key[n] = '\0';
        }
        if (rc != 0) { lighter_api_key_list_free(out); return -1; }
        out->count = i + 1;
    }
    return 0;
}

void lighter_api_key_list_free(lighter_api_key_list *list) {
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- tx answers -------------------------------------------------------------------------------- */

static int copy_hash(const json_t *value, char *out, const jfield_where *w, const char *name) {
    if (!json_is_string(value)) return jfield_fail(w, name, "is not a string");
    if (json_string_length(value) >= LIGHTER_HASH_TEXT_CAP) return jfield_fail(w, name, "is too long");
    memcpy(out, json_string_value(value), json_string_length(value) + 1);
    return 0;
}

int lighter_parse_tx_result(const json_t *root, lighter_tx_result *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    jfield_where w;
    jfield_where_init(&w, "answer", err, errcap);
    if (!json_is_object(root)) return jfield_fail(&w, NULL, "is not an object");
    if (lf_int(root, "code", &out->code, JFIELD_OPTIONAL, &w) != 0 ||
        lf_int(root, "predicted_execution_time_ms", &out->predicted_execution_time_ms, JFIELD_OPTIONAL, &w) != 0 ||
        lf_int(root, "volume_quota_remaining", &out->volume_quota_remaining, JFIELD_OPTIONAL, &w) != 0 ||
        lf_text(root, "id", out->request_id, sizeof out->request_id, JFIELD_OPTIONAL, &w) != 0)
        return -1;
    const json_t *message = json_object_get(root, "message");
    if (json_is_string(message)) {
        snprintf(out->message, sizeof out->message, "%s", json_string_value(message));
        /* The message is itself a small JSON document: {"ratelimit": "didn't use volume quota"}. */
        char ignored[64];
        json_t *inner = lighter_json_load(json_string_value(message), json_string_length(message), ignored, sizeof ignored);
        const json_t *rl = json_is_object(inner) ? json_object_get(inner, "ratelimit") : NULL;
        if (json_is_string(rl)) snprintf(out->ratelimit, sizeof out->ratelimit, "%s", json_string_value(rl));
        json_decref(inner);
    }
    const json_t *hash = json_object_get(root, "tx_hash");
    if (json_is_array(hash)) {
        if (json_array_size(hash) > LIGHTER_MAX_BATCH) return jfield_fail(&w, "tx_hash", "lists more than 50 hashes");
        for (size_t i = 0; i < json_array_size(hash); i++) {
            if (copy_hash(json_array_get(hash, i), out->tx_hashes[i], &w, "tx_hash[]") != 0) return -1;
            out->hash_count = i + 1;
        }
    } else if (hash && !json_is_null(hash)) {
        if (copy_hash(hash, out->tx_hashes[0], &w, "tx_hash") != 0) return -1;
        out->hash_count = 1;
    }
    out->accepted = out->code.present && out->code.value == 200 && out->hash_count > 0;
    return 0;
}
