package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one escaping function: every control, format and separator character visible, the rest kept.
 */
class PrintableTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "newline forging a line | 0a | \\n",
        "carriage return | 0d | \\r",
        "tab | 09 | \\t",
        "ANSI escape | 1b | \\u001B",
        "bell | 07 | \\u0007",
        "DEL | 7f | \\u007F",
        "C1 CSI | 9b | \\u009B",
        "C1 NEL | 85 | \\u0085",
        "right-to-left override | 202e | \\u202E",
        "first strong isolate | 2068 | \\u2068",
        "zero width space | 200b | \\u200B",
        "byte order mark | feff | \\uFEFF",
        "line separator | 2028 | \\u2028",
        "paragraph separator | 2029 | \\u2029",
        "language tag (beyond the BMP) | e0001 | \\uDB40\\uDC01"
      })
  void givenAnUnsafeCharacter_whenEscaped_thenShownAsAnEscape(
      String name, String hex, String shown) {
    String c = Character.toString(Integer.parseInt(hex, 16));
    assertEquals("a" + shown + "b", Printable.escape("a" + c + "b"), name);
    assertTrue(Printable.needsEscape(c), name);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"plain ascii", "Zoë Ångström", "名前", "emoji \uD83D\uDE80 ok", "back\\slash"})
  void givenPrintableText_whenEscaped_thenUnchanged(String text) {
    assertEquals(text, Printable.escape(text));
    assertFalse(Printable.needsEscape(text));
  }

  @org.junit.jupiter.api.Test
  void givenAStream_whenEscapedKeepingLines_thenOnlyItsNewlinesStay() {
    assertEquals(
        "ok\n  12:00  approved by dave\\u001B[2J\n",
        Printable.escapeKeepingLines("ok\n  12:00  approved by dave\u001B[2J\n"));
  }
}
