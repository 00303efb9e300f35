package dev.dbops.workflows.signing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may sign as whom: git's {@code gpg.ssh.allowedSignersFile} format, as {@code ssh-keygen -Y
 * verify -f} reads it, one entry a line ({@code #} comments and blank lines skipped):
 *
 * <pre>
 * principal[,principal…] [options] keytype base64-key [comment]
 * options: namespaces="a,b"  valid-after="YYYYMMDD[HHMM[SS]][Z]"  valid-before="…"  cert-authority
 * </pre>
 *
 * Principals are patterns ({@code *}, {@code ?}, {@code !} to exclude). Times are read as UTC
 * (ssh-keygen reads a time without {@code Z} in its local zone). {@code cert-authority} entries and
 * key types other than Ed25519 and RSA are skipped and listed in {@link #skipped()}. Parsing is
 * pure: the worker reads the file, this class reads its text.
 */
public final class AllowedSigners {
  private static final Set<String> KEY_TYPES = Set.of(SshPublicKey.ED25519, SshPublicKey.RSA);

  /** One usable line. {@code namespaces} null: any namespace; a null bound: no bound. */
  public record Entry(
      int line,
      List<String> principals,
      List<String> namespaces,
      Instant validAfter,
      Instant validBefore,
      SshPublicKey key) {

    boolean names(String principal) {
      boolean matched = false;
      for (String p : principals) {
        boolean negated = p.startsWith("!");
        if (glob(negated ? p.substring(1) : p, principal)) {
          if (negated) return false;
          matched = true;
        }
      }
      return matched;
    }

    boolean allowsNamespace(String ns) {
      return namespaces == null || namespaces.stream().anyMatch(p -> glob(p, ns));
    }

    boolean validAt(Instant t) {
      return (validAfter == null || !t.isBefore(validAfter))
          && (validBefore == null || t.isBefore(validBefore));
    }
  }

  private final List<Entry> entries;
  private final List<String> skipped;

  private AllowedSigners(List<Entry> entries, List<String> skipped) {
    this.entries = List.copyOf(entries);
    this.skipped = List.copyOf(skipped);
  }

  /** Parses the file's text; a malformed line throws, naming its number. */
  public static AllowedSigners parse(String text) {
    List<Entry> entries = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      try {
        Entry e = entry(i + 1, tokens(line), skipped);
        if (e != null) entries.add(e);
      } catch (SignatureFormatException e) {
        throw new SignatureFormatException("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new AllowedSigners(entries, skipped);
  }

  private static Entry entry(int n, List<String> t, List<String> skipped) {
    if (t.size() < 3)
      throw new SignatureFormatException("expected 'principals [options] keytype key'");
    List<String> principals = List.of(t.get(0).split(","));
    int k = 1;
    List<String> namespaces = null;
    Instant after = null;
    Instant before = null;
    boolean ca = false;
    if (!looksLikeKeyType(t.get(1))) {
      for (String opt : splitOptions(t.get(1))) {
        String name =
            opt.contains("=")
                ? opt.substring(0, opt.indexOf('=')).toLowerCase()
                : opt.toLowerCase();
        String value = opt.contains("=") ? unquote(opt.substring(opt.indexOf('=') + 1)) : null;
        switch (name) {
          case "namespaces" -> namespaces = List.of(value.split(","));
          case "valid-after" -> after = time(value);
          case "valid-before" -> before = time(value);
          case "cert-authority" -> ca = true;
          default -> throw new SignatureFormatException("unknown option '" + name + "'");
        }
      }
      k = 2;
    }
    if (t.size() < k + 2)
      throw new SignatureFormatException("expected a key type and a base64 key");
    String type = t.get(k);
    if (ca || !KEY_TYPES.contains(type)) {
      skipped.add("line " + n + ": " + (ca ? "cert-authority" : type) + " is not supported");
      return null;
    }
    SshPublicKey key = SshPublicKey.parse(type + " " + t.get(k + 1));
    return new Entry(n, principals, namespaces, after, before, key);
  }

  private static boolean looksLikeKeyType(String s) {
    return s.startsWith("ssh-")
        || s.startsWith("ecdsa-")
        || s.startsWith("sk-")
        || s.startsWith("rsa-");
  }

  /** Whitespace-separated tokens; double quotes group (and stay in the token). */
  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (!quoted && Character.isWhitespace(c)) {
        if (cur.length() > 0) out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) throw new SignatureFormatException("unterminated quote");
    if (cur.length() > 0) out.add(cur.toString());
    if (!out.isEmpty()) out.set(0, unquote(out.get(0)));
    return out;
  }

  private static List<String> splitOptions(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : s.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  private static Instant time(String v) {
    String s = v.endsWith("Z") || v.endsWith("z") ? v.substring(0, v.length() - 1) : v;
    try {
      return switch (s.length()) {
        case 8 ->
            LocalDate.parse(s, DateTimeFormatter.BASIC_ISO_DATE)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        case 12 ->
            LocalDateTime.parse(s, DateTimeFormatter.ofPattern("yyyyMMddHHmm"))
                .toInstant(ZoneOffset.UTC);
        case 14 ->
            LocalDateTime.parse(s, DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                .toInstant(ZoneOffset.UTC);
        default ->
            throw new SignatureFormatException("time '" + v + "' is not YYYYMMDD[HHMM[SS]][Z]");
      };
    } catch (java.time.format.DateTimeParseException e) {
      throw new SignatureFormatException("time '" + v + "' is not YYYYMMDD[HHMM[SS]][Z]");
    }
  }

  /** Shell-style match of {@code *} and {@code ?}, as OpenSSH's match_pattern. */
  static boolean glob(String pattern, String s) {
    return s != null && globAt(pattern, 0, s, 0);
  }

  private static boolean globAt(String p, int i, String s, int j) {
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '*') {
        for (int k = j; k <= s.length(); k++) if (globAt(p, i + 1, s, k)) return true;
        return false;
      }
      if (j >= s.length() || (c != '?' && c != s.charAt(j))) return false;
      i++;
      j++;
    }
    return j == s.length();
  }

  /**
   * The entry that lets {@code key} sign as {@code principal} in {@code namespace} at {@code at},
   * if any.
   */
  public Optional<Entry> find(String principal, SshPublicKey key, String namespace, Instant at) {
    return entries.stream()
        .filter(
            e ->
                e.key().equals(key)
                    && e.names(principal)
                    && e.allowsNamespace(namespace)
                    && e.validAt(at))
        .findFirst();
  }

  /** Whether {@code key} is listed at all (to tell "unknown key" from "not for this name"). */
  public List<Entry> entriesFor(SshPublicKey key) {
    return entries.stream().filter(e -> e.key().equals(key)).toList();
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<String> skipped() {
    return skipped;
  }
}
