/* EIP-712 typed-data hashing for edgeX v2 (spec V.6).
 *
 * Two layers:
 *   - the edgeX types, hashed by fixed code (order_v2.c, margin_v2.c) from the type hashes
 *     and word encoders below: that is the signing path;
 *   - a generic encoder driven by a JSON description {"types", "primaryType", "domain",
 *     "message"} (atomic types, strings, bytes, nested structs), which reproduces the EIP-712
 *     specification's own example and cross-checks the fixed code in the tests. */
#ifndef HEDGE_EXCHANGES_EDGEX_EIP712_H
#define HEDGE_EXCHANGES_EDGEX_EIP712_H

#include <jansson.h>
#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/text.h"
#include "exchanges/edgex/u256.h"

/* The encodeType strings of the types edgeX v2 uses. */
#define EDGEX_EIP712_DOMAIN_TYPE \
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
#define EDGEX_EIP712_ORDER_BASE_TYPE \
    "OrderBase(uint256 nonce,address signer,uint64 accountId,uint256 expirationTimestamp)"
#define EDGEX_EIP712_LIMIT_ORDER_TYPE                                                                         \
    "LimitOrderParams(OrderBase base,int256 amountSynthetic,int256 amountCollateral,uint256 amountFee,"      \
    "uint64 assetIdSynthetic,uint64 assetIdCollateral,bool isBuyingSynthetic,bytes32 parentOrderHash,"     \
    "uint256 subOrderIndex)" EDGEX_EIP712_ORDER_BASE_TYPE
#define EDGEX_EIP712_MARGIN_TYPE \
    "SetMarginPreferenceParams(uint64 accountId,uint64 assetId,uint8 marginMode,uint256 nonce,address signer)"
#define EDGEX_EIP712_TRANSFER_TYPE \
    "TransferParams(uint64 from,uint64 to,uint64 assetId,int256 amount,uint256 nonce,uint256 deadline,address signer)"

typedef enum edgex_eip712_type {
    EDGEX_EIP712_DOMAIN = 0,
    EDGEX_EIP712_ORDER_BASE,
    EDGEX_EIP712_LIMIT_ORDER,
    EDGEX_EIP712_MARGIN,
    EDGEX_EIP712_TRANSFER,
    EDGEX_EIP712_TYPE_COUNT
} edgex_eip712_type;

/* keccak256 of the encodeType string (computed once). */
const uint8_t *edgex_eip712_type_hash(edgex_eip712_type type);
const char *edgex_eip712_type_string(edgex_eip712_type type);

/* 32-byte words */
void edgex_eip712_word_u64(uint8_t word[32], uint64_t v);
void edgex_eip712_word_u256(uint8_t word[32], const edgex_u256 *v);
void edgex_eip712_word_address(uint8_t word[32], const uint8_t address[20]);

/* The edgeX domain {name, version, chainId, verifyingContract}. chain_id is decimal or 0x hex
 * (metadata.global.nativeChainId, else chainId), contract is 0x + 40 hex digits (any case).
 * words (optional) receives the five encoded words. */
int edgex_eip712_domain_separator(uint8_t out[32], uint8_t words[5][32], const char *name, const char *version,
                                  const char *chain_id, const char *verifying_contract, edgex_error *err);

/* keccak256(0x19 0x01 || domain_separator || struct_hash) */
void edgex_eip712_digest(uint8_t out[32], const uint8_t domain_separator[32], const uint8_t struct_hash[32]);

/* Generic encoder. types: {"Name": [{"name": ..., "type": ...}, ...], ...}. */
int edgex_eip712_encode_type(edgex_text *out, const json_t *types, const char *primary, edgex_error *err);
int edgex_eip712_hash_struct(uint8_t out[32], const json_t *types, const char *primary, const json_t *message,
                             edgex_error *err);
/* Domain hashed with the EIP712Domain fields present in domain (name, version, chainId,
 * verifyingContract, salt, in that order), then the full digest of message. */
int edgex_eip712_hash_typed_data(uint8_t digest[32], uint8_t domain_separator[32], uint8_t struct_hash[32],
                                 const json_t *types, const char *primary, const json_t *domain,
                                 const json_t *message, edgex_error *err);

#endif
