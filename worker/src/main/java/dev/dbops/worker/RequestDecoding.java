package dev.dbops.worker;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.dbops.workflows.catalog.JsonFieldPath;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.catalog.RequestJson;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.context.SerializationContext;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The worker's data converter: {@code delegate}, except that a procedure request it cannot decode
 * (malformed JSON, a wrong type, an unknown field — what a start from the Temporal UI can send)
 * becomes a non-retryable {@link ErrorTypes#INVALID_INPUT} failure naming the field.
 *
 * <p>Why here: the SDK decodes a run's argument before any interceptor sees it, and a {@link
 * DataConverterException} there fails the workflow <em>task</em>, which Temporal retries until the
 * run times out. An {@link ApplicationFailure} thrown there fails the run itself at once, before
 * its first command. {@code WorkflowImplementationOptions.setFailWorkflowExceptionTypes} would also
 * fail it, but under the exception's class name and for every undecodable value in workflow code —
 * including an activity result after a careless deployment, which must stay a task failure that the
 * fixed deployment then resumes. So only the catalog's request classes (each is a run argument and
 * nothing else in workflow code) are refused this way; any other class fails as before.
 */
final class RequestDecoding implements DataConverter {
  /**
   * Longest message kept: Jackson quotes offending values, which must not carry a whole payload.
   */
  static final int MAX_MESSAGE = 300;

  private static final Pattern SOURCE =
      Pattern.compile("\\[Source: .*; line: (\\d+), column: (\\d+)]", Pattern.DOTALL);

  private final DataConverter delegate;
  private final Set<Class<?>> requests;

  private RequestDecoding(DataConverter delegate, Set<Class<?>> requests) {
    this.delegate = delegate;
    this.requests = requests;
  }

  /**
   * {@code delegate} refusing undecodable requests of every procedure in {@link Procedures#ALL}.
   */
  static DataConverter refusingUndecodableRequests(DataConverter delegate) {
    return refusingUndecodable(
        delegate, Procedures.ALL.stream().<Class<?>>map(Procedure::requestClass).toList());
  }

  static DataConverter refusingUndecodable(DataConverter delegate, List<Class<?>> requestClasses) {
    return new RequestDecoding(delegate, Set.copyOf(requestClasses));
  }

  @Override
  public <T> Optional<Payload> toPayload(T value) {
    return delegate.toPayload(value);
  }

  @Override
  public <T> T fromPayload(Payload payload, Class<T> valueClass, Type valueType) {
    try {
      return delegate.fromPayload(payload, valueClass, valueType);
    } catch (DataConverterException e) {
      throw refused(e, valueClass);
    }
  }

  @Override
  public Optional<Payloads> toPayloads(Object... values) {
    return delegate.toPayloads(values);
  }

  @Override
  public <T> T fromPayloads(
      int index, Optional<Payloads> content, Class<T> valueType, Type valueGenericType) {
    try {
      return delegate.fromPayloads(index, content, valueType, valueGenericType);
    } catch (DataConverterException e) {
      throw refused(e, valueType);
    }
  }

  @Override
  public Object[] fromPayloads(
      Optional<Payloads> content, Class<?>[] parameterTypes, Type[] genericParameterTypes) {
    Object[] values;
    try {
      values = delegate.fromPayloads(content, parameterTypes, genericParameterTypes);
    } catch (DataConverterException e) {
      // A run's arguments: every workflow method of the catalog takes its request alone.
      for (Class<?> type : parameterTypes) {
        if (requests.contains(type)) throw refused(e, type);
      }
      throw e;
    }
    for (int i = 0; i < parameterTypes.length; i++) {
      // A missing request (null) is the workflow's own "request: missing".
      if (values[i] != null && requests.contains(parameterTypes[i]))
        checkStrictly(i, content, parameterTypes[i]);
    }
    return values;
  }

  /**
   * A new run's request, read again as {@link RequestJson#STRICT} reads it (no duplicate key, no
   * coercion, no fraction for a whole number) and no larger than {@link Bounds#MAX_REQUEST_BYTES}:
   * what the CLI refuses, a start from the UI must not get through. Only when the run is not
   * replaying: a run started before this rule replays as it ran (its first workflow task is
   * history), so recorded histories stay readable whatever their JSON looked like.
   */
  private void checkStrictly(int index, Optional<Payloads> content, Class<?> type) {
    if (content.isEmpty() || index >= content.get().getPayloadsCount() || replaying()) return;
    Payload raw =
        ((RawValue) delegate.fromPayloads(index, content, RawValue.class, RawValue.class))
            .getPayload();
    String encoding =
        raw.getMetadataMap().containsKey("encoding")
            ? raw.getMetadataMap().get("encoding").toStringUtf8()
            : "";
    if (!encoding.equals("json/plain")) return;
    int size = raw.getData().size();
    if (size > Bounds.MAX_REQUEST_BYTES) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid input: request: " + size + " bytes as JSON, at most " + Bounds.MAX_REQUEST_BYTES,
          ErrorTypes.INVALID_INPUT);
    }
    try {
      RequestJson.STRICT.readValue(raw.getData().toByteArray(), type);
    } catch (java.io.IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid input: " + describe(e), ErrorTypes.INVALID_INPUT);
    }
  }

  /**
   * Whether this decoding replays recorded history (a workflow task of a run that already ran it).
   */
  private static boolean replaying() {
    return WorkflowUnsafe.isWorkflowThread() && WorkflowUnsafe.isReplaying();
  }

  @Override
  public RuntimeException failureToException(Failure failure) {
    return delegate.failureToException(failure);
  }

  @Override
  public Failure exceptionToFailure(Throwable throwable) {
    return delegate.exceptionToFailure(throwable);
  }

  @Override
  public DataConverter withContext(SerializationContext context) {
    return new RequestDecoding(delegate.withContext(context), requests);
  }

  private RuntimeException refused(DataConverterException e, Class<?> valueClass) {
    if (!requests.contains(valueClass)) return e;
    return ApplicationFailure.newNonRetryableFailure(
        "invalid input: " + describe(e), ErrorTypes.INVALID_INPUT);
  }

  /**
   * What is wrong, as the CLI says it for a file: {@code clusterID: unknown field (known: …)},
   * {@code days: Cannot deserialize value of type `int` from String "seven" …}, {@code request is
   * not valid JSON (line 1, column 40): …}. Never the payload itself.
   */
  static String describe(Throwable e) {
    JsonProcessingException json = null;
    for (Throwable c = e; c != null && json == null; c = c.getCause()) {
      if (c instanceof JsonProcessingException j) json = j;
    }
    String out;
    if (json instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : " (known: "
                  + u.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")";
      out = path(u) + ": unknown field" + known;
    } else if (json instanceof JsonMappingException m) {
      out = path(m) + ": " + firstLine(m.getOriginalMessage());
    } else if (json != null) {
      JsonLocation at = json.getLocation();
      out =
          "request is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": "
              + firstLine(json.getOriginalMessage());
    } else {
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      out = "request: cannot be decoded: " + root.getClass().getSimpleName();
    }
    return out.length() <= MAX_MESSAGE ? out : out.substring(0, MAX_MESSAGE) + "…";
  }

  private static String path(JsonMappingException e) {
    return JsonFieldPath.of(e);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    Matcher m = SOURCE.matcher(s);
    String redacted = m.replaceAll(r -> "[line: " + r.group(1) + ", column: " + r.group(2) + "]");
    int nl = redacted.indexOf('\n');
    return nl < 0 ? redacted : redacted.substring(0, nl);
  }
}
