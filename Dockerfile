# hedge in a container: build on Debian bookworm, run on bookworm-slim as a non-root user.
#
#   docker build -t hedge .
#   docker compose up -d bot                         # the bot (docker-compose.yml)
#   docker compose run --rm emergency-close          # flatten every venue (asks nothing: --force)
#
# The runtime stage installs exactly the libraries ./hedge links (ldd), the two it loads at run
# time (lua-cjson's cjson.so, libwebsockets' libuv event-loop plugin) and the CA certificates;
# tests/docker/runtime_packages.sh checks that list against the binary.

# ---- build -------------------------------------------------------------------------------------
FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      make gcc libc6-dev pkg-config ca-certificates \
      libluajit2-5.1-dev libuv1-dev libcurl4-openssl-dev libwebsockets-dev libwebsockets-evlib-uv \
      lua-cjson lua-cjson-dev libjansson-dev libsodium-dev libssl-dev libsecp256k1-dev libsqlite3-dev libedit-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make clean && make hedge

# ---- runtime -----------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      libluajit2-5.1-2 libuv1 libcurl4 libwebsockets17 libwebsockets-evlib-uv libjansson4 \
      libsodium23 libssl3 libsecp256k1-1 libsqlite3-0 libedit2 lua-cjson \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin hedge
WORKDIR /app
COPY --from=build /src/hedge /usr/local/bin/hedge
COPY scripts/ /app/scripts/
COPY bot_config.example.json .env.example /app/
RUN mkdir -p /app/state /app/logs && chown hedge:hedge /app/state /app/logs
USER hedge
# The journal (SQLite) and the JSON-lines log live on volumes: a new container resumes the bot.
VOLUME ["/app/state", "/app/logs"]
ENTRYPOINT ["hedge"]
CMD ["scripts/strategy.lua", "--config", "bot_config.json", "--plain"]
