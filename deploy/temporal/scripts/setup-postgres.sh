#!/bin/sh
# Creates (or upgrades) Temporal's two PostgreSQL databases. Run once by the temporal-schema
# service before the server starts; safe to run again (create tolerates an existing database,
# update-schema applies only what is missing).
set -eu

DB_HOST=${POSTGRES_SEEDS:-postgresql}
DB_PORT=${DB_PORT:-5432}
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at $DB_HOST:$DB_PORT"
until nc -z "$DB_HOST" "$DB_PORT"; do sleep 1; done

for db in temporal temporal_visibility; do
  case $db in
    temporal) dir=$SCHEMA_DIR/temporal/versioned ;;
    *) dir=$SCHEMA_DIR/visibility/versioned ;;
  esac
  sql() { temporal-sql-tool --plugin postgres12 --ep "$DB_HOST" -p "$DB_PORT" -u "$POSTGRES_USER" --db "$db" "$@"; }
  sql create || echo "database $db exists"
  sql setup-schema -v 0.0
  sql update-schema -d "$dir"
done
echo "Temporal schema ready"
