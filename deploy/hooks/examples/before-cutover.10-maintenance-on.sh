#!/bin/sh
# Example dbops hook (seed 001): put the site in maintenance mode before the database switch.
# dbops passes DBOPS_PROCEDURE, DBOPS_PHASE, DBOPS_WORKFLOW_ID and DBOPS_<KEY> for the phase data
# (e.g. DBOPS_NEW_ENDPOINT, DBOPS_RECORD_NAME), and the same as JSON on stdin.
# A non-zero exit stops the procedure here and asks a person: approve to go on, reject to stop.
# Hooks may run twice (a worker crash mid-hook re-runs it): keep them safe to repeat.
set -eu
: "${MAINTENANCE_API:?set MAINTENANCE_API in the worker environment}"
curl -fsS -X PUT "$MAINTENANCE_API/maintenance" \
  -H 'Content-Type: application/json' \
  -d "{\"on\": true, \"reason\": \"dbops $DBOPS_PROCEDURE $DBOPS_WORKFLOW_ID\"}"
echo "maintenance on for $DBOPS_WORKFLOW_ID"
