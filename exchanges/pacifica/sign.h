/* Pacifica request signing: the signed message, the Ed25519 signature and the request body.
 *
 * Message = canonical JSON of {"type", "timestamp", "expiry_window", "data": payload}, which
 * always comes out as {"data":{...sorted...},"expiry_window":E,"timestamp":T,"type":"..."}.
 * The payload is validated against its operation (operations.h) first, and every string in it
 * must be printable ASCII. The body carries the same payload fields at top level next to
 * account / agent_wallet / signature / timestamp / expiry_window, so what is sent is exactly
 * what was signed. Sign after the payload is final, and send the same timestamp and window. */
#ifndef HEDGE_EXCHANGES_PACIFICA_SIGN_H
#define HEDGE_EXCHANGES_PACIFICA_SIGN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/pacifica/keys.h"
#include "exchanges/pacifica/operations.h"
#include "exchanges/pacifica/text_buffer.h"

/* The venue accepts at most 10 actions per /orders/batch request. */
#define PACIFICA_BATCH_MAX_ACTIONS 10
#define PACIFICA_BATCH_PATH "/api/v1/orders/batch"

typedef struct pacifica_signed_request {
    const pacifica_operation *operation;
    int64_t timestamp_ms;
    int64_t expiry_window_ms;
    pacifica_text message;                              /* the exact bytes that were signed */
    uint8_t signature[PACIFICA_SIGNATURE_BYTES];
    char signature_base58[PACIFICA_SIGNATURE_BASE58_CAP];
    pacifica_text body;                                 /* REST body; empty for subaccount_initiate */
} pacifica_signed_request;

/* A request may be signed into repeatedly; its buffers are reused. */
void pacifica_signed_request_init(pacifica_signed_request *request);
void pacifica_signed_request_free(pacifica_signed_request *request);

/* Writes the message that gets signed (after validating the payload). Returns 0 or -1. */
int pacifica_message_write(pacifica_text *out, const pacifica_operation *operation, int64_t timestamp_ms,
                           int64_t expiry_window_ms, const json_t *payload, char *err, size_t errcap);

/* Validates, builds the message, signs it with signer->key and builds the body.
 * type is the operation type ("create_market_order"). Returns 0, or -1 with err naming the
 * operation and field; on failure *out holds no signature. Administration operations
 * (agent wallets, API keys, subaccounts) refuse an agent signer: they need the main key. */
int pacifica_sign_request(pacifica_signed_request *out, const pacifica_signer *signer, const char *type,
                          int64_t timestamp_ms, int64_t expiry_window_ms, const json_t *payload,
                          char *err, size_t errcap);

/* Two-signature subaccount creation: the subaccount key signs subaccount_initiate
 * {"account": main}, the main key signs subaccount_confirm {"signature": <sub signature>}, both
 * with the same timestamp and window. confirm->body receives the request body
 * {main_account, subaccount, main_signature, sub_signature, timestamp, expiry_window}. */
int pacifica_subaccount_create(pacifica_signed_request *initiate, pacifica_signed_request *confirm,
                               const pacifica_keypair *main_key, const pacifica_keypair *sub_key,
                               int64_t timestamp_ms, int64_t expiry_window_ms, char *err, size_t errcap);

/* {"actions":[{"type":"Create","data":<body>},...]} for POST /api/v1/orders/batch. Each action
 * is a separately signed request whose operation may appear in a batch. Returns 0 or -1. */
int pacifica_batch_body_write(pacifica_text *out, const pacifica_signed_request *const *actions, size_t count,
                              char *err, size_t errcap);

/* WebSocket trading frame {"id":<request_id>,"params":{"<op>":<body>}}; request_id is a
 * lower-case UUID chosen by the caller to match the response. Returns 0 or -1. */
int pacifica_ws_request_write(pacifica_text *out, const char *request_id, const pacifica_signed_request *request,
                              char *err, size_t errcap);

/* WebSocket batch frame {"id":...,"params":{"batch_orders":{"actions":[...]}}}. */
int pacifica_ws_batch_request_write(pacifica_text *out, const char *request_id,
                                    const pacifica_signed_request *const *actions, size_t count,
                                    char *err, size_t errcap);

/* Raw Ed25519 (RFC 8032, pure) signature of bytes[0..length) with key. Returns 0 or -1. */
int pacifica_sign_bytes(uint8_t signature[PACIFICA_SIGNATURE_BYTES], const pacifica_keypair *key,
                        const void *bytes, size_t length);

/* 1 when signature is a valid Ed25519 signature of message by public_key, else 0. */
int pacifica_signature_verify(const uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES], const char *message,
                              size_t length, const uint8_t signature[PACIFICA_SIGNATURE_BYTES]);

#endif
