package dev.dbops.starter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.JsonFieldPath;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.RequestJson;
import dev.dbops.workflows.common.Bounds;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A request from a JSON file, read exactly as the worker reads a new run's request ({@link
 * RequestJson#STRICT}: Temporal's Jackson mapper, strict): an unknown field, a duplicate key, a
 * coerced or fractional number is an error naming the field, and a file larger than {@link
 * Bounds#MAX_REQUEST_BYTES} is refused before it is read.
 */
final class RequestInput {
  private RequestInput() {}

  static final ObjectMapper STRICT = RequestJson.STRICT;

  /** The field the CLI fills with {@code $USER} when the file leaves it out. */
  static final String REQUESTED_BY = "requestedBy";

  static <R> R read(Path file, Procedure<R> procedure, String defaultRequester) {
    String text;
    try {
      long size = Files.size(file);
      if (size > Bounds.MAX_REQUEST_BYTES) {
        throw CliException.invalid(
            "--input: "
                + file
                + " is "
                + size
                + " bytes, at most "
                + Bounds.MAX_REQUEST_BYTES
                + " (see docs/bounds.md); nothing was started");
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw CliException.invalid("--input: no such file: " + file);
    } catch (IOException e) {
      throw CliException.invalid("--input: cannot read " + file + ": " + e.getMessage());
    }
    return parse(text, procedure, defaultRequester, file.toString());
  }

  static <R> R parse(String json, Procedure<R> procedure, String defaultRequester, String source) {
    try {
      JsonNode tree = STRICT.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw CliException.invalid("--input: " + source + " must hold one JSON object");
      }
      if (defaultRequester != null
          && !tree.hasNonNull(REQUESTED_BY)
          && hasComponent(procedure.requestClass(), REQUESTED_BY)) {
        ((ObjectNode) tree).put(REQUESTED_BY, defaultRequester);
      }
      return STRICT.treeToValue(tree, procedure.requestClass());
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : " (known: "
                  + e.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")";
      throw CliException.invalid(
          "invalid input: " + path(e) + ": unknown field in " + source + known);
    } catch (JsonMappingException e) {
      throw CliException.invalid(
          "invalid input: " + path(e) + ": " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw CliException.invalid(
          "invalid input: "
              + source
              + " is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")")
              + ": "
              + firstLine(e.getOriginalMessage()));
    }
  }

  private static String path(JsonMappingException e) {
    return JsonFieldPath.of(e);
  }

  private static boolean hasComponent(Class<?> type, String name) {
    RecordComponent[] components = type.getRecordComponents();
    return components != null && Arrays.stream(components).anyMatch(c -> c.getName().equals(name));
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
