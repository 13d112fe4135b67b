#!/bin/sh
# The Docker image's runtime stage installs what ./hedge needs, and nothing it does not:
#   * every library the binary links (readelf NEEDED) comes from a package in the runtime list,
#     or from the base image (the closure of Debian's essential packages);
#   * every library ldd resolves (the indirect ones too) is in that list, the base image, or
#     pulled in by the Depends of a listed package;
#   * the libraries loaded at run time are listed: lua-cjson's cjson.so (found on hedge's
#     package.cpath) and libwebsockets' libuv event-loop plugin; and ca-certificates for TLS;
#   * no package is listed that none of the above needs;
#   * the build stage has every -dev package tools/install-deps installs;
#   * the conventions: bookworm build stage, bookworm-slim runtime, non-root user, scripts
#     copied, docker-compose.yml with a restart policy, env_file, state and log volumes and an
#     on-demand emergency-close service.
# Runs without a Docker engine: it reads the files and asks dpkg about this Debian 12 machine.
set -u
n=0; failed=0
check() {   # check NAME EXPECTED FOUND
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"
  else failed=$((failed + 1)); echo "not ok $n - $1"; printf '#   expected: %s\n#   found:    %s\n' "$2" "$3"; fi
}
# The image ships the release build (make hedge): check ./hedge, else the binary under test.
H=./hedge
[ -x "$H" ] || H=${HEDGE_BIN:-./hedge}
if ldd "$H" 2>/dev/null | grep -q 'libasan\|libubsan'; then
  echo "1..0 # SKIP $H is a sanitizer build; the image ships the release build (make hedge)"
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The apt-get install list of a stage: the words after "install" up to "&&", options dropped.
stage_packages() {   # stage_packages STAGE_NAME
  awk -v stage="$1" '
    /^FROM / { inside = ($0 ~ (" AS " stage "$")) }
    inside && /apt-get install/ { collecting = 1 }
    inside && collecting {
      line = $0
      sub(/.*apt-get install/, "", line)
      n = split(line, w, /[ \t\\]+/)
      for (i = 1; i <= n; i++) {
        if (w[i] == "&&") { collecting = 0; break }
        if (w[i] != "" && w[i] !~ /^-/) print w[i]
      }
    }' Dockerfile | sort -u
}

# The Debian package that owns a file (merged /usr: try the path as given, resolved, and /usr-prefixed).
owner() {
  for p in "$1" "$(readlink -f "$1")" "/usr$1" "$(echo "$1" | sed 's|^/usr||')"; do
    pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1)
    [ -n "$pkg" ] && { echo "$pkg"; return; }
  done
  echo "?$1"
}

# Depends closure of a package list (installed packages only; alternatives: every installed one).
closure() {   # closure FILE_WITH_PACKAGES -> prints the closure
  cp "$1" "$tmp/todo"; : > "$tmp/seen"
  while [ -s "$tmp/todo" ]; do
    : > "$tmp/next"
    while read -r p; do
      grep -qx "$p" "$tmp/seen" && continue
      echo "$p" >> "$tmp/seen"
      dpkg-query -W -f='${Pre-Depends}, ${Depends}\n' "$p" 2>/dev/null | tr ',|' '\n\n' \
        | sed 's/([^)]*)//g; s/:any//g; s/^ *//; s/ *$//' | grep -v '^$' >> "$tmp/next"
    done < "$tmp/todo"
    sort -u "$tmp/next" | while read -r d; do
      dpkg-query -W -f='${db:Status-Status}' "$d" 2>/dev/null | grep -qx installed && echo "$d"
    done > "$tmp/todo"
  done
  sort -u "$tmp/seen"
}

stage_packages runtime > "$tmp/runtime"
stage_packages build > "$tmp/build"
check "the runtime stage lists packages" "yes" "$( [ -s "$tmp/runtime" ] && echo yes)"

dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" { print $1 }' > "$tmp/essential"
closure "$tmp/essential" > "$tmp/base"
closure "$tmp/runtime" > "$tmp/runtime_closure"
check "the base image's closure includes libc6" "yes" "$(grep -qx libc6 "$tmp/base" && echo yes)"

# direct dependencies (NEEDED) -> packages, resolved through ldd's paths
ldd "$H" > "$tmp/ldd"
check "ldd resolves every library" "" "$(grep 'not found' "$tmp/ldd")"
readelf -d "$H" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' > "$tmp/needed"
: > "$tmp/direct"
while read -r lib; do
  path=$(awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 }' "$tmp/ldd")
  echo "$(owner "$path")" >> "$tmp/direct"
