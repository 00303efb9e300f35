package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test tiers (CONTRIBUTING, "Everyday loop"): {@code ./mvnw -B -ntp -Pfast verify} leaves out
 * the test classes tagged with one of {@link #TAGS} (surefire {@code excludedGroups}, root pom's
 * {@code fast} profile). A class carries a tag exactly when it needs what the tag names, so the
 * fast tier never starts a MariaDB or a process and a class needing neither is never left out.
 *
 * <p>What a class needs is read from the test sources of every module: the calls in {@link #NEEDS}
 * in its own source or in a non-test class of its module it names (a fixture such as {@code
 * MariaDbFixture}, {@code ChildProcesses}, {@code DevStack}), transitively. Its tags are its
 * {@code @Tag}s, those of the annotations it wears that are declared in test sources (a composed
 * annotation such as {@code @DevStackTest} tags every class using the fixture) and its
 * superclass's. Main code that starts a MariaDB or a process itself must be reachable through one
 * of {@link #NEEDS} ({@link #REACHED_THROUGH}), so a new way in is noticed here.
 */
class TestTiersTest {
  static final String MARIADB = "mariadb";
  static final String PROCESS = "process";
  static final String DEVSTACK = "devstack";
  static final Set<String> TAGS = Set.of(MARIADB, PROCESS, DEVSTACK);

  /** Per tag, the calls in test code that need it. */
  static final Map<String, List<Pattern>> NEEDS =
      Map.of(
          // a real MariaDB server: started, bound to a sandbox cluster, or seeded by a demo
          MARIADB,
              patterns(
                  "\\bLocalMariaDb\\.start\\(",
                  "\\bReplicationPair\\.start\\(",
                  "\\.startLocalMariaDb\\(",
                  "\"[^\"]*/mariadb\"",
                  "\\bStagingDemo\\.seed\\(",
                  "\\bUpgradeDemo\\.seed\\(",
                  "\\bBinlogDemo\\.start\\(",
                  "\"campaign\"",
                  "\\bDemoResources\\.seed\\(",
                  "\\bSandboxMain\\.start\\("),
          // an operating-system process other than a MariaDB server: a JVM, a shell, a client tool
          PROCESS,
              patterns(
                  "\\bnew ProcessBuilder\\(",
                  "\\bRuntime\\.getRuntime\\(\\)\\.exec\\(",
                  "\\bMariaDbCli\\.",
                  "\\bnew CommandHookActivities\\(",
                  "\"campaign\""),
          // an in-process dev server (Temporal test server, sandbox, worker) that runs procedures
          // in real time
          DEVSTACK, patterns("\\bDevServer\\.start\\("));

  /**
   * Main classes that start a MariaDB or a process themselves, and the call of {@link #NEEDS} a
   * test reaches them through.
   */
  static final Map<String, String> REACHED_THROUGH =
      Map.ofEntries(
          Map.entry("LocalMariaDb", "LocalMariaDb.start("),
          Map.entry("ReplicationPair", "ReplicationPair.start("),
          Map.entry("RdsSandbox", ".startLocalMariaDb("),
          Map.entry("RdsAdminRoutes", "the admin route …/mariadb"),
          Map.entry(
              "RdsBoundServers",
              "a restore of a cluster bound by LocalMariaDb.start( or .startLocalMariaDb("),
          Map.entry("StagingDemo", "StagingDemo.seed("),
          Map.entry("UpgradeDemo", "UpgradeDemo.seed("),
          Map.entry("BinlogDemo", "BinlogDemo.start("),
          Map.entry("MariaDbCli", "MariaDbCli."),
          Map.entry("CommandHookActivities", "new CommandHookActivities("),
          Map.entry("WorkerProcesses", "the \"campaign\" command"),
          // bench/ has no tests: its benchmarks run by hand (README, "Benchmarks")
          Map.entry("BinlogBenchmark", "none: bench has no tests"),
          Map.entry("UpgradeBenchmark", "none: bench has no tests"),
          Map.entry("CliBenchmark", "none: bench has no tests"),
          Map.entry("DemoResources", "DemoResources.seed( or SandboxMain.start( with --seed-demo"));

  static final Pattern STARTS_SOMETHING =
      Pattern.compile(
          "\\bLocalMariaDb\\.start\\(|\\bReplicationPair\\.start\\(|\\bnew ProcessBuilder\\(|\\bRuntime\\.getRuntime\\(\\)\\.exec\\("
              + "|\\bstartLocalMariaDb\\(");
  static final Pattern TAG =
      Pattern.compile("@(?:org\\.junit\\.jupiter\\.api\\.)?Tag\\(\\s*\"([^\"]+)\"\\s*\\)");
  static final Pattern ANNOTATION = Pattern.compile("@([A-Z]\\w*)\\b");
  static final Pattern EXTENDS =
      Pattern.compile("\\bclass\\s+\\w+(?:<[^>]*>)?\\s+extends\\s+(\\w+)");
  static final Pattern TEST_METHOD =
      Pattern.compile("@(Test|ParameterizedTest|TestFactory|RepeatedTest|TestTemplate)\\b");

  /** One test source: its module, top-level class name and text without comments. */
  record Source(String module, String name, Path file, String code) {}

  @Test
  void givenEveryModulesTests_whenScanned_thenEachClassIsTaggedExactlyWithWhatItNeeds() {
    Path root = repositoryRoot();
    List<Source> sources = sources(root, "src/test/java");
    assertTrue(
        sources.size() > 100, "found only " + sources.size() + " test sources under " + root);
    assertEquals(List.of(), mismatches(sources));
  }

  @Test
  void
      givenMainCodeStartingAMariaDbOrAProcess_whenScanned_thenATestReachesItOnlyThroughAKnownCall() {
    Set<String> starters = new TreeSet<>();
    for (Source s : sources(repositoryRoot(), "src/main/java")) {
      if (STARTS_SOMETHING.matcher(s.code()).find()) starters.add(s.name());
    }
    Set<String> unknown = new TreeSet<>(starters);
    unknown.removeAll(REACHED_THROUGH.keySet());
    assertEquals(
        Set.of(),
        unknown,
        "main classes that start a MariaDB or a process: add the call tests reach them "
            + "through to NEEDS and the class to REACHED_THROUGH");
    Set<String> gone = new TreeSet<>(REACHED_THROUGH.keySet());
    gone.removeAll(starters);
    assertEquals(Set.of(), gone, "REACHED_THROUGH names classes that no longer start anything");
  }

  @Test
  void givenAClassUsingAMariaDbFixtureWithoutTheTag_whenScanned_thenItIsReported(@TempDir Path dir)
      throws IOException {
    write(
        dir,
        "a/src/test/java/Fixture.java",
        "final class Fixture { static Object start() { return LocalMariaDb.start(null); } }");
    write(
        dir,
        "a/src/test/java/UsesFixtureTest.java",
        "class UsesFixtureTest { Object db = Fixture.start(); @Test void given_when_then() {} }");
    write(
        dir,
        "a/src/test/java/TaggedTest.java",
        "@Tag(\"mariadb\") class TaggedTest { Object db = Fixture.start(); @Test void given_when_then() {} }");
    write(
        dir,
        "a/src/test/java/PureTest.java",
        "/* LocalMariaDb.start( in a comment is no call */ class PureTest { @Test void given_when_then() {} }");

    assertEquals(
        List.of("a: UsesFixtureTest needs [mariadb] but is tagged []"),
        mismatches(sources(dir, "src/test/java")));
  }

  @Test
  void givenATagNothingNeeds_whenScanned_thenItIsReported_andAComposedAnnotationOrSuperclassTags(
      @TempDir Path dir) throws IOException {
    write(
        dir,
        "b/src/test/java/Stack.java",
        "final class Stack { static Object s = DevServer.start(0, 0); }");
    write(
        dir,
        "b/src/test/java/StackTest.java",
        "@Tag(\"devstack\") @ExtendWith(Stack.class) @interface StackTest {}");
    write(
        dir,
        "b/src/test/java/ComposedTest.java",
        "@StackTest class ComposedTest { @Test void given_when_then() {} }");
    write(dir, "b/src/test/java/BaseTest.java", "@StackTest abstract class BaseTest {}");
    write(
        dir,
        "b/src/test/java/SubTest.java",
        "class SubTest extends BaseTest { @Test void given_when_then() {} }");
    write(
        dir,
        "b/src/test/java/OverTaggedTest.java",
        "@Tag(\"process\") class OverTaggedTest { @Test void given_when_then() {} }");
    write(
        dir,
        "b/src/test/java/SpawnsTest.java",
        "class SpawnsTest { @Test void given_when_then() { new ProcessBuilder(\"sh\").start(); } }");

    assertEquals(
        List.of(
            "b: OverTaggedTest needs [] but is tagged [process]",
            "b: SpawnsTest needs [process] but is tagged []"),
        mismatches(sources(dir, "src/test/java")));
  }

  // ----- the rule

  /**
   * "module: Class needs [...] but is tagged [...]" for every test class whose tags differ from its
   * needs.
   */
  static List<String> mismatches(List<Source> sources) {
    Map<String, Map<String, Source>> byModule = new TreeMap<>();
    for (Source s : sources)
      byModule.computeIfAbsent(s.module(), m -> new TreeMap<>()).put(s.name(), s);
    List<String> out = new ArrayList<>();
    for (Map<String, Source> module : byModule.values()) {
      for (Source s : module.values()) {
        // this class's own examples would read as calls
        if (!isTestClass(s)
            || s.file().endsWith(Path.of("dev/dbops/workflows/common/TestTiersTest.java")))
          continue;
        Set<String> needs = needs(s, module, new HashSet<>());
        Set<String> tags = new TreeSet<>(tags(s, module, new HashSet<>()));
        tags.retainAll(TAGS);
        if (!needs.equals(tags))
          out.add(s.module() + ": " + s.name() + " needs " + needs + " but is tagged " + tags);
      }
    }
    return out;
  }

  /**
   * What {@code s} needs: its own calls, and those of every fixture or helper of its module it
   * names.
   */
  static Set<String> needs(Source s, Map<String, Source> module, Set<String> seen) {
    Set<String> out = new TreeSet<>();
    if (!seen.add(s.name())) return out;
    NEEDS.forEach(
        (tag, calls) -> {
          if (calls.stream().anyMatch(p -> p.matcher(s.code()).find())) out.add(tag);
        });
    for (Source other : module.values()) {
      // a fixture or helper passes on what it needs; naming another test class (a constant) does
      // not
      if (other != s && !isTestClass(other) && names(s.code(), other.name()))
        out.addAll(needs(other, module, seen));
    }
    return out;
  }

  /** {@code @Tag}s of {@code s}, of the test-source annotations it wears, and of its superclass. */
  static Set<String> tags(Source s, Map<String, Source> module, Set<String> seen) {
    Set<String> out = new TreeSet<>();
    if (!seen.add(s.name())) return out;
    String head = declarationHead(s);
    Matcher tag = TAG.matcher(head);
    while (tag.find()) out.add(tag.group(1));
    Matcher annotation = ANNOTATION.matcher(head);
    while (annotation.find()) {
      Source declared = module.get(annotation.group(1));
      if (declared != null && declared.code().contains("@interface"))
        out.addAll(tags(declared, module, seen));
    }
    Matcher parent = EXTENDS.matcher(s.code());
    if (parent.find() && module.containsKey(parent.group(1)))
      out.addAll(tags(module.get(parent.group(1)), module, seen));
    return out;
  }

  /** The annotations before the top-level type's name (where a class-level {@code @Tag} sits). */
  static String declarationHead(Source s) {
    Matcher m =
        Pattern.compile("\\b(class|interface|@interface|enum|record)\\s+" + s.name() + "\\b")
            .matcher(s.code());
    return m.find() ? s.code().substring(0, m.start()) : "";
  }

  static boolean isTestClass(Source s) {
    return TEST_METHOD.matcher(s.code()).find();
  }

  static boolean names(String code, String className) {
    return Pattern.compile("\\b" + Pattern.quote(className) + "\\b").matcher(code).find();
  }

  // ----- reading sources

  /** Every {@code <module>/<tree>/**}{@code /*.java} under {@code root}, comments removed. */
  static List<Source> sources(Path root, String tree) {
    List<Source> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
        Path dir = module.resolve(tree);
        if (!Files.isDirectory(dir)) continue;
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
            String name = f.getFileName().toString().replaceFirst("\\.java$", "");
            out.add(
                new Source(
                    module.getFileName().toString(),
                    name,
                    f,
                    withoutComments(Files.readString(f))));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** {@code text} with its comments blanked; string, text-block and char literals kept. */
  static String withoutComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (text.startsWith("//", i)) {
        while (i < n && text.charAt(i) != '\n') i++;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (text.startsWith("\"\"\"", i)) {
        int end = text.indexOf("\"\"\"", i + 3);
        int stop = end < 0 ? n : end + 3;
        out.append(text, i, stop);
        i = stop;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && text.charAt(j) != c && text.charAt(j) != '\n')
          j += text.charAt(j) == '\\' ? 2 : 1;
        int stop = Math.min(n, j + 1);
        out.append(text, i, stop);
        i = stop;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The directory holding {@code mvnw} and the root pom, from the module the test runs in. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isRegularFile(dir.resolve("mvnw"))
            && Files.isRegularFile(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no mvnw above " + Path.of("").toAbsolutePath());
    return dir;
  }

  private static List<Pattern> patterns(String... regex) {
    return Stream.of(regex).map(Pattern::compile).toList();
  }

  private static void write(Path dir, String file, String text) throws IOException {
    Path f = dir.resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }
}
