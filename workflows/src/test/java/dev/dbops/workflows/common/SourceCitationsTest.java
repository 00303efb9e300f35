package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code and comments stand on their own: a comment may point into the repository (a path such as
 * {@code docs/procedures.md}), never at a document that is not in it. What such a citation needed
 * lives in {@code docs/}.
 */
class SourceCitationsTest {
  /** Citations of documents kept outside the repository, by section number. */
  static final Pattern OUTSIDE = Pattern.compile("\\b(?:DESIGN|STYLE|DEVELOPERS)(?:\\.md)? ?§?\\d");

  /** A path into the repository a comment names, e.g. {@code docs/procedures.md}. */
  static final Pattern DOCS_PATH = Pattern.compile("\\bdocs/[\\w./-]+\\.md\\b");

  @Test
  void givenEverySourceFile_whenRead_thenNoCommentCitesADocumentOutsideTheRepository() {
    Path root = TestTiersTest.repositoryRoot();
    List<String> found = new ArrayList<>();
    for (Path file : javaFiles(root)) {
      List<String> lines = read(file);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE.matcher(lines.get(i)).find()) {
          found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), found, "cite docs/ instead (move what the comment needs there)");
  }

  @Test
  void givenACommentNamingADocsPath_whenRead_thenThatFileExists() {
    Path root = TestTiersTest.repositoryRoot();
    List<String> missing = new ArrayList<>();
    int named = 0;
    for (Path file : javaFiles(root)) {
      for (String line : read(file)) {
        Matcher m = DOCS_PATH.matcher(line);
        while (m.find()) {
          named++;
          if (!Files.isRegularFile(root.resolve(m.group()))) {
            missing.add(root.relativize(file) + " names " + m.group());
          }
        }
      }
    }
    assertTrue(named > 0, "no comment names a docs/ path; is the scan looking in the right place?");
    assertEquals(List.of(), missing);
  }

  @Test
  void givenTheRules_whenAppliedToSamples_thenTheyTellCitationsApart() {
    assertTrue(OUTSIDE.matcher(" * (DESIGN 4.3 step 6)").find());
    assertTrue(OUTSIDE.matcher("// see DESIGN.md §5").find());
    assertTrue(!OUTSIDE.matcher(" * (docs/procedures.md, binlog step 6)").find());
    assertTrue(!OUTSIDE.matcher("static final String DESIGN_NOTE = \"x\";").find());
  }

  static List<Path> javaFiles(Path root) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        Path src = module.resolve("src");
        if (!Files.isDirectory(src)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(src)) {
          walk.filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.endsWith("SourceCitationsTest.java"))
              .forEach(files::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(files.size() > 300, "found only " + files.size() + " Java files under " + root);
    return files;
  }

  static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
