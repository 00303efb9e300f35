#!/bin/sh
# Example dbops hook: the procedure failed (and cleaned up); never leave the site in maintenance.
set -eu
: "${MAINTENANCE_API:?set MAINTENANCE_API in the worker environment}"
for fn in ${TRIGGER_FUNCTIONS:-}; do
  aws lambda list-event-source-mappings --function-name "$fn" --query 'EventSourceMappings[].UUID' --output text |
    tr '\t' '\n' | while read -r uuid; do
      [ -n "$uuid" ] && aws lambda update-event-source-mapping --uuid "$uuid" --enabled >/dev/null
    done
done
curl -fsS -X PUT "$MAINTENANCE_API/maintenance" -H 'Content-Type: application/json' -d '{"on": false}'
echo "maintenance off"
