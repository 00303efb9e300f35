package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryPathsTest {

  @Test
  void givenNonCanonicalKeys_whenMapped_thenEachIsRefusedNotNormalised() {
    for (String bad :
        List.of(
            "",
            "/etc/passwd",
            "../x",
            "db/../../x",
            "a/./b",
            "./a",
            "dup//a.txt",
            "a//",
            "a\u0000b",
            "a\nb",
            "x/" + "n".repeat(256))) {
      assertNotNull(DeliveryPaths.refusal(bad), "'" + bad + "' should be refused");
    }
    for (String good : List.of("db/a.gz", "a", "dir/", "a b/ü.txt", "x.part", "..a/b..")) {
      assertNull(DeliveryPaths.refusal(good), good);
    }
    assertEquals(List.of("dir", "sub"), DeliveryPaths.segments("dir/sub/"));
  }

  @Test
  void givenDupKeys_whenMapped_thenTheNonCanonicalOneFailsAndTheOtherKeepsItsPath() {
    Map<String, String> out =
        DeliveryPaths.undeliverable(List.of("dup/a.txt", "dup//a.txt"), false);

    assertEquals(List.of("dup//a.txt"), List.copyOf(out.keySet()));
    assertTrue(out.get("dup//a.txt").contains("empty path segment"), out.toString());
  }

  @Test
  void givenKeysClaimingOnePath_whenMapped_thenAllClaimantsFail() {
    // a file and a directory of the same name; a file and another key's partial download
    Map<String, String> out =
        DeliveryPaths.undeliverable(
            List.of("a", "a/b", "x.gz", "x.gz.part", "ok/1", "ok/2", "ok/"), false);

    assertEquals(List.of("a", "a/b", "x.gz", "x.gz.part"), List.copyOf(out.keySet()));
    assertTrue(out.get("a").contains("'a/b'"), out.toString());
    assertTrue(out.get("x.gz.part").contains("'x.gz'"), out.toString());
  }

  @Test
  void givenKeysDifferingInCase_whenTheFileSystemIgnoresCase_thenBothFailOtherwiseNeither() {
    List<String> keys = List.of("Logs/A.txt", "logs/a.txt", "caf\u00e9", "cafe\u0301");

    assertEquals(Map.of(), DeliveryPaths.undeliverable(keys, false));
    assertEquals(keys, List.copyOf(DeliveryPaths.undeliverable(keys, true).keySet()));
  }
}
