package dev.dbops.workflows.migration;

/**
 * @param action CREATED, or ADOPTED when a resource with the name and this run's owner tag existed
 *     (a resumed run: nothing created)
 * @param status its status as RDS reported it
 */
public record CreateOutcome(String id, String action, String status) {
  public static final String CREATED = "CREATED";
  public static final String ADOPTED = "ADOPTED";

  public boolean adopted() {
    return ADOPTED.equals(action);
  }
}
