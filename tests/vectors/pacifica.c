/* Pacifica vector handlers for the primitives and every signed request file of
 * shared/vectors/pacifica/ (pacifica.md §12): base58, keypairs, ed25519, canonical_json and
 * sign_*. Each case is rebuilt from its inputs by exchanges/pacifica and every derived field
 * (message text and bytes, signature hex and base58, body, WebSocket frame, batch body,
 * endpoint) is compared. lot_tick_rounding and funding_math are in pacifica_decimal.c. */
#include "tests/vectors/vector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/base58.h"
#include "exchanges/pacifica/canonical_json.h"
#include "exchanges/pacifica/keys.h"
#include "exchanges/pacifica/sign.h"

/* ---- helpers -------------------------------------------------------------------------- */

static void to_hex(const unsigned char *bytes, size_t length, char *out, size_t cap) {
    static const char digits[] = "0123456789abcdef";
    size_t i = 0;
    for (; i < length && 2 * i + 2 < cap; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * i] = '\0';
}

static int expect_str(char *why, size_t cap, const char *field, const char *expected, const char *found) {
    if (expected && found && strcmp(expected, found) == 0) return 1;
    return vector_mismatch(why, cap, field, expected, found);
}

/* Compares a found JSON text with an expected JSON value as parsed JSON (key order and
 * whitespace do not matter; types and values do). */
static int expect_json(char *why, size_t cap, const char *field, const json_t *expected, const char *found_text) {
    json_error_t error;
    json_t *found = json_loads(found_text ? found_text : "", JSON_DECODE_ANY, &error);
    if (!found) {
        snprintf(why, cap, "%s: our text is not JSON (%s): %.300s", field, error.text, found_text ? found_text : "");
        return 0;
    }
    int same = json_equal(found, (json_t *)expected);
    json_decref(found);
    if (same) return 1;
    char *want = json_dumps(expected, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(why, cap, "%s: expected %.700s, found %.700s", field, want ? want : "?", found_text);
    free(want);
    return 0;
}

/* Both the parsed request_body and its *_json text form must match what we built. */
static int expect_json_pair(char *why, size_t cap, const json_t *c, const char *key, const char *json_key,
                            const char *found_text) {
    const json_t *expected = json_object_get(c, key);
    if (!expected) return vector_mismatch(why, cap, key, "present", "absent");
    if (!expect_json(why, cap, key, expected, found_text)) return 0;
    const char *expected_text = vector_str(c, json_key);
    if (!expected_text) return 1;
    json_error_t error;
    json_t *parsed = json_loads(expected_text, 0, &error);
    int same = parsed && json_equal(parsed, (json_t *)expected);
    json_decref(parsed);
    if (!same) return vector_mismatch(why, cap, json_key, "the same JSON as its parsed twin", expected_text);
    return 1;
}

static int get_int64(const json_t *object, const char *key, int64_t *out, char *why, size_t cap) {
    const json_t *value = json_object_get(object, key);
    if (!json_is_integer(value)) return vector_mismatch(why, cap, key, "an integer", "something else");
    *out = (int64_t)json_integer_value(value);
    return 1;
}

/* ---- base58.json ---------------------------------------------------------------------- */

static int check_base58(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *text = vector_str(c, "base58");
    if (!text) return vector_mismatch(why, cap, "base58", "a string", "nothing");
    unsigned char decoded[PACIFICA_BASE58_MAX_BYTES];
    char err[160];
    long n = pacifica_base58_decode(text, strlen(text), decoded, sizeof decoded, err, sizeof err);
    if (json_is_true(json_object_get(c, "error"))) {
        if (n >= 0) return vector_mismatch(why, cap, "decode", "an error", "success");
        return 1;
    }
    if (n < 0) return vector_mismatch(why, cap, "decode", "success", err);
    unsigned char expected[PACIFICA_BASE58_MAX_BYTES];
    long expected_length = vector_hex(vector_str(c, "bytes_hex"), expected, sizeof expected);
    if (expected_length < 0) return vector_mismatch(why, cap, "bytes_hex", "hex", "invalid");
    json_int_t stated = json_integer_value(json_object_get(c, "length"));
    if (stated != expected_length) return vector_mismatch(why, cap, "length", "equal to bytes_hex length", "different");
    char found_hex[2 * PACIFICA_BASE58_MAX_BYTES + 1];
    to_hex(decoded, (size_t)n, found_hex, sizeof found_hex);
    if (!expect_str(why, cap, "decoded bytes_hex", vector_str(c, "bytes_hex"), found_hex)) return 0;
    char encoded[PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES)];
    if (pacifica_base58_encode(expected, (size_t)expected_length, encoded, sizeof encoded) < 0)
        return vector_mismatch(why, cap, "encode", "success", "failure");
    return expect_str(why, cap, "encoded base58", text, encoded);
}

