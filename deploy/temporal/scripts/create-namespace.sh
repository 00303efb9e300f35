#!/bin/sh
# Registers the namespace the dbops worker polls, once the server answers. Idempotent.
set -eu

NAMESPACE=${DEFAULT_NAMESPACE:-default}
RETENTION=${NAMESPACE_RETENTION:-30d}

# The CLI gets the frontend's IPv4 address: the service name may also resolve to an IPv6
# address the server does not listen on.
host=${TEMPORAL_ADDRESS%:*}
port=${TEMPORAL_ADDRESS##*:}
ip=$(getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }')
export TEMPORAL_ADDRESS="${ip:-$host}:$port"
echo "waiting for the Temporal frontend at $TEMPORAL_ADDRESS"
attempts=0
until temporal operator cluster health >/dev/null 2>&1; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 60 ]; then
    echo "Temporal did not become healthy in 2 minutes" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe -n "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace '$NAMESPACE' exists"
else
  temporal operator namespace create -n "$NAMESPACE" --retention "$RETENTION"
  echo "namespace '$NAMESPACE' created (retention $RETENTION)"
fi
