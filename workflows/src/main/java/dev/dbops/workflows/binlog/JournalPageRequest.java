package dev.dbops.workflows.binlog;

import java.util.ArrayList;
import java.util.List;

/**
 * Which page of a binlog catch-up's journal to read from the replica's journal table: the rows the
 * run wrote ({@code workflowId}) replicating from {@code source}.
 *
 * @param replica where the journal table is (the run's replica target)
 * @param source the run's source target; its host:port scopes the rows, it is not connected to
 * @param afterId entries with a greater id (0 from the start)
 * @param limit at most this many entries, 1..{@link JournalPage#MAX_LIMIT}
 */
public record JournalPageRequest(
    DbTarget replica, DbTarget source, String workflowId, long afterId, int limit) {

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (replica == null) out.add("replica: required");
    else if (replica.problem("replica") != null) out.add(replica.problem("replica"));
    if (source == null) out.add("source: required");
    else if (source.problem("source") != null) out.add(source.problem("source"));
    if (workflowId == null || workflowId.isBlank()) out.add("workflowId: required");
    if (afterId < 0) out.add("afterId: must be 0 or more, was " + afterId);
    if (limit < 1 || limit > JournalPage.MAX_LIMIT) {
      out.add("limit: must be 1.." + JournalPage.MAX_LIMIT + ", was " + limit);
    }
    return out;
  }
}
