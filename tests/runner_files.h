/* The *.json files a test runner is given: tests/run_fixtures and tests/run_vectors both take
 * files and folders on the command line and walk the folders in name order.
 *
 * Header-only (static inline) because the two runners are linked from different source lists
 * (the .c files of tests/fixtures and of tests/vectors) and neither list holds a shared file. */
#ifndef HEDGE_TESTS_RUNNER_FILES_H
#define HEDGE_TESTS_RUNNER_FILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct runner_files {
    char **paths;
    size_t count, cap;
};

static inline int runner_ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static inline void runner_add_file(struct runner_files *list, const char *path) {
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 64;
        list->paths = realloc(list->paths, list->cap * sizeof *list->paths);
        if (!list->paths) { perror("realloc"); exit(2); }
    }
    list->paths[list->count] = strdup(path);
    if (!list->paths[list->count]) { perror("strdup"); exit(2); }
    list->count++;
}

/* Adds path (a file, taken as it is) or every *.json file below it (a folder; hidden entries
 * skipped). Returns 0, or -1 after telling stderr, prefixed with runner, what was missing. */
static inline int runner_collect(struct runner_files *list, const char *path, const char *runner) {
    struct stat st;
    if (stat(path, &st) != 0) { fprintf(stderr, "%s: %s: no such file or folder\n", runner, path); return -1; }
    if (!S_ISDIR(st.st_mode)) { runner_add_file(list, path); return 0; }
    struct dirent **entries;
    int n = scandir(path, &entries, NULL, alphasort);
    if (n < 0) { perror(path); return -1; }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = entries[i]->d_name;
        if (name[0] != '.') {
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, name);
            struct stat cst;
            if (stat(child, &cst) == 0 && (S_ISDIR(cst.st_mode) || runner_ends_with(name, ".json")))
                if (runner_collect(list, child, runner) != 0) rc = -1;
        }
        free(entries[i]);
    }
    free(entries);
    return rc;
}

/* Every file of argv[1..argc): 0, or -1 when any path was missing (all are reported). */
static inline int runner_collect_args(struct runner_files *list, int argc, char **argv, const char *runner) {
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (runner_collect(list, argv[i], runner) != 0) rc = -1;
    return rc;
}

static inline void runner_free_files(struct runner_files *list) {
    for (size_t i = 0; i < list->count; i++) free(list->paths[i]);
    free(list->paths);
    list->paths = NULL;
    list->count = list->cap = 0;
}

#endif
