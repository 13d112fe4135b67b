/* Access rules of the status server; see status_access.h for what they are and why. */
#include "runtime/status_access.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- listen address ------------------------------------------------------------------------ */

static int parse_port(const char *text, int *port) {
    if (!*text) return -1;
    long value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        value = value * 10 + (*p - '0');
        if (value > 65535) return -1;
    }
    *port = (int)value;
    return 0;
}

int rt_status_listen_parse(const char *text, rt_status_listen *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    if (!text || !*text) { snprintf(err, errcap, "listen address is empty (expected IP:PORT such as 127.0.0.1:8080)"); return -1; }
    char host[RT_STATUS_ADDRESS_MAX];
    const char *port_text;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':') {
            snprintf(err, errcap, "listen address \"%.80s\": an IPv6 address is written [ADDRESS]:PORT", text);
            return -1;
        }
        size_t n = (size_t)(close - text - 1);
        if (n == 0 || n >= sizeof host) { snprintf(err, errcap, "listen address \"%.80s\": bad IPv6 address", text); return -1; }
        memcpy(host, text + 1, n);
        host[n] = '\0';
        port_text = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (!colon || strchr(text, ':') != colon) {
            snprintf(err, errcap, "listen address \"%.80s\": expected IP:PORT such as 127.0.0.1:8080", text);
            return -1;
        }
        size_t n = (size_t)(colon - text);
        if (n == 0 || n >= sizeof host) { snprintf(err, errcap, "listen address \"%.80s\": the address before the port is missing", text); return -1; }
        memcpy(host, text, n);
        host[n] = '\0';
        port_text = colon + 1;
    }
    if (parse_port(port_text, &out->port) != 0) {
        snprintf(err, errcap, "listen address \"%.80s\": the port must be a number from 0 to 65535", text);
        return -1;
    }
    if (strcasecmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    unsigned char raw[16];
    if (inet_pton(AF_INET, host, raw) == 1) {
        out->ipv6 = 0;
        out->loopback = raw[0] == 127;
    } else if (inet_pton(AF_INET6, host, raw) == 1) {
        static const unsigned char loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        out->ipv6 = 1;
        out->loopback = memcmp(raw, loop6, 16) == 0;
    } else {
        /* No name resolution here: binding must not depend on DNS, and a name could map anywhere. */
        snprintf(err, errcap, "listen address \"%.80s\": \"%s\" is not a numeric IP address (or localhost)", text, host);
        return -1;
    }
    snprintf(out->address, sizeof out->address, "%s", host);
    return 0;
}

/* ---- token --------------------------------------------------------------------------------- */

static void hash_token(const unsigned char *text, size_t len, unsigned char out[32]) {
    crypto_generichash(out, 32, text, len, NULL, 0);
}

int rt_status_token_set(rt_status_token *token, const char *text, size_t len, char *err, size_t errcap) {
    memset(token, 0, sizeof *token);
    if (sodium_init() < 0) { snprintf(err, errcap, "libsodium failed to initialise"); return -1; }
    if (len < RT_STATUS_TOKEN_MIN_LEN) {
        snprintf(err, errcap, "the token is shorter than %d characters", RT_STATUS_TOKEN_MIN_LEN);
        return -1;
    }
    if (len > RT_STATUS_TOKEN_MAX_LEN) {
        snprintf(err, errcap, "the token is longer than %d characters", RT_STATUS_TOKEN_MAX_LEN);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= 0x20 || c >= 0x7f) {
            /* Never the character itself: it is part of a secret. */
            snprintf(err, errcap, "the token may only hold printable ASCII without spaces (character %zu is not)", i + 1);
            return -1;
        }
    }
    hash_token((const unsigned char *)text, len, token->hash);
    token->set = 1;
    return 0;
}

void rt_status_token_clear(rt_status_token *token) { sodium_memzero(token, sizeof *token); }

static int token_matches(const rt_status_token *token, const unsigned char *candidate, size_t len) {
    if (len < RT_STATUS_TOKEN_MIN_LEN || len > RT_STATUS_TOKEN_MAX_LEN) return 0;
    unsigned char hash[32];
    hash_token(candidate, len, hash);
    /* Comparing hashes in constant time: neither the bytes nor the length of the token leak. */
    int same = sodium_memcmp(hash, token->hash, sizeof hash) == 0;
    sodium_memzero(hash, sizeof hash);
    return same;
}

static size_t skip_spaces(const char *s, size_t i, size_t len) {
    while (i < len && s[i] == ' ') i++;
    return i;
}

int rt_status_token_accepts(const rt_status_token *token, const char *auth, size_t len) {
    if (!token->set || !auth) return 0;
    size_t i = skip_spaces(auth, 0, len);
    size_t end = len;
    while (end > i && auth[end - 1] == ' ') end--;
    if (end - i > 7 && strncasecmp(auth + i, "Bearer ", 7) == 0) {
        i = skip_spaces(auth, i + 7, end);
        return token_matches(token, (const unsigned char *)auth + i, end - i);
    }
    if (end - i > 6 && strncasecmp(auth + i, "Basic ", 6) == 0) {
        i = skip_spaces(auth, i + 6, end);
        size_t encoded = end - i;
        if (encoded > 2 * RT_STATUS_TOKEN_MAX_LEN) return 0;
        unsigned char decoded[2 * RT_STATUS_TOKEN_MAX_LEN];
        size_t decoded_len = 0;
        if (sodium_base642bin(decoded, sizeof decoded, auth + i, encoded, NULL, &decoded_len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            return 0;
        const unsigned char *colon = memchr(decoded, ':', decoded_len);
        int accepted = colon ? token_matches(token, colon + 1, decoded_len - (size_t)(colon + 1 - decoded)) : 0;
        sodium_memzero(decoded, sizeof decoded);
        return accepted;
    }
    return 0;
}

/* ---- Host header --------------------------------------------------------------------------- */

int rt_status_host_is_loopback(const char *host, size_t len) {
    if (!host || len == 0 || len >= 128) return 0;
    char name[128];
    memcpy(name, host, len);
    name[len] = '\0';
    if (memchr(name, '\0', len)) return 0;
    char *port = NULL;
    if (name[0] == '[') {
        char *close = strchr(name, ']');
        if (!close) return 0;
        if (close[1] == ':') port = close + 2;
        else if (close[1] != '\0') return 0;
        *close = '\0';
        memmove(name, name + 1, strlen(name + 1) + 1);
        unsigned char raw[16];
        static const unsigned char loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        if (inet_pton(AF_INET6, name, raw) != 1 || memcmp(raw, loop6, 16) != 0) return 0;
    } else {
        char *colon = strchr(name, ':');
        if (colon) { *colon = '\0'; port = colon + 1; }
        unsigned char raw[4];
        int is_v4 = inet_pton(AF_INET, name, raw) == 1;
        if (!(is_v4 && raw[0] == 127) && strcasecmp(name, "localhost") != 0) return 0;
    }
    if (port) {
        int value;
        if (parse_port(port, &value) != 0) return 0;
    }
    return 1;
}

int rt_status_path_is_clean(const char *path, size_t len) {
    if (!path || len == 0 || path[0] != '/') return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c < 0x20 || c == 0x7f) return 0;
    }
    return 1;
}
