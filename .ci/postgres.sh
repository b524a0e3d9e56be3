#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and prints its URL (source it to get TEST_POSTGRES_URL).
#   source .ci/postgres.sh            # exports TEST_POSTGRES_URL and PG_THROWAWAY_DIR; stop with pg_throwaway_stop
# Debian's PostgreSQL 15 (apt-get install -y postgresql when missing). initdb refuses to run as root, so the
# cluster belongs to the postgres user; its data and socket live in a fresh temporary folder that user owns.
pg_throwaway_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$bin" ]]; then
    echo "PostgreSQL not found; installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 ||
      { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; }
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  local run_as=()
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    run_as=(runuser -u postgres --)
  fi
  PG_THROWAWAY_DIR=$(mktemp -d /tmp/lapor-pg.XXXXXX)
  chmod 755 "$PG_THROWAWAY_DIR"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$PG_THROWAWAY_DIR"; fi
  local port
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "${run_as[@]}" "$bin/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_THROWAWAY_DIR -c fsync=off -c max_connections=300" \
    start >/dev/null
  PG_THROWAWAY_BIN=$bin
  export PG_THROWAWAY_DIR PG_THROWAWAY_BIN
  export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "$TEST_POSTGRES_URL"
}

pg_throwaway_stop() {
  [[ -n "${PG_THROWAWAY_DIR:-}" && -d "$PG_THROWAWAY_DIR" ]] || return 0
  local run_as=()
  if [[ $(id -u) -eq 0 ]]; then run_as=(runuser -u postgres --); fi
  "${run_as[@]}" "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_THROWAWAY_DIR"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # Run directly: start and leave it running (print how to stop it).
  set -euo pipefail
  pg_throwaway_start
  echo "stop with: runuser -u postgres -- $PG_THROWAWAY_BIN/pg_ctl -D $PG_THROWAWAY_DIR/data -m immediate stop" >&2
fi
