package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops journal <id> [--format jsonl|table]}: the skipped transactions of a binlog
 * catch-up, for reconciliation — from {@code status()} while the run is open, from its result
 * once closed.
 */
@Command(name = "journal", description = "Print the journal of skipped replication events (jsonl: one JSON object per entry).")
final class JournalCommand extends DbopsCommand {
  /** One line per entry, no indentation. */
  static final ObjectMapper COMPACT = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(names = "--format", paramLabel = "jsonl|table", defaultValue = "table",
      description = "jsonl for machines, table for people (default ${DEFAULT-VALUE})")
  String format;

  @Mixin
  ConnectionOptions connection;

  @Override
  protected int run() {
    if (!format.equals("jsonl") && !format.equals("table")) {
      throw CliException.invalid("--format: '" + format + "' is not jsonl or table");
    }
    try (Session session = connection.connect()) {
      Runs runs = session.runs();
      Runs.RunInfo info = runs.describe(id);
      JsonNode holder;
      if (info.running()) {
        holder = runs.status(id).orElseThrow(() -> CliException.failed(
            "no worker answered for run '" + id + "'; is `./dbops worker` running?"));
      } else {
        Runs.Closed closed = runs.awaitClosed(id);
        holder = closed.result();
        if (holder == null) {
          throw CliException.failed("run '" + id + "' ended without a result ("
              + (closed.failure() == null ? closed.outcome() : closed.failure().message())
              + "); its journal is in the replica's journal table");
        }
      }
      if (!holder.has("journal")) {
        throw CliException.invalid("id: '" + id + "' is a " + info.procedureName() + " run; it keeps no journal");
      }
      print(out(), holder.path("journal"));
      return ExitCodes.OK;
    }
  }

  private void print(PrintWriter out, JsonNode journal) {
    if (format.equals("jsonl")) {
      for (JsonNode e : journal) {
        try {
          out.println(COMPACT.writeValueAsString(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
          throw new IllegalStateException(ex);
        }
      }
      return;
    }
    out.println(String.format("%-5s %-36s %-6s %-8s %-10s %s", "id", "source", "errno", "action", "by", "error"));
    for (JsonNode e : journal) {
      JsonNode src = e.path("source");
      out.println(String.format("%-5s %-36s %-6s %-8s %-10s %s", e.path("id").asText(),
          src.path("file").asText() + ":" + src.path("position").asText(), e.path("errno").asText(),
          Render.text(e, "action"), Render.text(e, "decidedBy"), Render.text(e, "error")));
    }
    out.println(journal.size() + " entr" + (journal.size() == 1 ? "y" : "ies"));
  }
}
