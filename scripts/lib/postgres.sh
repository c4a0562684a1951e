# Shared by scripts/test: a throw-away PostgreSQL cluster for the relay's
# PostgreSQL tests (crates/relay), made before the tests and dropped after.
#
#   with_test_postgres CMD...   runs CMD with CARAVAN_TEST_POSTGRES set to a
#                               connection string of a fresh cluster
#
# Uses Debian's pg_virtualenv (postgresql-common): with -t the cluster
# lives in a temporary directory even for root (so runs side by side do not
# collide), runs as the postgres user when we are root (initdb refuses
# root), and is dropped when CMD ends. Without it the tests
# run anyway and say "SKIPPED" for their PostgreSQL part; under CI (CI
# set) those tests fail instead, so a CI run never passes without them.
with_test_postgres() {
  if [ -n "${CARAVAN_TEST_POSTGRES:-}" ]; then
    "$@"
    return
  fi
  local version
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  if ! command -v pg_virtualenv >/dev/null 2>&1 || [ -z "$version" ]; then
    echo "!! PostgreSQL is not installed: the relay's PostgreSQL tests are SKIPPED (install postgresql)" >&2
    "$@"
    return
  fi
  # pg_virtualenv exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
  pg_virtualenv -t -v "$version" -- bash -c '
    export CARAVAN_TEST_POSTGRES="host=$PGHOST port=$PGPORT user=$PGUSER password=$PGPASSWORD dbname=$PGDATABASE"
    echo "== PostgreSQL $PGVERSION for the relay tests on port $PGPORT"
    exec "$@"' with_test_postgres "$@"
}
