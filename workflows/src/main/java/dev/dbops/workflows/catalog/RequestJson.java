package dev.dbops.workflows.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * How a procedure request is read from JSON wherever a person wrote it: {@code dbops start --input
 * FILE.json} and a start from the Temporal UI ({@link RequestDecoding}). Temporal's own mapper,
 * made strict: an unknown field, a key given twice (a reviewer would read one value and the run use
 * the other), a number given as a string ({@code "days": "7"}), a fraction where a whole number
 * belongs ({@code "days": 7.9} would be 7), a string from a number or a boolean, an enum by its
 * index, a null for a primitive — each is an error naming the field. Only requests are read this
 * way: everything else a worker decodes (activity results, recorded histories) keeps Temporal's
 * default mapper, so histories recorded before stay readable.
 */
public final class RequestJson {
  private RequestJson() {}

  public static final ObjectMapper STRICT =
      strict(JacksonJsonPayloadConverter.newDefaultObjectMapper());

  @SuppressWarnings(
      "deprecation") // MapperFeature on a built mapper: Temporal builds it, we copy it
  public static ObjectMapper strict(ObjectMapper base) {
    ObjectMapper m =
        base.copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }
}
