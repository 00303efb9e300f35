package dev.dbops.workflows.signing;

import dev.dbops.workflows.common.ApproverCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rule that an approver is who they say they are: a {@link SignedDecision} with an SSHSIG
 * signature is accepted only when the signature verifies over exactly that decision, in the {@link
 * SignedDecision#NAMESPACE} namespace, made within {@link #WINDOW} of {@code now}, by a key the
 * allowed-signers list names for {@code by} (namespace and validity options honoured). Pure
 * computation: the caller supplies the list's text and the clock.
 */
public final class ApproverVerifier {
  /** How far a signature's time may be from the verifier's clock, either way. */
  public static final Duration WINDOW = Duration.ofMinutes(10);

  private ApproverVerifier() {}

  public static ApproverCheck verify(
      SignedDecision d, String armored, AllowedSigners signers, Instant now) {
    if (armored == null || armored.isBlank()) {
      return ApproverCheck.refused(
          "unsigned; this worker accepts only approvals signed with an approver's"
              + " SSH key (--key FILE or ssh-agent)");
    }
    SshSignature sig;
    try {
      sig = SshSignature.parse(armored);
    } catch (SignatureFormatException e) {
      return ApproverCheck.refused("signature does not parse: " + e.getMessage());
    }
    if (!SignedDecision.NAMESPACE.equals(sig.namespace())) {
      return ApproverCheck.refused(
          "signed in namespace '" + sig.namespace() + "', not '" + SignedDecision.NAMESPACE + "'");
    }
    Instant at;
    try {
      at = Instant.parse(d.at());
    } catch (DateTimeParseException | NullPointerException e) {
      return ApproverCheck.refused("signature time '" + d.at() + "' is not an ISO-8601 instant");
    }
    Duration off = Duration.between(now, at).abs();
    if (off.compareTo(WINDOW) > 0) {
      return ApproverCheck.refused(
          "signed at "
              + d.at()
              + ", "
              + off.toMinutes()
              + " min from the worker's clock ("
              + now
              + "); a signature counts within "
              + WINDOW.toMinutes()
              + " min, sign again");
    }
    if (!sig.verifies(d.message())) {
      return ApproverCheck.refused(
          "signature by "
              + sig.key()
              + " does not match this decision (run, step,"
              + " decision, name, comment and time must be exactly what was signed)");
    }
    var entry = signers.find(d.by(), sig.key(), sig.namespace(), now);
    if (entry.isPresent()) {
      return ApproverCheck.verified(
          d.by() + " (" + sig.key() + ", allowed signers line " + entry.get().line() + ")");
    }
    List<AllowedSigners.Entry> forKey = signers.entriesFor(sig.key());
    if (forKey.isEmpty())
      return ApproverCheck.refused("key " + sig.key() + " is not in the allowed signers");
    String principals =
        forKey.stream()
            .flatMap(e -> e.principals().stream())
            .distinct()
            .collect(Collectors.joining(","));
    if (forKey.stream().noneMatch(e -> e.names(d.by()))) {
      return ApproverCheck.refused(
          "key " + sig.key() + " may sign as " + principals + ", not as '" + d.by() + "'");
    }
    return ApproverCheck.refused(
        "key "
            + sig.key()
            + " of "
            + principals
            + " is not valid for namespace '"
            + sig.namespace()
            + "' at "
            + now
            + " (allowed signers options)");
  }
}
