package dev.dbops.starter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.workflows.common.Printable;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dbops journal <id> [--format jsonl|table]}: the skipped transactions of a binlog catch-up,
 * for reconciliation — from {@code status()} while the run is open, from its result once closed. A
 * run keeps only its newest entries; when it journaled more, every entry is read from the replica's
 * journal table a page at a time ({@link JournalExport}). When some cannot be read (the replica is
 * gone, no worker answers), it prints what it has — at least what the run keeps — and one line on
 * stderr saying which entries are missing and why, and exits 1.
 */
@Command(
    name = "journal",
    description =
        "Print the journal of skipped replication events (jsonl: one JSON object per entry).")
final class JournalCommand extends DbopsCommand {
  /** One line per entry, no indentation. */
  static final ObjectMapper COMPACT = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  @Parameters(index = "0", paramLabel = "ID", description = "workflow id")
  String id;

  @Option(
      names = "--format",
      paramLabel = "jsonl|table",
      defaultValue = "table",
      description = "jsonl for machines, table for people (default ${DEFAULT-VALUE})")
  String format;

  @Mixin ConnectionOptions connection;

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
        holder =
            runs.status(id)
                .orElseThrow(
                    () ->
                        CliException.failed(
                            "no worker answered for run '"
                                + id
                                + "'; is `./dbops worker` running?"));
      } else {
        Runs.Closed closed = runs.awaitClosed(id);
        holder = closed.result();
        // A run that failed (aborted, a decision timed out) has no result; its status() still
        // answers while a worker runs, and says what it journaled and where the rest is.
        if (holder == null) {
          holder =
              runs.status(id)
                  .orElseThrow(
                      () ->
                          CliException.failed(
                              "run '"
                                  + id
                                  + "' ended without a result ("
                                  + (closed.failure() == null
                                      ? closed.outcome()
                                      : Printable.escape(closed.failure().message()))
                                  + ") and no worker answered its status query; its journal is in the replica's journal table"));
        }
      }
      if (!holder.has("journal")) {
        throw CliException.invalid(
            "id: '" + id + "' is a " + info.procedureName() + " run; it keeps no journal");
      }
      Printer printer = new Printer(out());
      Optional<JournalExport.Gap> gap = JournalExport.read(session, info, holder, printer::entry);
      printer.end();
      if (gap.isPresent()) {
        err().println(gap.get().line(id));
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  /** Entries as they come, then a table's count; a table's header once something is printed. */
  private final class Printer {
    private static final String ROW = "%-5s %-36s %-6s %-8s %-10s %s";
    private final PrintWriter out;
    private int printed;
    private boolean started;

    Printer(PrintWriter out) {
      this.out = out;
    }

    private void start() {
      if (!started && format.equals("table"))
        out.println(String.format(ROW, "id", "source", "errno", "action", "by", "error"));
      started = true;
    }

    void entry(JsonNode e) {
      start();
      printed++;
      if (format.equals("jsonl")) {
        try {
          out.println(COMPACT.writeValueAsString(e));
        } catch (JsonProcessingException ex) {
          throw new IllegalStateException(ex);
        }
        return;
      }
      JsonNode src = e.path("source");
      out.println(
          String.format(
              ROW,
              e.path("id").asText(),
              src.path("file").asText() + ":" + src.path("position").asText(),
              e.path("errno").asText(),
              Render.text(e, "action"),
              Render.text(e, "decidedBy"),
              Render.text(e, "error")));
    }

    void end() {
      start();
      if (format.equals("table")) out.println(printed + " entr" + (printed == 1 ? "y" : "ies"));
    }
  }
}
