package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Workflow code replays; clocks, randomness, I/O drivers and SLF4J loggers break that. */
class DeterminismGuardTest {
  static final List<Pattern> FORBIDDEN =
      List.of(
          Pattern.compile("Thread\\.sleep"),
          Pattern.compile("Instant\\.now\\("),
          Pattern.compile("LocalDateTime\\.now\\(|ZonedDateTime\\.now\\(|OffsetDateTime\\.now\\("),
          Pattern.compile("System\\.currentTimeMillis|System\\.nanoTime"),
          Pattern.compile("UUID\\.randomUUID"),
          Pattern.compile("new Random\\(|Math\\.random|ThreadLocalRandom"),
          Pattern.compile("java\\.sql\\."),
          Pattern.compile("org\\.slf4j|LoggerFactory|Workflow\\.getLogger"),
          Pattern.compile("software\\.amazon\\.awssdk|java\\.net\\.http|java\\.io\\.File"));

  static List<String> violations(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          String code = line.contains("//") ? line.substring(0, line.indexOf("//")) : line;
          for (Pattern p : FORBIDDEN) {
            if (p.matcher(code).find())
              out.add(root.relativize(f) + ":" + (i + 1) + ": " + line.trim());
          }
        }
      }
    }
    return out;
  }

  @Test
  void givenWorkflowSources_whenScanned_thenNoClockRandomnessIoOrLogger() throws IOException {
    Path main = Path.of("src/main/java");
    assertTrue(Files.isDirectory(main), "run from the workflows module");
    assertEquals(List.of(), violations(main));
  }

  @Test
  void givenSourceUsingTheWallClock_whenScanned_thenItIsReported(
      @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("Bad.java"),
        "class Bad { long t = System.currentTimeMillis(); void f() throws Exception { Thread.sleep(5); } }");
    assertEquals(2, violations(dir).size());
  }
}
