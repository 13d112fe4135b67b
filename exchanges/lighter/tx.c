/* Lighter transaction hashing and signing (lighter.md §6.1-6.4): the ordered field elements
 * of each tx type, the optional attribute hash, the Schnorr signature and tx_info. */
#include "exchanges/lighter/tx.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/poseidon2.h"
#include "exchanges/lighter/schnorr.h"

struct element_list {
    uint64_t *v;
    size_t n;
};

/* Every integer field is a 64-bit two's-complement word reduced mod p (§6.2); the values
 * here are validated non-negative, so this is the number itself. */
static void push(struct element_list *l, int64_t value) { l->v[l->n++] = lighter_gf_from_int64(value); }

/* Non-nil attributes sorted by type, as [t1, v1, t2, v2, ...] padded with zeros to 8. */
static int attribute_elements(const lighter_tx_attributes *a, uint64_t out[2 * LIGHTER_TX_MAX_ATTRIBUTES]) {
    int used = 0;
    memset(out, 0, 2 * LIGHTER_TX_MAX_ATTRIBUTES * sizeof out[0]);
    for (int64_t type = 1; type <= 7; type++) {
        for (size_t i = 0; i < a->count; i++) {
            if (a->entries[i].type != type) continue;
            int64_t nil = type == LIGHTER_ATTRIBUTE_CANCEL_ALL_MARKET ? 255 : 0;
            if (a->entries[i].value == nil) continue;
            out[2 * used] = (uint64_t)type;
            out[2 * used + 1] = (uint64_t)a->entries[i].value;
            used++;
        }
    }
    return used;
}

int lighter_tx_digest_compute(lighter_tx_digest *d, const lighter_tx *tx, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES],
                              char *err, size_t errcap) {
    struct element_list l = {d->elements, 0};
    memset(d, 0, sizeof *d);
    push(&l, tx->chain_id);
    push(&l, tx->type);
    push(&l, tx->nonce);
    push(&l, tx->expired_at);
    push(&l, tx->account_index);
    push(&l, tx->api_key_index);
    switch (tx->type) {
    case LIGHTER_TX_CREATE_ORDER: {
        const lighter_create_order *o = &tx->body.create_order;
        push(&l, o->market_index);
        push(&l, o->client_order_index);
        push(&l, o->base_amount);
        push(&l, o->price);
        push(&l, o->is_ask);
        push(&l, o->type);
        push(&l, o->time_in_force);
        push(&l, o->reduce_only);
        push(&l, o->trigger_price);
        push(&l, o->order_expiry);
        break;
    }
    case LIGHTER_TX_CANCEL_ORDER:
        push(&l, tx->body.cancel_order.market_index);
        push(&l, tx->body.cancel_order.index);
        break;
    case LIGHTER_TX_CANCEL_ALL_ORDERS:
        push(&l, tx->body.cancel_all_orders.time_in_force);
        push(&l, tx->body.cancel_all_orders.time);
        break;
    case LIGHTER_TX_MODIFY_ORDER: {
        const lighter_modify_order *m = &tx->body.modify_order;
        push(&l, m->market_index);
        push(&l, m->index);
        push(&l, m->base_amount);
        push(&l, m->price);
        push(&l, m->trigger_price);
        break;
    }
    case LIGHTER_TX_UPDATE_LEVERAGE:
        push(&l, tx->body.update_leverage.market_index);
        push(&l, tx->body.update_leverage.initial_margin_fraction);
        push(&l, tx->body.update_leverage.margin_mode);
        break;
    case LIGHTER_TX_CHANGE_PUB_KEY: {
        lighter_fp5 pk;
        if (!public_key || lighter_public_key_to_fp5(&pk, public_key) != 0) {
            if (err && errcap) snprintf(err, errcap, "ChangePubKey.PubKey is not a canonical public key");
            return LIGHTER_SIGN_INVALID_INPUT;
        }
        for (int i = 0; i < 5; i++) d->elements[l.n++] = pk.c[i];
        break;
    }
    default:
        if (err && errcap) snprintf(err, errcap, "unsupported Lighter tx type %d", (int)tx->type);
        return LIGHTER_SIGN_INVALID_INPUT;
    }
    d->element_count = l.n;
    lighter_poseidon2_hash_to_fp5(&d->body_hash, d->elements, d->element_count);
    d->message = d->body_hash;
    if (attribute_elements(&tx->attributes, d->attribute_elements) > 0) {
        uint64_t combined[10];
        d->has_attributes = 1;
        lighter_poseidon2_hash_to_fp5(&d->attributes_hash, d->attribute_elements, 2 * LIGHTER_TX_MAX_ATTRIBUTES);
        memcpy(combined, d->body_hash.c, sizeof d->body_hash.c);
        memcpy(combined + 5, d->attributes_hash.c, sizeof d->attributes_hash.c);
        lighter_poseidon2_hash_to_fp5(&d->message, combined, 10);
    }
    return LIGHTER_SIGN_OK;
}

static int sign_resolved(const lighter_tx *tx, const lighter_key *key, const lighter_scalar *k, lighter_signed_tx *out,
                         char *err, size_t errcap) {
    lighter_tx_digest digest;
    int rc = lighter_tx_digest_compute(&digest, tx, key->public_key, err, errcap);
    if (rc != LIGHTER_SIGN_OK) return rc;
    out->type = tx->type;
    lighter_fp5_to_bytes(out->hash, &digest.message);
    sodium_bin2hex(out->hash_hex, sizeof out->hash_hex, out->hash, sizeof out->hash);
    rc = k ? lighter_schnorr_sign_with_k(out->signature, &key->secret, &digest.message, k)
           : lighter_schnorr_sign(out->signature, &key->secret, &digest.message);
    if (rc != 0) {
        if (err && errcap) snprintf(err, errcap, k ? "signing nonce k must not be zero" : "libsodium could not be initialised");
        return k ? LIGHTER_SIGN_INVALID_INPUT : LIGHTER_SIGN_RANDOM_FAILED;
    }
    out->tx_info_len = lighter_tx_info_render(out->tx_info, sizeof out->tx_info, tx, key->public_key, out->signature);
    if (out->tx_info_len == 0) {   /* cannot happen with validated fields; refuse rather than truncate */
        if (err && errcap) snprintf(err, errcap, "%s tx_info does not fit in %d bytes", lighter_tx_type_name(tx->type), LIGHTER_TX_INFO_MAX);
        return LIGHTER_SIGN_INVALID_INPUT;
    }
    return LIGHTER_SIGN_OK;
}

int lighter_tx_sign_with_k(const lighter_tx *tx, const lighter_key *key, const lighter_scalar *k, lighter_signed_tx *out,
                           char *err, size_t errcap) {
    lighter_tx resolved;
    int rc = lighter_tx_resolve(&resolved, tx, err, errcap);
    if (rc != LIGHTER_SIGN_OK) return rc;
    return sign_resolved(&resolved, key, k, out, err, errcap);
}

int lighter_tx_sign(const lighter_tx *tx, const lighter_key *key, lighter_signed_tx *out, char *err, size_t errcap) {
    return lighter_tx_sign_with_k(tx, key, NULL, out, err, errcap);
}
