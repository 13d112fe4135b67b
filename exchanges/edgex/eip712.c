/* EIP-712 encoding (see eip712.h). All inputs are public. */
#include "exchanges/edgex/eip712.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/edgex/eth_sign.h"
#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"

static const char *const TYPE_STRINGS[EDGEX_EIP712_TYPE_COUNT] = {
    EDGEX_EIP712_DOMAIN_TYPE, EDGEX_EIP712_ORDER_BASE_TYPE, EDGEX_EIP712_LIMIT_ORDER_TYPE,
    EDGEX_EIP712_MARGIN_TYPE, EDGEX_EIP712_TRANSFER_TYPE,
};
static uint8_t type_hashes[EDGEX_EIP712_TYPE_COUNT][32];
static pthread_once_t hashes_once = PTHREAD_ONCE_INIT;

static void compute_type_hashes(void) {
    for (int i = 0; i < EDGEX_EIP712_TYPE_COUNT; i++)
        edgex_keccak256(TYPE_STRINGS[i], strlen(TYPE_STRINGS[i]), type_hashes[i]);
}

const uint8_t *edgex_eip712_type_hash(edgex_eip712_type type) {
    pthread_once(&hashes_once, compute_type_hashes);
    return type_hashes[type];
}

const char *edgex_eip712_type_string(edgex_eip712_type type) { return TYPE_STRINGS[type]; }

void edgex_eip712_word_u64(uint8_t word[32], uint64_t v) {
    memset(word, 0, 24);
    for (int i = 0; i < 8; i++) word[31 - i] = (uint8_t)(v >> (8 * i));
}

void edgex_eip712_word_u256(uint8_t word[32], const edgex_u256 *v) { edgex_u256_to_bytes(word, v); }

void edgex_eip712_word_address(uint8_t word[32], const uint8_t address[20]) {
    memset(word, 0, 12);
    memcpy(word + 12, address, 20);
}

void edgex_eip712_digest(uint8_t out[32], const uint8_t domain_separator[32], const uint8_t struct_hash[32]) {
    uint8_t buf[66] = {0x19, 0x01};
    memcpy(buf + 2, domain_separator, 32);
    memcpy(buf + 34, struct_hash, 32);
    edgex_keccak256(buf, sizeof buf, out);
}

