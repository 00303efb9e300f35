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

# The search attributes dbops runs carry (SearchAttributesInterceptor): a worker writes only those
# the namespace has, so a run never fails on a missing one. Existing ones are left as they are.
existing=$(temporal operator search-attribute list -n "$NAMESPACE" 2>/dev/null || true)
for pair in DbopsProcedure:Keyword DbopsTarget:Keyword DbopsPhase:Keyword DbopsWaitingFor:Keyword \
    DbopsWaitingSince:Datetime DbopsRequestedBy:Keyword DbopsOutcome:Keyword; do
  name=${pair%%:*}
  type=${pair##*:}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create -n "$NAMESPACE" --name "$name" --type "$type"
    echo "search attribute $name created ($type)"
  fi
done
