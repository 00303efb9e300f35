package dev.dbops.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every AWS API call the sandbox received (admin calls under {@code /_sandbox/} excluded), and the
 * account each was made as ({@link #withAccounts()}).
 */
public final class CallLog {

  /**
   * One received call.
   *
   * @param seq 1-based, in arrival order of completion
   * @param service SigV4 service name, e.g. {@code s3}
   * @param operation AWS operation name, e.g. {@code RestoreObject}
   * @param bucket bucket addressed, or null; for RDS the main resource (cluster id, else instance,
   *     snapshot, event source, ARN)
   * @param key object key addressed, or null; for RDS the second resource (the snapshot of
   *     CreateDBClusterSnapshot / RestoreDBClusterFromSnapshot, the instance of CreateDBInstance)
   * @param status HTTP status returned; 0 when the connection was dropped
   * @param fault injected fault ({@link Faults.Kind} name), or null
   */
  public record Call(
      long seq,
      String service,
      String operation,
      String bucket,
      String key,
      int status,
      String fault) {

    /** The RDS resource a call addressed (same as {@link #bucket()}). */
    public String resource() {
      return bucket;
    }
  }

  /**
   * A received call and the account it acted as: the account of the SigV4 access key (an AssumeRole
   * session's role account, an account key's account, else {@link
   * SandboxAccounts#DEFAULT_ACCOUNT}), or null when the key was refused or the dispatcher was built
   * without accounts.
   */
  public record AccountCall(Call call, String account) {}

  private final AtomicLong seq = new AtomicLong();
  private final List<Call> calls = new ArrayList<>();
  private final List<String> accounts = new ArrayList<>();

  Call record(
      String service, String operation, String bucket, String key, int status, String fault) {
    return record(service, operation, bucket, key, status, fault, null);
  }

  Call record(
      String service,
      String operation,
      String bucket,
      String key,
      int status,
      String fault,
      String account) {
    synchronized (calls) {
      Call call = new Call(seq.incrementAndGet(), service, operation, bucket, key, status, fault);
      calls.add(call);
      accounts.add(account);
      return call;
    }
  }

  public List<Call> all() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Every call with the account it acted as, in arrival order. */
  public List<AccountCall> withAccounts() {
    synchronized (calls) {
      List<AccountCall> out = new ArrayList<>(calls.size());
      for (int i = 0; i < calls.size(); i++) {
        out.add(new AccountCall(calls.get(i), accounts.get(i)));
      }
      return List.copyOf(out);
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
        .filter(
            c ->
                c.operation().equals(operation)
                    && Objects.equals(c.bucket(), bucket)
                    && Objects.equals(c.key(), key))
        .count();
  }

  /** Forgets every call; sequence numbers keep growing. */
  public void clear() {
    synchronized (calls) {
      calls.clear();
      accounts.clear();
    }
  }
}
