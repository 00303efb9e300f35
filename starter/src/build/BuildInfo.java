import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Run by the build (generate-resources, with Java's source launcher): writes the properties file
 * the CLI's {@code --version} reads, naming the commit the build was made from. Without git, or
 * outside a checkout, the commit is "unknown": the build never fails for it.
 *
 * <p>Arguments: the file to write, the project version.
 */
public final class BuildInfo {
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String commit = git("rev-parse", "HEAD");
    if (commit == null || !commit.matches("[0-9a-f]{40}")) commit = "unknown";
    String dirty = commit.equals("unknown") ? null : git("status", "--porcelain", "--untracked-files=no");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "version=" + args[1] + "\ncommit=" + commit + "\ndirty="
        + (dirty != null && !dirty.isEmpty()) + "\n", StandardCharsets.UTF_8);
  }

  /** git's trimmed output, or null when git is missing, fails or hangs. */
  private static String git(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