/* ---- keypairs.json -------------------------------------------------------------------- */

static int check_keypairs(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    char err[256];
    if (json_is_true(json_object_get(c, "error"))) {
        const char *secret = vector_str(c, "secret_key_64_base58");
        const char *public_key = vector_str(c, "public_key_base58");
        if (secret) {
            pacifica_keypair key;
            if (pacifica_keypair_from_base58(&key, secret, "TEST_SECRET", err, sizeof err) == 0) {
                pacifica_keypair_wipe(&key);
                return vector_mismatch(why, cap, "secret_key_64_base58", "rejected", "accepted");
            }
            if (!strstr(err, "TEST_SECRET")) return vector_mismatch(why, cap, "error text", "names TEST_SECRET", err);
            if (strstr(err, secret)) return vector_mismatch(why, cap, "error text", "without the key", "echoes it");
            return 1;
        }
        if (public_key) {
            unsigned char pk[32];
            if (pacifica_address_parse(pk, public_key, "TEST_ADDRESS", err, sizeof err) == 0)
                return vector_mismatch(why, cap, "public_key_base58", "rejected", "accepted");
            if (!strstr(err, "TEST_ADDRESS")) return vector_mismatch(why, cap, "error text", "names TEST_ADDRESS", err);
            return 1;
        }
        return vector_mismatch(why, cap, "error case", "a key to reject", "nothing");
    }

    unsigned char seed[32];
    if (vector_hex(vector_str(c, "seed_hex"), seed, sizeof seed) != 32)
        return vector_mismatch(why, cap, "seed_hex", "32 bytes", "something else");
    pacifica_keypair from_seed, from_secret, from_seed_text;
    if (pacifica_keypair_from_seed(&from_seed, seed) != 0) return vector_mismatch(why, cap, "seed", "usable", "failed");
    char hex[129];
    int ok = 1;
    to_hex(from_seed.public_key, 32, hex, sizeof hex);
    ok = ok && expect_str(why, cap, "public_key_hex", vector_str(c, "public_key_hex"), hex);
    ok = ok && expect_str(why, cap, "public_key_base58", vector_str(c, "public_key_base58"), from_seed.address);
    to_hex(from_seed.secret_key, 64, hex, sizeof hex);
    ok = ok && expect_str(why, cap, "secret_key_64_hex", vector_str(c, "secret_key_64_hex"), hex);
    char text[PACIFICA_SIGNATURE_BASE58_CAP];
    if (ok && pacifica_base58_encode(from_seed.secret_key, 64, text, sizeof text) < 0) ok = 0;
    ok = ok && expect_str(why, cap, "secret_key_64_base58", vector_str(c, "secret_key_64_base58"), text);
    if (ok && pacifica_base58_encode(seed, 32, text, sizeof text) < 0) ok = 0;
    ok = ok && expect_str(why, cap, "seed_base58", vector_str(c, "seed_base58"), text);
    /* Loading either text form must give the same key. */
    if (ok && pacifica_keypair_from_base58(&from_secret, vector_str(c, "secret_key_64_base58"), "TEST_SECRET", err,
                                           sizeof err) != 0)
        ok = vector_mismatch(why, cap, "load secret_key_64_base58", "success", err);
    else if (ok) {
        ok = expect_str(why, cap, "public key from the 64-byte secret", from_seed.address, from_secret.address);
        pacifica_keypair_wipe(&from_secret);
    }
    if (ok && pacifica_keypair_from_base58(&from_seed_text, vector_str(c, "seed_base58"), "TEST_SEED", err,
                                           sizeof err) != 0)
        ok = vector_mismatch(why, cap, "load seed_base58", "success", err);
    else if (ok) {
        ok = expect_str(why, cap, "public key from the 32-byte seed", from_seed.address, from_seed_text.address);
        pacifica_keypair_wipe(&from_seed_text);
    }
    unsigned char pk[32];
    if (ok && pacifica_address_parse(pk, vector_str(c, "public_key_base58"), "TEST_ADDRESS", err, sizeof err) != 0)
        ok = vector_mismatch(why, cap, "parse public_key_base58", "success", err);
    else if (ok && memcmp(pk, from_seed.public_key, 32) != 0)
        ok = vector_mismatch(why, cap, "parsed address", "the public key", "other bytes");
    pacifica_keypair_wipe(&from_seed);
    return ok;
}

