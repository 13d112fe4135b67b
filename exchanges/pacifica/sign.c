/* Pacifica message construction, Ed25519 signing and request bodies (see sign.h). */
#include "exchanges/pacifica/sign.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/pacifica/base58.h"
#include "exchanges/pacifica/canonical_json.h"

/* Everything that goes into a signed payload or its body: printable ASCII only (see
 * canonical_json.h for why), insertion order kept for the body. */
#define BODY_JSON_FLAGS PACIFICA_JSON_PRINTABLE_ASCII_ONLY
#define MESSAGE_JSON_FLAGS (PACIFICA_JSON_SORT_KEYS | PACIFICA_JSON_PRINTABLE_ASCII_ONLY)

void pacifica_signed_request_init(pacifica_signed_request *request) {
    memset(request, 0, sizeof *request);
    pacifica_text_init(&request->message);
    pacifica_text_init(&request->body);
}

void pacifica_signed_request_free(pacifica_signed_request *request) {
    pacifica_text_free(&request->message);
    pacifica_text_free(&request->body);
    pacifica_signed_request_init(request);
}

static void signed_request_clear(pacifica_signed_request *request) {
    request->operation = NULL;
    request->timestamp_ms = 0;
    request->expiry_window_ms = 0;
    pacifica_text_reset(&request->message);
    pacifica_text_reset(&request->body);
    memset(request->signature, 0, sizeof request->signature);
    request->signature_base58[0] = '\0';
}

static int out_of_memory(const pacifica_text *text, char *err, size_t errcap) {
    if (!text->out_of_memory) return 0;
    snprintf(err, errcap, "out of memory while building the request");
    return 1;
}

int pacifica_message_write(pacifica_text *out, const pacifica_operation *operation, int64_t timestamp_ms,
                           int64_t expiry_window_ms, const json_t *payload, char *err, size_t errcap) {
    if (!operation) {
        snprintf(err, errcap, "unknown operation");
        return -1;
    }
    if (timestamp_ms <= 0) {
        snprintf(err, errcap, "%s: timestamp must be a positive number of milliseconds", operation->type);
        return -1;
    }
    if (expiry_window_ms <= 0) {
        snprintf(err, errcap, "%s: expiry_window must be a positive number of milliseconds", operation->type);
        return -1;
    }
    if (pacifica_operation_validate(operation, payload, err, errcap) != 0) return -1;
    /* Top-level keys are fixed, so they are written in their sorted order directly:
     * data < expiry_window < timestamp < type. */
    pacifica_text_append(out, "{\"data\":", 8);
    if (pacifica_json_write(out, payload, MESSAGE_JSON_FLAGS, "data", err, errcap) != 0) return -1;
    pacifica_text_append(out, ",\"expiry_window\":", 17);
    pacifica_text_append_int(out, expiry_window_ms);
    pacifica_text_append(out, ",\"timestamp\":", 13);
    pacifica_text_append_int(out, timestamp_ms);
    pacifica_text_append(out, ",\"type\":\"", 9);
    pacifica_text_append_cstr(out, operation->type);
    pacifica_text_append(out, "\"}", 2);
    return out_of_memory(out, err, errcap) ? -1 : 0;
}

int pacifica_sign_bytes(uint8_t signature[PACIFICA_SIGNATURE_BYTES], const pacifica_keypair *key,
                        const void *bytes, size_t length) {
    if (!key || (length && !bytes) || sodium_init() < 0) return -1;
    return crypto_sign_detached(signature, NULL, bytes, length, key->secret_key) == 0 ? 0 : -1;
}

static int sign_message_bytes(pacifica_signed_request *out, const pacifica_keypair *key, char *err, size_t errcap) {
    if (pacifica_sign_bytes(out->signature, key, out->message.data, out->message.length) != 0) {
        snprintf(err, errcap, "%s: Ed25519 signing failed", out->operation->type);
        return -1;
    }
    if (pacifica_base58_encode(out->signature, sizeof out->signature, out->signature_base58,
                               sizeof out->signature_base58) < 0) {
        snprintf(err, errcap, "%s: cannot encode the signature", out->operation->type);
        return -1;
    }
    return 0;
}

