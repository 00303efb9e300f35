#!/bin/sh
# Example dbops hook (seed 001): stop batch jobs and event-source triggers that write to the
# database, so nothing writes to the old cluster during the switch.
set -eu
: "${BATCH_QUEUE:?set BATCH_QUEUE in the worker environment}"
aws sqs set-queue-attributes --queue-url "$BATCH_QUEUE" --attributes ReceiveMessageWaitTimeSeconds=20
for fn in ${TRIGGER_FUNCTIONS:-}; do
  aws lambda list-event-source-mappings --function-name "$fn" --query 'EventSourceMappings[].UUID' --output text |
    tr '\t' '\n' | while read -r uuid; do
      [ -n "$uuid" ] && aws lambda update-event-source-mapping --uuid "$uuid" --no-enabled >/dev/null
    done
done
echo "batches paused"
