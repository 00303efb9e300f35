package dev.dbops.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** Every AWS API call the sandbox received (admin calls under {@code /_sandbox/} excluded). */
public final class CallLog {

    /**
     * One received call.
     *
     * @param seq       1-based, in arrival order of completion
     * @param service   SigV4 service name, e.g. {@code s3}
     * @param operation AWS operation name, e.g. {@code RestoreObject}
     * @param bucket    bucket addressed, or null; for RDS the main resource (cluster id, else instance,
     *                  snapshot, event source, ARN)
     * @param key       object key addressed, or null; for RDS the second resource (the snapshot of
     *                  CreateDBClusterSnapshot / RestoreDBClusterFromSnapshot, the instance of CreateDBInstance)
     * @param status    HTTP status returned; 0 when the connection was dropped
     * @param fault     injected fault ({@link Faults.Kind} name), or null
     */
    public record Call(long seq, String service, String operation, String bucket, String key, int status,
                       String fault) {

        /** The RDS resource a call addressed (same as {@link #bucket()}). */
        public String resource() {
            return bucket;
        }
    }

    private final AtomicLong seq = new AtomicLong();
    private final List<Call> calls = new ArrayList<>();

    Call record(String service, String operation, String bucket, String key, int status, String fault) {
        synchronized (calls) {
            Call call = new Call(seq.incrementAndGet(), service, operation, bucket, key, status, fault);
            calls.add(call);
            return call;
        }
    }

    public List<Call> all() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> of(String operation) {
        return all().stream().filter(c -> c.operation().equals(operation)).toList();
    }

    public long count(String operation) {
        return all().stream().filter(c -> c.operation().equals(operation)).count();
    }

    public long count(String operation, String bucket, String key) {
        return all().stream()
                .filter(c -> c.operation().equals(operation)
                        && Objects.equals(c.bucket(), bucket)
                        && Objects.equals(c.key(), key))
                .count();
    }

    /** Forgets every call; sequence numbers keep growing. */
    public void clear() {
        synchronized (calls) {
            calls.clear();
        }
    }
}
