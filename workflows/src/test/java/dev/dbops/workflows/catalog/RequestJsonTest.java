package dev.dbops.workflows.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict request mapper refuses what the default one silently bends, naming the field. */
class RequestJsonTest {
  static final String BASE = "\"bucket\": \"b-bucket\", \"prefix\": \"p/\"";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "duplicate key | \"tier\": \"STANDARD\", \"tier\": \"BULK\" | tier",
        "integer from string | \"tier\": \"STANDARD\", \"days\": \"7\" | days",
        "fraction for an integer | \"tier\": \"STANDARD\", \"days\": 7.9 | days",
        "string from number | \"tier\": \"STANDARD\", \"requestedBy\": 5 | requestedBy",
        "boolean from string | \"tier\": \"STANDARD\", \"dryRun\": \"true\" | dryRun",
        "boolean from number | \"tier\": \"STANDARD\", \"dryRun\": 1 | dryRun",
        "enum by index | \"tier\": 1 | tier",
        "nested duplicate | \"tier\": \"STANDARD\", \"approval\": {\"required\": 1, \"required\": 2} | required",
        "double from string | \"tier\": \"STANDARD\", \"approvalThresholdUsd\": \"5\" | approvalThresholdUsd"
      })
  void givenLooseJson_whenReadStrictly_thenRefusedNamingTheField(
      String name, String fields, String field) {
    Exception e =
        assertThrows(
            JsonProcessingException.class,
            () ->
                RequestJson.STRICT.readValue(
                    "{" + BASE + ", " + fields + "}", GlacierRestoreRequest.class));
    String where =
        e instanceof JsonMappingException m
            ? JsonFieldPath.of(m) + " " + e.getMessage()
            : e.getMessage();
    assertTrue(where.contains(field), name + ": " + where);
  }

  @Test
  void givenWellTypedJson_whenReadStrictly_thenReadAsTheDefaultMapperReadsIt() throws Exception {
    GlacierRestoreRequest r =
        RequestJson.STRICT.readValue(
            "{"
                + BASE
                + ", \"tier\": \"BULK\", \"days\": 7,"
                + " \"approvalThresholdUsd\": 5, \"pollInterval\": \"PT5M\", \"maxWait\": 3600.0, \"dryRun\": true}",
            GlacierRestoreRequest.class);
    assertEquals(RestoreTier.BULK, r.tier());
    assertEquals(7, r.days());
    assertEquals(5.0, r.approvalThresholdUsd());
    assertEquals(Duration.ofMinutes(5), r.pollInterval());
    assertEquals(Duration.ofHours(1), r.maxWait());
  }
}
