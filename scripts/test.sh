#!/usr/bin/env bash
# The one test command behind `make test`.
# Uses PostgreSQL and Redis when they answer on 127.0.0.1; otherwise says so plainly and
# falls back to SQLite without the real-broker tests. Under CI=true that fallback is an error.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

pg_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal}
redis_url=${TEST_REDIS_URL:-redis://127.0.0.1:6379/14}

pg_ok=0; redis_ok=0
"$PY" - "$pg_url" <<'PYEOF' && pg_ok=1
import sys, psycopg2, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
psycopg2.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=2).close()
PYEOF
"$PY" - "$redis_url" <<'PYEOF' && redis_ok=1
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()
PYEOF

args=("$@")
if [ "$pg_ok" = 1 ]; then
  export DATABASE_URL="$pg_url"
  echo "make test: PostgreSQL at ${pg_url%%/portal*} (test database ${PORTAL_TEST_DB_NAME:-test_portal})"
else
  if [ "${CI:-}" = "true" ]; then echo "make test: PostgreSQL is not reachable at $pg_url and CI=true: refusing to fall back to SQLite." >&2; exit 2; fi
  unset DATABASE_URL
  echo "make test: PostgreSQL NOT reachable — falling back to SQLite; concurrency tests are skipped."
fi
if [ "$redis_ok" = 1 ]; then
  export PORTAL_TEST_REDIS_URL="$redis_url"
  echo "make test: Redis at $redis_url for the real-worker tests"
else
  if [ "${CI:-}" = "true" ]; then echo "make test: Redis is not reachable at $redis_url and CI=true: refusing to skip the real-broker tests." >&2; exit 2; fi
  unset PORTAL_TEST_REDIS_URL
  echo "make test: Redis NOT reachable — the real-broker tests are skipped."
fi
unset CELERY_BROKER_URL REDIS_URL EMAIL_URL DJANGO_DEBUG DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS
export PORTAL_TESTING=1
# The seed articles live beside the repository (../shared/seeds); a clone made elsewhere (CI clones
# into a temporary folder) finds them at the workplace's own path, so the tests against them run.
if [ -z "${PORTAL_SEEDS_DIR:-}" ] && [ ! -d ../shared/seeds ] && [ -d /work/shared/seeds ]; then
  export PORTAL_SEEDS_DIR=/work/shared/seeds
fi
# A queue of its own per run, so that real-worker tests never meet another run's messages.
export CELERY_TASK_DEFAULT_QUEUE="test-$$-$RANDOM"

"$PY" manage.py compile_translations >/dev/null
"$PY" -m pytest "${args[@]}"
status=$?
if [ "$status" = 5 ]; then echo "make test: pytest collected no tests — that is a failure." >&2; exit 1; fi
exit "$status"
