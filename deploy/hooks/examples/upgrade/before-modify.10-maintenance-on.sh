#!/bin/sh
# Example dbops hook for the in-place upgrade: the writer restarts during ModifyDBCluster, so
# announce maintenance first. Only runs for procedure "upgrade" (it lives in upgrade/).
set -eu
: "${MAINTENANCE_API:?set MAINTENANCE_API in the worker environment}"
curl -fsS -X PUT "$MAINTENANCE_API/maintenance" -H 'Content-Type: application/json' \
  -d "{\"on\": true, \"reason\": \"upgrade of $DBOPS_CLUSTER to $DBOPS_TARGET_VERSION\"}"
