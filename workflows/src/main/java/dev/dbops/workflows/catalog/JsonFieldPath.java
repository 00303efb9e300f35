package dev.dbops.workflows.catalog;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Where in a request Jackson stumbled, as people write it ({@code approval.approvers[0]}), so the
 * CLI's {@code --input} check and the worker's decoding of a UI start name a field the same way.
 */
public final class JsonFieldPath {
  private JsonFieldPath() {}

  /**
   * {@code approval.approvers[0]}-style path to the offending field; {@code request} at the top.
   */
  public static String of(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "request" : sb.toString();
  }
}