/* ---- ed25519.json --------------------------------------------------------------------- */

static int check_ed25519(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    unsigned char seed[32], message[4096];
    if (vector_hex(vector_str(c, "seed_hex"), seed, sizeof seed) != 32)
        return vector_mismatch(why, cap, "seed_hex", "32 bytes", "something else");
    long length = vector_hex(vector_str(c, "message_hex"), message, sizeof message);
    if (length < 0) return vector_mismatch(why, cap, "message_hex", "hex", "invalid");
    pacifica_keypair key;
    if (pacifica_keypair_from_seed(&key, seed) != 0) return vector_mismatch(why, cap, "seed", "usable", "failed");
    char hex[129];
    to_hex(key.public_key, 32, hex, sizeof hex);
    int ok = expect_str(why, cap, "public_key_hex", vector_str(c, "public_key_hex"), hex);

    unsigned char signature[64];
    char text[PACIFICA_SIGNATURE_BASE58_CAP];
    if (ok && pacifica_sign_bytes(signature, &key, message, (size_t)length) != 0)
        ok = vector_mismatch(why, cap, "signing", "success", "failure");
    if (ok) {
        to_hex(signature, 64, hex, sizeof hex);
        ok = expect_str(why, cap, "signature_hex", vector_str(c, "signature_hex"), hex);
    }
    if (ok && pacifica_base58_encode(signature, 64, text, sizeof text) < 0) ok = 0;
    ok = ok && expect_str(why, cap, "signature_base58", vector_str(c, "signature_base58"), text);
    if (ok && !pacifica_signature_verify(key.public_key, (const char *)message, (size_t)length, signature))
        ok = vector_mismatch(why, cap, "verify", "valid", "invalid");
    /* A flipped message bit must not verify. */
    if (ok) {
        message[length] = 0;
        message[0] ^= 1;
        if (pacifica_signature_verify(key.public_key, (const char *)message, length ? (size_t)length : 1, signature))
            ok = vector_mismatch(why, cap, "verify of a changed message", "invalid", "valid");
    }
    pacifica_keypair_wipe(&key);
    return ok;
}

/* ---- canonical_json.json -------------------------------------------------------------- */

static int text_is_printable(const char *text, size_t length) {
    for (size_t i = 0; i < length; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E) return 0;
    return 1;
}

/* 1 when every key and string inside value is printable ASCII. */
static int json_all_printable(const json_t *value) {
    if (json_is_string(value)) return text_is_printable(json_string_value(value), json_string_length(value));
    if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value); i++)
            if (!json_all_printable(json_array_get(value, i))) return 0;
        return 1;
    }
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member)
            if (!text_is_printable(key, strlen(key)) || !json_all_printable(member)) return 0;
    }
    return 1;
}