static void append_string_member(pacifica_text *out, const char *key, const char *value) {
    /* Keys and values here are fixed names, base58 text or UUIDs: plain ASCII with nothing
     * to escape, so they are written directly. */
    pacifica_text_append_char(out, '"');
    pacifica_text_append_cstr(out, key);
    pacifica_text_append(out, "\":\"", 3);
    pacifica_text_append_cstr(out, value);
    pacifica_text_append_char(out, '"');
}

static void append_int_member(pacifica_text *out, const char *key, int64_t value) {
    pacifica_text_append_char(out, '"');
    pacifica_text_append_cstr(out, key);
    pacifica_text_append(out, "\":", 2);
    pacifica_text_append_int(out, value);
}

static int write_standard_body(pacifica_signed_request *out, const pacifica_signer *signer, const json_t *payload,
                               char *err, size_t errcap) {
    pacifica_text *body = &out->body;
    pacifica_text_append_char(body, '{');
    append_string_member(body, "account", signer->account_address);
    switch (out->operation->body_style) {
    case PACIFICA_BODY_STANDARD:
        if (signer->is_agent) {
            pacifica_text_append_char(body, ',');
            append_string_member(body, "agent_wallet", signer->key.address);
        }
        break;
    case PACIFICA_BODY_ADMIN:
        /* The SDK sends "agent_wallet": null here; a payload agent_wallet takes its place. */
        if (!json_object_get(payload, "agent_wallet")) pacifica_text_append_cstr(body, ",\"agent_wallet\":null");
        break;
    default:
        break;
    }
    pacifica_text_append_char(body, ',');
    append_string_member(body, "signature", out->signature_base58);
    pacifica_text_append_char(body, ',');
    append_int_member(body, "timestamp", out->timestamp_ms);
    pacifica_text_append_char(body, ',');
    append_int_member(body, "expiry_window", out->expiry_window_ms);

    const char *key;
    size_t key_length;
    json_t *value;
    json_object_keylen_foreach((json_t *)payload, key, key_length, value) {
        pacifica_text_append_char(body, ',');
        if (pacifica_json_write_string(body, key, key_length, BODY_JSON_FLAGS, err, errcap) != 0) return -1;
        pacifica_text_append_char(body, ':');
        if (pacifica_json_write(body, value, BODY_JSON_FLAGS, key, err, errcap) != 0) return -1;
    }
    pacifica_text_append_char(body, '}');
    return out_of_memory(body, err, errcap) ? -1 : 0;
}

static int signer_may_sign(const pacifica_operation *operation, const pacifica_signer *signer, char *err,
                           size_t errcap) {
    if (operation->body_style == PACIFICA_BODY_STANDARD || operation->body_style == PACIFICA_BODY_NONE) return 0;
    if (!signer->is_agent) return 0;
    snprintf(err, errcap, "%s must be signed by the account's own key, not by an agent wallet", operation->type);
    return -1;
}