int edgex_eip712_domain_separator(uint8_t out[32], uint8_t words[5][32], const char *name, const char *version,
                                  const char *chain_id, const char *verifying_contract, edgex_error *err) {
    uint8_t w[5][32], address[20];
    edgex_u256 chain;
    if (!name || !version) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 domain needs a name and a version");
    if (!chain_id || edgex_u256_from_text(&chain, chain_id) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 chainId must be a decimal or 0x-hex integer");
    if (edgex_eth_address_parse(address, verifying_contract, NULL) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 verifyingContract must be 0x followed by 40 hex digits");
    memcpy(w[0], edgex_eip712_type_hash(EDGEX_EIP712_DOMAIN), 32);
    edgex_keccak256(name, strlen(name), w[1]);
    edgex_keccak256(version, strlen(version), w[2]);
    edgex_eip712_word_u256(w[3], &chain);
    edgex_eip712_word_address(w[4], address);
    edgex_keccak256(w, sizeof w, out);
    if (words) memcpy(words, w, sizeof w);
    return EDGEX_OK;
}

/* ---- generic encoder ---------------------------------------------------------------------- */

/* "Person[]" -> length of "Person" */
static size_t base_type_len(const char *type) {
    const char *bracket = strchr(type, '[');
    return bracket ? (size_t)(bracket - type) : strlen(type);
}

static const json_t *struct_fields(const json_t *types, const char *name, size_t len) {
    char buf[128];
    if (len >= sizeof buf) return NULL;
    memcpy(buf, name, len);
    buf[len] = '\0';
    const json_t *fields = json_object_get(types, buf);
    return json_is_array(fields) ? fields : NULL;
}

static int contains(const char **list, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0) return 1;
    return 0;
}

/* Depth-first collection of the struct types referenced from `name` (name itself included). */
static int collect_deps(const json_t *types, const char *name, const char **found, size_t *count, size_t cap,
                        edgex_error *err) {
    if (contains(found, *count, name)) return EDGEX_OK;
    if (*count == cap) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: too many struct types");
    const char *key = NULL;
    const json_t *fields = NULL;
    json_t *value;
    json_object_foreach((json_t *)types, key, value) {
        if (strcmp(key, name) == 0) {
            fields = value;
            break;
        }
    }
    if (!json_is_array(fields)) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: unknown struct type %s", name);
    found[(*count)++] = key;   /* the key string lives in the json object */
    size_t i;
    json_t *field;
    json_array_foreach((json_t *)fields, i, field) {
        const char *type = json_string_value(json_object_get(field, "type"));
        if (!type) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: field %zu of %s has no type", i, name);
        size_t len = base_type_len(type);
        if (struct_fields(types, type, len)) {
            char dep[128];
            memcpy(dep, type, len);
            dep[len] = '\0';
            int rc = collect_deps(types, dep, found, count, cap, err);
            if (rc) return rc;
        }
    }
    return EDGEX_OK;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static void append_definition(edgex_text *out, const char *name, const json_t *fields) {
    edgex_text_puts(out, name);
    edgex_text_putc(out, '(');
    size_t i;
    json_t *field;
    json_array_foreach((json_t *)fields, i, field) {
        if (i) edgex_text_putc(out, ',');
        edgex_text_puts(out, json_string_value(json_object_get(field, "type")));
        edgex_text_putc(out, ' ');
        edgex_text_puts(out, json_string_value(json_object_get(field, "name")));
    }
    edgex_text_putc(out, ')');
}

int edgex_eip712_encode_type(edgex_text *out, const json_t *types, const char *primary, edgex_error *err) {
    const char *found[64];
    size_t count = 0;
    edgex_text_reset(out);
    if (!json_is_object(types) || !primary) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: types must be an object");
    int rc = collect_deps(types, primary, found, &count, 64, err);
    if (rc) return rc;
    /* primary first, then the referenced types sorted by name */
    qsort(found + 1, count - 1, sizeof *found, compare_names);
    for (size_t i = 0; i < count; i++)
        append_definition(out, found[i], struct_fields(types, found[i], strlen(found[i])));
    if (out->failed) return edgex_fail(err, EDGEX_E_BUFFER, "EIP-712: out of memory");
    return EDGEX_OK;
}

/* Integer value from a JSON string (decimal, 0x hex, optional leading '-') or integer. */
static int integer_word(uint8_t word[32], const json_t *value, int is_signed, unsigned bits, const char *field,
                        edgex_error *err) {
    edgex_u256 v;
    int negative = 0;
    if (json_is_integer(value)) {
        json_int_t i = json_integer_value(value);
        negative = i < 0;
        edgex_u256_from_u64(&v, negative ? (uint64_t)0 - (uint64_t)i : (uint64_t)i);
    } else if (json_is_string(value)) {
        const char *text = json_string_value(value);
        if (*text == '-') {
            negative = 1;
            text++;
        }
        if (edgex_u256_from_text(&v, text) != 0)
            return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: not an integer", field);
    } else {
        return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: expected an integer", field);
    }
    if (negative && !is_signed) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: negative value for uint%u", field, bits);
    /* range: unsigned < 2^bits; signed magnitude <= 2^(bits-1) (negative) or < 2^(bits-1) */
    unsigned limit_bits = is_signed ? bits - 1 : bits;
    unsigned len = edgex_u256_bit_length(&v);
    int fits = len <= limit_bits;
    if (negative && is_signed && len == limit_bits + 1) {   /* exactly -2^(bits-1) */
        edgex_u256 pow;
        edgex_u256_from_u64(&pow, 1);
        edgex_u256_shl(&pow, &pow, limit_bits);
        fits = edgex_u256_cmp(&v, &pow) == 0;
    }
    if (!fits) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: out of range for %sint%u", field, is_signed ? "" : "u", bits);
    if (negative) {   /* two's complement over 256 bits */
        edgex_u256 zero = {{0, 0, 0, 0}};
        edgex_u256_sub(&v, &zero, &v);
    }
    edgex_eip712_word_u256(word, &v);
    return EDGEX_OK;
}

static int hex_bytes(const char *text, uint8_t **out, size_t *len) {
    if (!text || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return -1;
    size_t digits = strlen(text + 2);
    if (digits % 2) return -1;
    *len = digits / 2;
    *out = malloc(*len ? *len : 1);
    if (!*out) return -1;
    if (edgex_hex_to_bytes(text + 2, digits, *out, *len) != 0) {
        free(*out);
        return -1;
    }
    return 0;
}

static int encode_value(uint8_t word[32], const json_t *types, const char *type, const json_t *value,
                        const char *field, int depth, edgex_error *err);

static int hash_struct_depth(uint8_t out[32], const json_t *types, const char *primary, const json_t *message,
                             int depth, edgex_error *err) {
    if (depth > 16) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: structs nested too deeply");
    const json_t *fields = struct_fields(types, primary, strlen(primary));
    if (!fields) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: unknown struct type %s", primary);
    if (!json_is_object(message)) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: value of %s must be an object", primary);
    edgex_text type_string;
    edgex_text_init(&type_string);
    int rc = edgex_eip712_encode_type(&type_string, types, primary, err);
    edgex_keccak256_ctx ctx;
    edgex_keccak256_init(&ctx);
    if (rc == EDGEX_OK) {
        uint8_t word[32];
        edgex_keccak256(type_string.data, type_string.len, word);
        edgex_keccak256_update(&ctx, word, 32);
        size_t i;
        json_t *field;
        json_array_foreach((json_t *)fields, i, field) {
            const char *name = json_string_value(json_object_get(field, "name"));
            const char *type = json_string_value(json_object_get(field, "type"));
            if (!name || !type) {
                rc = edgex_fail(err, EDGEX_E_INPUT, "EIP-712: field %zu of %s needs a name and a type", i, primary);
                break;
            }
            const json_t *value = json_object_get(message, name);
            if (!value) {
                rc = edgex_fail(err, EDGEX_E_INPUT, "EIP-712: %s.%s is missing", primary, name);
                break;
            }
            rc = encode_value(word, types, type, value, name, depth, err);
            if (rc) break;
            edgex_keccak256_update(&ctx, word, 32);
        }
    }
    edgex_keccak256_final(&ctx, out);
    edgex_text_free(&type_string);
    return rc;
}

static int encode_value(uint8_t word[32], const json_t *types, const char *type, const json_t *value,
                        const char *field, int depth, edgex_error *err) {
    if (strchr(type, '[')) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: array types are not supported", field);
    if (struct_fields(types, type, strlen(type))) return hash_struct_depth(word, types, type, value, depth + 1, err);
    if (strcmp(type, "string") == 0) {
        if (!json_is_string(value)) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: expected a string", field);
        edgex_keccak256(json_string_value(value), json_string_length(value), word);
        return EDGEX_OK;
    }
    if (strcmp(type, "address") == 0) {
        uint8_t address[20];
        if (edgex_eth_address_parse(address, json_string_value(value), NULL) != 0)
            return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: expected 0x followed by 40 hex digits", field);
        edgex_eip712_word_address(word, address);
        return EDGEX_OK;
    }
    if (strcmp(type, "bool") == 0) {
        if (!json_is_boolean(value)) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: expected true or false", field);
        edgex_eip712_word_u64(word, json_is_true(value) ? 1 : 0);
        return EDGEX_OK;
    }
    if (strcmp(type, "bytes") == 0 || strncmp(type, "bytes", 5) == 0) {
        uint8_t *bytes = NULL;
        size_t len = 0;
        if (hex_bytes(json_string_value(value), &bytes, &len) != 0)
            return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: expected 0x-prefixed hex bytes", field);
        int rc = EDGEX_OK;
        if (strcmp(type, "bytes") == 0) {
            edgex_keccak256(bytes, len, word);
        } else {
            char *end;
            long n = strtol(type + 5, &end, 10);
            if (*end || n < 1 || n > 32 || (size_t)n != len) {
                rc = edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: %s needs exactly its byte count", field, type);
            } else {
                memset(word, 0, 32);
                memcpy(word, bytes, len);   /* fixed-size bytes are left-aligned */
            }
        }
        free(bytes);
        return rc;
    }
    int is_signed = strncmp(type, "int", 3) == 0;
    if (is_signed || strncmp(type, "uint", 4) == 0) {
        const char *digits = type + (is_signed ? 3 : 4);
        char *end;
        long bits = *digits ? strtol(digits, &end, 10) : 256;
        if ((*digits && *end) || bits < 8 || bits > 256 || bits % 8)
            return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: unknown type %s", field, type);
        return integer_word(word, value, is_signed, (unsigned)bits, field, err);
    }
    return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 field %s: unknown type %s", field, type);
}

int edgex_eip712_hash_struct(uint8_t out[32], const json_t *types, const char *primary, const json_t *message,
                             edgex_error *err) {
    if (!json_is_object(types) || !primary) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: types must be an object");
    return hash_struct_depth(out, types, primary, message, 0, err);
}

int edgex_eip712_hash_typed_data(uint8_t digest[32], uint8_t domain_separator[32], uint8_t struct_hash[32],
                                 const json_t *types, const char *primary, const json_t *domain,
                                 const json_t *message, edgex_error *err) {
    static const struct {
        const char *name, *type;
    } domain_fields[] = {
        {"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}, {"salt", "bytes32"},
    };
    if (!json_is_object(domain)) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712: domain must be an object");
    json_t *domain_type = json_array();
    for (size_t i = 0; i < sizeof domain_fields / sizeof domain_fields[0]; i++) {
        if (!json_object_get(domain, domain_fields[i].name)) continue;
        json_array_append_new(domain_type, json_pack("{s:s, s:s}", "name", domain_fields[i].name, "type", domain_fields[i].type));
    }
    json_t *domain_types = json_pack("{s:o}", "EIP712Domain", domain_type);
    int rc = domain_types ? hash_struct_depth(domain_separator, domain_types, "EIP712Domain", domain, 0, err)
                          : edgex_fail(err, EDGEX_E_BUFFER, "EIP-712: out of memory");
    json_decref(domain_types);
    if (rc) return rc;
    rc = edgex_eip712_hash_struct(struct_hash, types, primary, message, err);
    if (rc) return rc;
    edgex_eip712_digest(digest, domain_separator, struct_hash);
    return EDGEX_OK;
}