static int check_canonical_json(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const json_t *input = json_object_get(c, "input");
    const char *expected = vector_str(c, "canonical");
    if (!input || !expected) return vector_mismatch(why, cap, "input/canonical", "present", "absent");
    /* python_sdk_only cases show where the SDK and JavaScript clients disagree; they are not
     * requirements, except that the signing mode must refuse them. */
    int sdk_only = json_is_true(json_object_get(c, "python_sdk_only"));
    pacifica_text out = PACIFICA_TEXT_INIT;
    char err[256];
    int ok = 1;
    int written = pacifica_canonical_json_write(&out, input, err, sizeof err) == 0;
    if (!written && !sdk_only) ok = vector_mismatch(why, cap, "canonical", expected, err);
    if (ok && written) ok = expect_str(why, cap, "canonical", expected, out.data);
    if (ok && written) {
        char *hex = malloc(2 * out.length + 1);
        if (!hex) ok = vector_mismatch(why, cap, "memory", "available", "exhausted");
        else {
            to_hex((const unsigned char *)out.data, out.length, hex, 2 * out.length + 1);
            ok = expect_str(why, cap, "canonical_utf8_hex", vector_str(c, "canonical_utf8_hex"), hex);
            free(hex);
        }
    }
    /* The signing mode accepts exactly the printable-ASCII inputs, and writes the same text. */
    if (ok) {
        pacifica_text strict = PACIFICA_TEXT_INIT;
        int refused = pacifica_json_write(&strict, input, PACIFICA_JSON_SORT_KEYS | PACIFICA_JSON_PRINTABLE_ASCII_ONLY,
                                          NULL, err, sizeof err) != 0;
        int must_refuse = sdk_only || !json_all_printable(input);
        if (refused != must_refuse)
            ok = vector_mismatch(why, cap, "printable-ASCII mode", must_refuse ? "refuses" : "accepts",
                                 refused ? "refuses" : "accepts");
        else if (!refused)
            ok = expect_str(why, cap, "printable-ASCII mode output", expected, strict.data);
        pacifica_text_free(&strict);
    }
    pacifica_text_free(&out);
    return ok;
}

/* ---- sign_*.json ---------------------------------------------------------------------- */

/* The signer a case describes: its secret key, its account and (for agent cases) the agent
 * wallet, checked against the case's seed and public key. */
static int load_case_signer(const json_t *c, pacifica_signer *signer, char *why, size_t cap) {
    static const pacifica_key_names names = {"signer_secret_key_base58", "account", "agent_wallet"};
    char err[256];
    if (pacifica_signer_load(signer, vector_str(c, "signer_secret_key_base58"), vector_str(c, "account"),
                             vector_str(c, "agent_wallet"), &names, err, sizeof err) != 0)
        return vector_mismatch(why, cap, "signer", "a usable key", err);
    const char *public_key = vector_str(c, "signer_public_key_base58");
    if (public_key && strcmp(public_key, signer->key.address) != 0)
        return vector_mismatch(why, cap, "signer_public_key_base58", public_key, signer->key.address);
    const char *seed_hex = vector_str(c, "signer_seed_hex");
    if (seed_hex) {
        char hex[65];
        to_hex(signer->key.secret_key, 32, hex, sizeof hex);
        if (strcmp(hex, seed_hex) != 0) return vector_mismatch(why, cap, "signer_seed_hex", seed_hex, "another seed");
    }
    return 1;
}

/* message, message_utf8_hex, message_length, signature_hex, signature_base58 of one signed
 * request, and the signature verifying under the signing key. */
static int expect_signed(const json_t *c, const pacifica_signed_request *request, const uint8_t *public_key,
                         char *why, size_t cap) {
    if (!expect_str(why, cap, "message", vector_str(c, "message"), request->message.data)) return 0;
    const char *expected_hex = vector_str(c, "message_utf8_hex");
    if (expected_hex) {
        char *hex = malloc(2 * request->message.length + 1);
        if (!hex) return vector_mismatch(why, cap, "memory", "available", "exhausted");
        to_hex((const unsigned char *)request->message.data, request->message.length, hex, 2 * request->message.length + 1);
        int same = strcmp(hex, expected_hex) == 0;
        free(hex);
        if (!same) return vector_mismatch(why, cap, "message_utf8_hex", expected_hex, "other bytes");
    }
    const json_t *length = json_object_get(c, "message_length");
    if (length && json_integer_value(length) != (json_int_t)request->message.length) {
        char found[32];
        snprintf(found, sizeof found, "%zu", request->message.length);
        return vector_mismatch(why, cap, "message_length", "the stated length", found);
    }
    char hex[129];
    to_hex(request->signature, 64, hex, sizeof hex);
    if (!expect_str(why, cap, "signature_hex", vector_str(c, "signature_hex"), hex)) return 0;
    if (!expect_str(why, cap, "signature_base58", vector_str(c, "signature_base58"), request->signature_base58)) return 0;
    if (!pacifica_signature_verify(public_key, request->message.data, request->message.length, request->signature))
        return vector_mismatch(why, cap, "signature", "valid under the signing key", "invalid");
    return 1;
}

