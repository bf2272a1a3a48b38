#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster and a throw-away Redis server, both on
# free loopback ports with their data in a temporary directory, and stops both afterwards,
# whatever the command's outcome. The command's exit code is this script's exit code.
#
# Installs Debian's postgresql and redis-server first when they are missing (needs root).
set -euo pipefail

missing=()
command -v pg_virtualenv >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
  || missing+=(postgresql postgresql-common)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] || "$(dirname "$0")/system-deps.sh" "${missing[@]}"

workdir=$(mktemp -d -t rial-services.XXXXXX)
chmod 755 "$workdir"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
# A random free port rather than pg_virtualenv's first free one from 5432: two runs started at
# the same moment would otherwise both pick the same port.
pg_port=$(free_port)

stop_services() {
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop_services EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$workdir" --pidfile "$workdir/redis.pid" --logfile "$workdir/redis.log"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

export REDIS_URL="redis://127.0.0.1:${redis_port}/0"
export CELERY_BROKER_URL="redis://127.0.0.1:${redis_port}/1"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:${redis_port}/2"
export MEDIA_ROOT="$workdir/media"

# pg_virtualenv creates a cluster on a free port, exports PG* variables, runs the command and
# drops the cluster even when the command fails.
set +e
pg_virtualenv -t -c "-p $pg_port" bash -c \
  'export DATABASE_URL="postgres://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"; exec "$@"' \
  with-services "$@"
status=$?
set -e
exit $status