int pacifica_sign_request(pacifica_signed_request *out, const pacifica_signer *signer, const char *type,
                          int64_t timestamp_ms, int64_t expiry_window_ms, const json_t *payload,
                          char *err, size_t errcap) {
    char scratch[8];
    if (!err) { err = scratch; errcap = sizeof scratch; }
    signed_request_clear(out);
    const pacifica_operation *operation = pacifica_operation_find(type);
    if (!operation) {
        snprintf(err, errcap, "unknown operation type \"%.64s\"", type ? type : "(none)");
        return -1;
    }
    if (!signer) {
        snprintf(err, errcap, "%s: no signer", operation->type);
        return -1;
    }
    if (signer_may_sign(operation, signer, err, errcap) != 0) return -1;
    out->operation = operation;
    out->timestamp_ms = timestamp_ms;
    out->expiry_window_ms = expiry_window_ms;
    int rc = pacifica_message_write(&out->message, operation, timestamp_ms, expiry_window_ms, payload, err, errcap);
    if (rc == 0) rc = sign_message_bytes(out, &signer->key, err, errcap);
    /* subaccount_initiate's signature travels inside subaccount_confirm's body, and that body
     * needs both keys: pacifica_subaccount_create builds it. */
    if (rc == 0 && operation->body_style != PACIFICA_BODY_NONE && operation->body_style != PACIFICA_BODY_SUBACCOUNT)
        rc = write_standard_body(out, signer, payload, err, errcap);
    if (rc != 0) signed_request_clear(out);
    return rc;
}

int pacifica_subaccount_create(pacifica_signed_request *initiate, pacifica_signed_request *confirm,
                               const pacifica_keypair *main_key, const pacifica_keypair *sub_key,
                               int64_t timestamp_ms, int64_t expiry_window_ms, char *err, size_t errcap) {
    char scratch[8];
    if (!err) { err = scratch; errcap = sizeof scratch; }
    if (!main_key || !sub_key) {
        snprintf(err, errcap, "subaccount creation needs both the main and the subaccount key");
        return -1;
    }
    if (sodium_memcmp(main_key->public_key, sub_key->public_key, PACIFICA_PUBLIC_KEY_BYTES) == 0) {
        snprintf(err, errcap, "subaccount creation: the subaccount key is the main key");
        return -1;
    }
    pacifica_signer signer;
    memset(&signer, 0, sizeof signer);
    signer.key = *sub_key;
    memcpy(signer.account, sub_key->public_key, sizeof signer.account);
    memcpy(signer.account_address, sub_key->address, sizeof signer.account_address);

    json_t *payload = json_pack("{s:s}", "account", main_key->address);
    int rc = payload ? pacifica_sign_request(initiate, &signer, "subaccount_initiate", timestamp_ms,
                                             expiry_window_ms, payload, err, errcap)
                     : (snprintf(err, errcap, "out of memory"), -1);
    json_decref(payload);
    if (rc == 0) {
        signer.key = *main_key;
        memcpy(signer.account, main_key->public_key, sizeof signer.account);
        memcpy(signer.account_address, main_key->address, sizeof signer.account_address);
        payload = json_pack("{s:s}", "signature", initiate->signature_base58);
        rc = payload ? pacifica_sign_request(confirm, &signer, "subaccount_confirm", timestamp_ms,
                                             expiry_window_ms, payload, err, errcap)
                     : (snprintf(err, errcap, "out of memory"), -1);
        json_decref(payload);
    }
    sodium_memzero(&signer, sizeof signer);
    if (rc != 0) return -1;

    pacifica_text *body = &confirm->body;
    pacifica_text_append_char(body, '{');
    append_string_member(body, "main_account", main_key->address);
    pacifica_text_append_char(body, ',');
    append_string_member(body, "subaccount", sub_key->address);
    pacifica_text_append_char(body, ',');
    append_string_member(body, "main_signature", confirm->signature_base58);
    pacifica_text_append_char(body, ',');
    append_string_member(body, "sub_signature", initiate->signature_base58);
    pacifica_text_append_char(body, ',');
    append_int_member(body, "timestamp", timestamp_ms);
    pacifica_text_append_char(body, ',');
    append_int_member(body, "expiry_window", expiry_window_ms);
    pacifica_text_append_char(body, '}');
    return out_of_memory(body, err, errcap) ? -1 : 0;
}