/* Signs header + payload of c (a case or a batch action) with signer. */
static int sign_from_case(const json_t *c, const pacifica_signer *signer, pacifica_signed_request *request,
                          char *why, size_t cap) {
    const json_t *header = json_object_get(c, "header");
    const char *type = vector_str(header, "type");
    const char *operation_type = vector_str(c, "operation_type");
    int64_t timestamp = 0, expiry_window = 0;
    if (!type) return vector_mismatch(why, cap, "header.type", "a string", "nothing");
    if (operation_type && strcmp(operation_type, type) != 0)
        return vector_mismatch(why, cap, "operation_type", type, operation_type);
    if (!get_int64(header, "timestamp", &timestamp, why, cap) || !get_int64(header, "expiry_window", &expiry_window, why, cap))
        return 0;
    char err[512];
    if (pacifica_sign_request(request, signer, type, timestamp, expiry_window, json_object_get(c, "payload"), err,
                              sizeof err) != 0)
        return vector_mismatch(why, cap, "signing", "success", err);
    return 1;
}

static int expect_http(const json_t *c, const char *path, char *why, size_t cap) {
    const json_t *http = json_object_get(c, "http");
    if (!http) return 1;
    if (!expect_str(why, cap, "http.method", vector_str(http, "method"), "POST")) return 0;
    return expect_str(why, cap, "http.path", vector_str(http, "path"), path);
}

/* subaccount_confirm: rebuilt together with its subaccount_initiate case (found in the same
 * file by the signature it confirms), since its body needs both keys. */
static int check_subaccount_confirm(const json_t *c, const json_t *file, const pacifica_signer *main_signer,
                                    char *why, size_t cap) {
    const char *sub_signature = vector_str(json_object_get(c, "payload"), "signature");
    const json_t *initiate = NULL, *candidate;
    size_t i;
    json_array_foreach(json_object_get(file, "cases"), i, candidate) {
        const char *type = vector_str(candidate, "operation_type");
        const char *signature = vector_str(candidate, "signature_base58");
        if (type && signature && sub_signature && strcmp(type, "subaccount_initiate") == 0 &&
            strcmp(signature, sub_signature) == 0)
            initiate = candidate;
    }
    if (!initiate) return vector_mismatch(why, cap, "subaccount_initiate case", "in the same file", "absent");
    pacifica_signer sub_signer;
    if (!load_case_signer(initiate, &sub_signer, why, cap)) return 0;
    const json_t *header = json_object_get(c, "header");
    int64_t timestamp = 0, expiry_window = 0;
    int ok = get_int64(header, "timestamp", &timestamp, why, cap) && get_int64(header, "expiry_window", &expiry_window, why, cap);
    pacifica_signed_request first, second;
    pacifica_signed_request_init(&first);
    pacifica_signed_request_init(&second);
    char err[512];
    if (ok && pacifica_subaccount_create(&first, &second, &main_signer->key, &sub_signer.key, timestamp, expiry_window,
                                         err, sizeof err) != 0)
        ok = vector_mismatch(why, cap, "subaccount creation", "success", err);
    ok = ok && expect_signed(initiate, &first, sub_signer.key.public_key, why, cap);
    ok = ok && expect_signed(c, &second, main_signer->key.public_key, why, cap);
    ok = ok && expect_json_pair(why, cap, c, "request_body", "request_body_json", second.body.data);
    pacifica_signed_request_free(&first);
    pacifica_signed_request_free(&second);
    pacifica_signer_wipe(&sub_signer);
    return ok;
}

