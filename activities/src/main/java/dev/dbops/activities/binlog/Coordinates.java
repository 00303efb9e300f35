package dev.dbops.activities.binlog;

import dev.dbops.workflows.binlog.BinlogPosition;

/** Ordering of source binlog coordinates ({@code mysql-bin-changelog.000118:245880}). Pure. */
final class Coordinates {
  private Coordinates() {}

  /** Negative, zero or positive as {@code a} is before, at or after {@code b}. */
  static int compare(BinlogPosition a, BinlogPosition b) {
    int byFile = compareFiles(a.file(), b.file());
    return byFile != 0 ? byFile : Long.compare(a.position(), b.position());
  }

  /** True when {@code executed} is at or past {@code target}. */
  static boolean atOrPast(BinlogPosition executed, BinlogPosition target) {
    return compare(executed, target) >= 0;
  }

  /** By the numeric extension ({@code .000118}) when both have one and the same base name. */
  static int compareFiles(String a, String b) {
    if (a.equals(b)) return 0;
    int da = a.lastIndexOf('.');
    int db = b.lastIndexOf('.');
    if (da > 0 && db > 0 && a.substring(0, da).equals(b.substring(0, db))) {
      try {
        return Long.compare(
            Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
      } catch (NumberFormatException e) {
        // not numbered: fall through to text order
      }
    }
    return a.compareTo(b);
  }
}
