/* tests/run_vectors PATH...: runs every *.json vector file under the given files or folders
 * through the C code, one TAP line per file, and ends with "N passed, M failed" (cases).
 * Exits non-zero on any failed case and on any file whose base name has no handler. */
#include "tests/vectors/vector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/runner_files.h"

#define MAX_TABLES 16
static const struct vector_handler *tables[MAX_TABLES];
static int table_count;

void vector_register(const struct vector_handler *table) {
    if (table_count == MAX_TABLES) { fprintf(stderr, "run_vectors: too many handler tables\n"); exit(2); }
    tables[table_count++] = table;
}

static const struct vector_handler *find_handler(const char *base) {
    for (int t = 0; t < table_count; t++)
        for (const struct vector_handler *h = tables[t]; h->file_name; h++)
            if (strcmp(h->file_name, base) == 0) return h;
    return NULL;
}

const char *vector_str(const json_t *obj, const char *key) {
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int hex_digit(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long vector_hex(const char *hex, unsigned char *out, size_t cap) {
    if (!hex) return -1;
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex += 2;
    size_t len = strlen(hex);
    if (len % 2 || len / 2 > cap) return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(len / 2);
}

int vector_mismatch(char *why, size_t why_size, const char *field, const char *expected, const char *found) {
    snprintf(why, why_size, "%s: expected %s, found %s", field, expected ? expected : "(none)", found ? found : "(none)");
    return 0;
}

static void base_name(const char *path, char *out, size_t cap) {
    const char *slash = strrchr(path, '/');
    snprintf(out, cap, "%s", slash ? slash + 1 : path);
    if (runner_ends_with(out, ".json")) out[strlen(out) - 5] = '\0';
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: run_vectors PATH...\n"); return 2; }
    struct runner_files list = {0};
    if (runner_collect_args(&list, argc, argv, "run_vectors") != 0) return 2;

    printf("1..%zu\n", list.count);
    long passed = 0, failed = 0;
    for (size_t f = 0; f < list.count; f++) {
        const char *path = list.paths[f];
        char base[256];
        base_name(path, base, sizeof base);
        const struct vector_handler *h = find_handler(base);
        json_error_t jerr;
        json_t *root = h ? json_load_file(path, JSON_DECODE_ANY, &jerr) : NULL;
        const json_t *cases = root ? json_object_get(root, "cases") : NULL;
        if (!h) {
            printf("not ok %zu - %s: no handler for vector file '%s'\n", f + 1, path, base);
            failed++;
        } else if (!json_is_array(cases)) {
            printf("not ok %zu - %s: %s\n", f + 1, path, root ? "no \"cases\" array" : jerr.text);
            failed++;
        } else {
            long file_failed = 0;
            size_t i;
            json_t *c;
            json_array_foreach(cases, i, c) {
                char why[2048] = "";
                if (h->check(c, root, why, sizeof why)) { passed++; continue; }
                failed++; file_failed++;
                const char *name = vector_str(c, "name");
                if (!name) name = vector_str(c, "id");
                printf("# %s case %zu (%s): %s\n", base, i, name ? name : "unnamed", why);
            }
            printf("%sok %zu - %s (%zu cases, %ld failed)\n", file_failed ? "not " : "", f + 1, path,
                   json_array_size(cases), file_failed);
        }
        json_decref(root);
    }
    runner_free_files(&list);
    printf("%ld passed, %ld failed\n", passed, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}