done < "$tmp/needed"
sort -u -o "$tmp/direct" "$tmp/direct"
missing=""
while read -r p; do
  grep -qx "$p" "$tmp/runtime" || grep -qx "$p" "$tmp/base" || missing="$missing $p"
done < "$tmp/direct"
check "every library ./hedge links directly comes from a listed package or the base image" "" "$missing"

# every resolved library (indirect ones too)
uncovered=""
awk '$2 == "=>" && $3 ~ /^\// { print $3 }' "$tmp/ldd" | while read -r path; do owner "$path"; done | sort -u > "$tmp/all"
while read -r p; do
  grep -qx "$p" "$tmp/runtime_closure" || grep -qx "$p" "$tmp/base" || uncovered="$uncovered $p"
done < "$tmp/all"
check "every library ldd resolves is installed by the runtime list's dependencies or the base image" "" "$uncovered"

# loaded at run time
cjson=$("$H" -e 'io.write(package.searchpath("cjson", package.cpath) or "")')
check "hedge finds cjson.so on its package.cpath" "yes" "$( [ -n "$cjson" ] && echo yes)"
cjson_pkg=$(owner "$cjson")
check "cjson.so comes from lua-cjson, which the runtime stage lists" "lua-cjson yes" "$cjson_pkg $(grep -qx "$cjson_pkg" "$tmp/runtime" && echo yes)"
plugin=$(dpkg -L libwebsockets-evlib-uv 2>/dev/null | grep 'evlib_uv\.so$' | head -n 1)
check "the libwebsockets libuv plugin is installed here" "yes" "$( [ -n "$plugin" ] && echo yes)"
check "and listed in the runtime stage" "yes" "$(grep -qx libwebsockets-evlib-uv "$tmp/runtime" && echo yes)"
check "ca-certificates is listed (TLS to the venues)" "yes" "$(grep -qx ca-certificates "$tmp/runtime" && echo yes)"

# nothing extra
extra=""
while read -r p; do
  case "$p" in lua-cjson|libwebsockets-evlib-uv|ca-certificates) continue ;; esac
  grep -qx "$p" "$tmp/direct" || extra="$extra $p"
done < "$tmp/runtime"
check "the runtime stage lists nothing the binary does not need" "" "$extra"

# the build stage has what tools/install-deps installs to build
want=$(sed -n '/^PACKAGES="/,/"$/p' tools/install-deps | tr ' \\"' '\n\n\n' | grep -- '-dev$\|^libwebsockets-evlib-uv$\|^lua-cjson$\|^make$\|^gcc$\|^pkg-config$' | sort -u)
lacking=""
for p in $want; do grep -qx "$p" "$tmp/build" || lacking="$lacking $p"; done
check "the build stage installs every build package of tools/install-deps" "" "$lacking"

# conventions
check "build stage: Debian bookworm" "yes" "$(grep -q '^FROM debian:bookworm AS build$' Dockerfile && echo yes)"
check "runtime stage: Debian bookworm-slim" "yes" "$(grep -q '^FROM debian:bookworm-slim AS runtime$' Dockerfile && echo yes)"
check "the runtime copies the binary from the build stage" "yes" "$(grep -q '^COPY --from=build /src/hedge ' Dockerfile && echo yes)"
check "and the scripts" "yes" "$(grep -q '^COPY scripts/ ' Dockerfile && echo yes)"
user=$(awk '/^FROM .* AS runtime$/ { r = 1 } r && /^USER / { u = $2 } END { print u }' Dockerfile)
check "the runtime runs as a non-root user" "hedge" "$user"
check "apt lists are removed in both stages" "2" "$(grep -c 'rm -rf /var/lib/apt/lists' Dockerfile)"
check "compose: the bot restarts unless stopped" "yes" "$(grep -q 'restart: unless-stopped' docker-compose.yml && echo yes)"
check "compose: secrets from env_file .env" "2" "$(grep -c 'env_file: .env' docker-compose.yml)"
check "compose: state and logs are volumes" "yes" "$(grep -q '\./state:/app/state' docker-compose.yml && grep -q '\./logs:/app/logs' docker-compose.yml && echo yes)"
check "compose: the emergency close runs on demand (a profile)" "yes" "$(awk '/^  emergency-close:/ { s = 1 } s && /profiles: \["tools"\]/ { print "yes"; exit }' docker-compose.yml)"
check "compose: it runs scripts/emergency_close.lua --force" "yes" "$(grep -q 'scripts/emergency_close.lua", "--config", "bot_config.json", "--force"' docker-compose.yml && echo yes)"
check ".dockerignore keeps secrets and local state out of the image" "yes" "$(grep -qx '.env' .dockerignore && grep -qx 'state' .dockerignore && echo yes)"

echo "1..$n"
[ $failed -eq 0 ]
