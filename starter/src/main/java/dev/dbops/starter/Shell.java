package dev.dbops.starter;

import java.util.regex.Pattern;

/** Quoting for commands we print for people to paste. */
final class Shell {
  private Shell() {}

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

  static String quote(String s) {
    if (s != null && SAFE.matcher(s).matches()) return s;
    return "'" + (s == null ? "" : s.replace("'", "'\\''")) + "'";
  }
}
