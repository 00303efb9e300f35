package dev.dbops.activities.upgrade;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an upgrade's progress out of a cluster's RDS events (pure: no AWS calls).
 *
 * <p>Aurora reports an in-place upgrade as events like {@code Upgrade in progress: Purging undo
 * records for old row versions. Records remaining: 164}. The phase is the text after the colon
 * without the {@code Records remaining} part, so a purge counting down stays one phase. Events
 * carry no error code; an event is a failure when RDS files it under the {@code failure} category,
 * or when its text says the upgrade failed or could not be done (that text is the only signal
 * Aurora gives for a cancelled upgrade).
 */
final class UpgradeEvents {
  static final String FAILURE_CATEGORY = "failure";

  private static final Pattern IN_PROGRESS =
      Pattern.compile(
          "^\\s*Upgrade in progress:\\s*(.*)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern RECORDS_REMAINING =
      Pattern.compile("\\s*Records remaining:\\s*([\\d,]+)\\.?\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern FAILED_TEXT =
      Pattern.compile(
          "cannot be upgraded|upgrade (?:has |was )?(?:failed|cancel+ed|aborted)|failed to upgrade"
              + "|prechecks? failed",
          Pattern.CASE_INSENSITIVE);

  /** One RDS event, as DescribeEvents returns it. */
  record Entry(Instant date, String message, List<String> categories) {}

  /**
   * @param phase latest upgrade phase, null when no "Upgrade in progress" event was seen
   * @param recordsRemaining "Records remaining: N" of the latest event of that phase, or -1
   * @param lastEvent the latest event's text with its time, null when there was none
   * @param failure the latest failure event's text with its time, null when there was none
   */
  record Reading(String phase, long recordsRemaining, String lastEvent, String failure) {}

  private UpgradeEvents() {}

  static Reading read(List<Entry> events) {
    String phase = null;
    long records = -1;
    String last = null;
    String failure = null;
    List<Entry> inOrder =
        events.stream()
            .sorted(
                Comparator.comparing(Entry::date, Comparator.nullsFirst(Comparator.naturalOrder())))
            .toList();
    for (Entry e : inOrder) {
      String message = e.message() == null ? "" : e.message().strip();
      last = describe(e, message);
      Matcher m = IN_PROGRESS.matcher(message);
      if (m.matches()) {
        String text = m.group(1);
        Matcher r = RECORDS_REMAINING.matcher(text);
        long remaining = -1;
        if (r.find()) {
          remaining = Long.parseLong(r.group(1).replace(",", ""));
          text = text.substring(0, r.start()) + " " + text.substring(r.end());
        }
        String p = tidy(text);
        records = p.equals(phase) && remaining < 0 ? records : remaining;
        phase = p;
      }
      if (isFailure(e, message)) failure = describe(e, message);
    }
    return new Reading(phase, records, last, failure);
  }

  static boolean isFailure(Entry e, String message) {
    boolean category =
        e.categories() != null
            && e.categories().stream().anyMatch(FAILURE_CATEGORY::equalsIgnoreCase);
    return category || FAILED_TEXT.matcher(message).find();
  }

  private static String tidy(String phase) {
    String p = phase.strip().replaceAll("\\s+", " ");
    while (p.endsWith(".")) p = p.substring(0, p.length() - 1).strip();
    return p;
  }

  private static String describe(Entry e, String message) {
    return (e.date() == null ? "" : e.date() + " ") + message;
  }
}