static int write_actions(pacifica_text *out, const pacifica_signed_request *const *actions, size_t count,
                         char *err, size_t errcap) {
    if (!actions || count == 0) {
        snprintf(err, errcap, "batch_orders: no actions");
        return -1;
    }
    if (count > PACIFICA_BATCH_MAX_ACTIONS) {
        snprintf(err, errcap, "batch_orders: %zu actions, at most %d are allowed", count, PACIFICA_BATCH_MAX_ACTIONS);
        return -1;
    }
    pacifica_text_append(out, "{\"actions\":[", 12);
    for (size_t i = 0; i < count; i++) {
        const pacifica_signed_request *action = actions[i];
        if (!action || !action->operation || action->body.length == 0) {
            snprintf(err, errcap, "batch_orders: action %zu is not a signed request", i + 1);
            return -1;
        }
        if (!action->operation->batch_action) {
            snprintf(err, errcap, "batch_orders: action %zu (%s) cannot be part of a batch", i + 1,
                     action->operation->type);
            return -1;
        }
        if (i) pacifica_text_append_char(out, ',');
        pacifica_text_append(out, "{\"type\":\"", 9);
        pacifica_text_append_cstr(out, action->operation->batch_action);
        pacifica_text_append(out, "\",\"data\":", 9);
        pacifica_text_append(out, action->body.data, action->body.length);
        pacifica_text_append_char(out, '}');
    }
    pacifica_text_append(out, "]}", 2);
    return out_of_memory(out, err, errcap) ? -1 : 0;
}

int pacifica_batch_body_write(pacifica_text *out, const pacifica_signed_request *const *actions, size_t count,
                              char *err, size_t errcap) {
    char scratch[8];
    if (!err) { err = scratch; errcap = sizeof scratch; }
    return write_actions(out, actions, count, err, errcap);
}

static int write_ws_prefix(pacifica_text *out, const char *request_id, const char *key, char *err, size_t errcap) {
    if (!request_id || !pacifica_is_uuid(request_id, strlen(request_id))) {
        snprintf(err, errcap, "WebSocket request id must be a lower-case UUID");
        return -1;
    }
    pacifica_text_append(out, "{\"id\":\"", 7);
    pacifica_text_append_cstr(out, request_id);
    pacifica_text_append(out, "\",\"params\":{\"", 13);
    pacifica_text_append_cstr(out, key);
    pacifica_text_append(out, "\":", 2);
    return 0;
}

int pacifica_ws_request_write(pacifica_text *out, const char *request_id, const pacifica_signed_request *request,
                              char *err, size_t errcap) {
    char scratch[8];
    if (!err) { err = scratch; errcap = sizeof scratch; }
    if (!request || !request->operation || request->body.length == 0) {
        snprintf(err, errcap, "WebSocket request: not a signed request");
        return -1;
    }
    if (!request->operation->ws_key) {
        snprintf(err, errcap, "%s is not available over the WebSocket; use REST %s", request->operation->type,
                 request->operation->path);
        return -1;
    }
    if (write_ws_prefix(out, request_id, request->operation->ws_key, err, errcap) != 0) return -1;
    pacifica_text_append(out, request->body.data, request->body.length);
    pacifica_text_append(out, "}}", 2);
    return out_of_memory(out, err, errcap) ? -1 : 0;
}

int pacifica_ws_batch_request_write(pacifica_text *out, const char *request_id,
                                    const pacifica_signed_request *const *actions, size_t count,
                                    char *err, size_t errcap) {
    char scratch[8];
    if (!err) { err = scratch; errcap = sizeof scratch; }
    if (write_ws_prefix(out, request_id, "batch_orders", err, errcap) != 0) return -1;
    if (write_actions(out, actions, count, err, errcap) != 0) return -1;
    pacifica_text_append(out, "}}", 2);
    return out_of_memory(out, err, errcap) ? -1 : 0;
}

int pacifica_signature_verify(const uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES], const char *message,
                              size_t length, const uint8_t signature[PACIFICA_SIGNATURE_BYTES]) {
    if (sodium_init() < 0) return 0;
    return crypto_sign_verify_detached(signature, (const unsigned char *)message, length, public_key) == 0;
}
