#!/bin/sh
# The container's entrypoint: bring the database schema up to date, then become one process.
#
#   entrypoint.sh web         granian on $HOST:$PORT (0.0.0.0:8000), WEB_CONCURRENCY workers
#   entrypoint.sh worker      the task worker (newsletter sending, confirmation emails)
#   entrypoint.sh scheduler   the newsletter tick every $TICK_SECONDS (60) seconds
#   entrypoint.sh tick        one newsletter tick, for a cron job
#   entrypoint.sh dayfacts …  any other dayfacts command (createsuperuser, export, …)
#
# Every role migrates first unless DAYFACTS_MIGRATE=0; migrate_locked lets many containers
# start at once. Extra arguments go to the process, e.g. `entrypoint.sh worker --batch`.
set -eu

role="${1:-web}"
[ "$#" -gt 0 ] && shift

usage() {
  echo "usage: entrypoint.sh web|worker|scheduler|tick|dayfacts [arguments]" >&2
  exit 64
}

case "$role" in
  web|worker|scheduler|tick|dayfacts) ;;
  *) echo "entrypoint.sh: unknown process '$role'" >&2; usage ;;
esac

if [ "${DAYFACTS_MIGRATE:-1}" = "1" ] && [ "$role" != "dayfacts" ]; then
  dayfacts migrate_locked --verbosity 1
fi

case "$role" in
  web)       exec dayfacts serve --web-only --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" "$@" ;;
  worker)    exec dayfacts worker "$@" ;;
  scheduler) exec dayfacts newsletter tick --loop "${TICK_SECONDS:-60}" "$@" ;;
  tick)      exec dayfacts newsletter tick "$@" ;;
  dayfacts)  exec dayfacts "$@" ;;
esac