static int check_batch(const json_t *c, const pacifica_signer *signer, char *why, size_t cap) {
    const json_t *actions = json_object_get(c, "actions");
    size_t count = json_array_size(actions);
    if (count == 0 || count > PACIFICA_BATCH_MAX_ACTIONS)
        return vector_mismatch(why, cap, "actions", "1 to 10 actions", "another count");
    pacifica_signed_request requests[PACIFICA_BATCH_MAX_ACTIONS];
    const pacifica_signed_request *pointers[PACIFICA_BATCH_MAX_ACTIONS];
    for (size_t i = 0; i < count; i++) {
        pacifica_signed_request_init(&requests[i]);
        pointers[i] = &requests[i];
    }
    int ok = expect_http(c, PACIFICA_BATCH_PATH, why, cap);
    for (size_t i = 0; ok && i < count; i++) {
        const json_t *action = json_array_get(actions, i);
        ok = sign_from_case(action, signer, &requests[i], why, cap) &&
             expect_str(why, cap, "batch_action_type", vector_str(action, "batch_action_type"),
                        requests[i].operation->batch_action) &&
             expect_signed(action, &requests[i], signer->key.public_key, why, cap) &&
             expect_json(why, cap, "action data", json_object_get(action, "data"), requests[i].body.data);
        if (!ok) {
            char where[64];
            snprintf(where, sizeof where, " (action %zu)", i + 1);
            strncat(why, where, cap - strlen(why) - 1);
        }
    }
    pacifica_text text = PACIFICA_TEXT_INIT;
    char err[512];
    if (ok && pacifica_batch_body_write(&text, pointers, count, err, sizeof err) != 0)
        ok = vector_mismatch(why, cap, "batch body", "success", err);
    ok = ok && expect_json_pair(why, cap, c, "request_body", "request_body_json", text.data);
    const json_t *ws = json_object_get(c, "ws_request");
    if (ok && ws) {
        pacifica_text_reset(&text);
        if (pacifica_ws_batch_request_write(&text, vector_str(ws, "id"), pointers, count, err, sizeof err) != 0)
            ok = vector_mismatch(why, cap, "ws_request", "success", err);
        ok = ok && expect_json_pair(why, cap, c, "ws_request", "ws_request_json", text.data);
    }
    pacifica_text_free(&text);
    for (size_t i = 0; i < count; i++) pacifica_signed_request_free(&requests[i]);
    return ok;
}

static int check_sign_case(const json_t *c, const json_t *file, char *why, size_t cap) {
    pacifica_signer signer;
    if (!load_case_signer(c, &signer, why, cap)) return 0;
    int ok;
    if (json_object_get(c, "actions")) {
        ok = check_batch(c, &signer, why, cap);
        pacifica_signer_wipe(&signer);
        return ok;
    }
    pacifica_signed_request request;
    pacifica_signed_request_init(&request);
    ok = sign_from_case(c, &signer, &request, why, cap) && expect_signed(c, &request, signer.key.public_key, why, cap) &&
         expect_http(c, request.operation->path, why, cap);
    if (ok) {
        const json_t *body = json_object_get(c, "request_body");
        if (request.operation->body_style == PACIFICA_BODY_SUBACCOUNT) {
            ok = check_subaccount_confirm(c, file, &signer, why, cap);
        } else if (json_is_null(body)) {
            if (request.body.length) ok = vector_mismatch(why, cap, "request_body", "none", request.body.data);
        } else {
            ok = expect_json_pair(why, cap, c, "request_body", "request_body_json", request.body.data);
        }
    }
    const json_t *ws = json_object_get(c, "ws_request");
    if (ok && ws) {
        pacifica_text text = PACIFICA_TEXT_INIT;
        char err[512];
        if (pacifica_ws_request_write(&text, vector_str(ws, "id"), &request, err, sizeof err) != 0)
            ok = vector_mismatch(why, cap, "ws_request", "success", err);
        ok = ok && expect_json_pair(why, cap, c, "ws_request", "ws_request_json", text.data);
        pacifica_text_free(&text);
    }
    pacifica_signed_request_free(&request);
    pacifica_signer_wipe(&signer);
    return ok;
}

static const struct vector_handler pacifica_table[] = {
    {"base58", check_base58},
    {"keypairs", check_keypairs},
    {"ed25519", check_ed25519},
    {"canonical_json", check_canonical_json},
    {"sign_create_market_order", check_sign_case},
    {"sign_create_order", check_sign_case},
    {"sign_cancel_order", check_sign_case},
    {"sign_cancel_all_orders", check_sign_case},
    {"sign_update_leverage", check_sign_case},
    {"sign_update_margin_mode", check_sign_case},
    {"sign_other_orders", check_sign_case},
    {"sign_account_admin", check_sign_case},
    {"sign_batch_orders", check_sign_case},
    {"sign_ws_trading", check_sign_case},
    {NULL, NULL}};

VECTOR_HANDLERS(pacifica_table)
