package dev.dbops.workflows.common;

/** A Route53 change: PENDING until every Route53 server has it, then INSYNC. */
public record DnsChange(String changeId, String status) {
  public static final String INSYNC = "INSYNC";

  public boolean insync() {
    return INSYNC.equals(status);
  }
}
