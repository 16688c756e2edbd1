#!/usr/bin/env bash
# Local Redis and Postgres as plain processes in a project-local data directory (.run/), loopback only.
#
#   scripts/services.sh start    install if missing, start, wait until ready (idempotent)
#   scripts/services.sh stop     stop what this script started
#   scripts/services.sh status   say what is running where
#   scripts/services.sh reset    stop, delete the local data (ledger, risk state), start empty
#   scripts/services.sh env      print REDIS_URL / DATABASE_URL exports (eval "$(scripts/services.sh env)")
#
# When REDIS_URL or DATABASE_URL is already set, that server is used instead and not managed here.
# Ports: HFT_REDIS_PORT (6379) and HFT_PG_PORT (5432).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${HFT_RUN_DIR:-$ROOT/.run}"
REDIS_PORT="${HFT_REDIS_PORT:-6379}"
PG_PORT="${HFT_PG_PORT:-5432}"
PG_BIN="${HFT_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
PG_DATA="$RUN/pg/data"
PG_SOCK="$RUN/pg"
DEFAULT_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
DEFAULT_DATABASE_URL="postgres://hft@127.0.0.1:$PG_PORT/hft"

say() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

# Postgres refuses to run as root; when we are root, run its tools as the postgres system user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_ping() { [ "$(redis-cli -u "$1" ping 2>/dev/null)" = PONG ]; }

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then
    command -v redis-cli >/dev/null || apt_install redis-tools
    redis_ping "$REDIS_URL" || die "REDIS_URL=$REDIS_URL is set but does not answer PING"
    say "redis: using REDIS_URL=$REDIS_URL"
    return
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  # Debian's package starts a system service on install when it can; we run our own instance.
  if redis_ping "$DEFAULT_REDIS_URL"; then
    say "redis: already answering on 127.0.0.1:$REDIS_PORT"
    return
  fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by something that is not Redis (set HFT_REDIS_PORT)"
  mkdir -p "$RUN/redis"
  # Append-only file so positions and the kill-switch survive a Redis restart.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --daemonize yes --dir "$RUN/redis" --pidfile "$RUN/redis/redis.pid" --logfile "$RUN/redis/redis.log" \
    --appendonly yes --appendfsync everysec --save ""
  for _ in $(seq 1 100); do redis_ping "$DEFAULT_REDIS_URL" && break; sleep 0.1; done
  redis_ping "$DEFAULT_REDIS_URL" || die "redis did not start; see $RUN/redis/redis.log"
  say "redis: started on 127.0.0.1:$REDIS_PORT (data in $RUN/redis)"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    command -v psql >/dev/null || apt_install postgresql-client
    psql "$DATABASE_URL" -qAtc 'select 1' >/dev/null 2>&1 || die "DATABASE_URL=$DATABASE_URL is set but does not accept connections"
    say "postgres: using DATABASE_URL=$DATABASE_URL"
    return
  fi
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || { apt_install postgresql; PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"; }
  if pg_ready; then
    say "postgres: already accepting connections on 127.0.0.1:$PG_PORT"
  else
    port_open "$PG_PORT" && die "port $PG_PORT is taken by something that is not Postgres (set HFT_PG_PORT)"
    mkdir -p "$PG_SOCK"
    [ "$(id -u)" = 0 ] && chown postgres: "$RUN/pg" && chmod 700 "$RUN/pg"
    # The postgres user must be able to reach its directory through the checkout.
    [ "$(id -u)" = 0 ] && chmod o+x "$RUN" "$ROOT"
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
      say "postgres: initdb in $PG_DATA"
      as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U hft --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$RUN/pg/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null \
      || die "postgres did not start; see $RUN/pg/postgres.log"
    say "postgres: started on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
  fi
  # The candle store's day partitions are kept by pg_partman (the extension must be on the server).
  local ver; ver="$(basename "$(dirname "$PG_BIN")")"
  [ -f "/usr/share/postgresql/$ver/extension/pg_partman.control" ] || apt_install "postgresql-$ver-partman"
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U hft -d postgres -qAtc "select 1 from pg_database where datname='hft'" | grep -q 1; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U hft hft
    say "postgres: created database hft"
  fi
}

stop_all() {
  if [ -f "$RUN/redis/redis.pid" ] && kill -0 "$(cat "$RUN/redis/redis.pid")" 2>/dev/null; then
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$(cat "$RUN/redis/redis.pid")"
    say "redis: stopped"
  fi
  # `pg_ctl status` first: a pid file left by a crash or a reboot names no server to stop.
  if [ -n "$PG_BIN" ] && [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && say "postgres: stopped"
  fi
}

status() {
  if redis_ping "${REDIS_URL:-$DEFAULT_REDIS_URL}"; then say "redis: up (${REDIS_URL:-$DEFAULT_REDIS_URL})"; else say "redis: down"; fi
  if [ -n "${DATABASE_URL:-}" ]; then
    psql "$DATABASE_URL" -qAtc 'select 1' >/dev/null 2>&1 && say "postgres: up ($DATABASE_URL)" || say "postgres: down"
  elif [ -n "$PG_BIN" ] && pg_ready; then say "postgres: up ($DEFAULT_DATABASE_URL)"; else say "postgres: down"; fi
}

case "${1:-start}" in
  start) start_redis; start_postgres ;;
  stop) stop_all ;;
  # Only the data directories this script owns; secrets in .run/secrets stay.
  reset) stop_all; rm -rf "$RUN/redis" "$RUN/pg"; say "local ledger and risk state deleted"; start_redis; start_postgres ;;
  status) status ;;
  env)
    echo "export REDIS_URL=${REDIS_URL:-$DEFAULT_REDIS_URL}"
    echo "export DATABASE_URL=${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
    ;;
  *) die "usage: $0 start|stop|status|env|reset" ;;
esac
