package dev.dbops.client;

import dev.dbops.workflows.common.ApproverCheck;
import dev.dbops.workflows.common.ApproverCheckInterceptor;
import dev.dbops.workflows.signing.AllowedSigners;
import dev.dbops.workflows.signing.ApproverVerifier;
import dev.dbops.workflows.signing.SignatureFormatException;
import dev.dbops.workflows.signing.SignedDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the approver check ({@link ApproverCheckInterceptor}): the allowed-signers
 * file {@code DBOPS_ALLOWED_SIGNERS} names, read at each check (a key removed from it stops
 * counting at once, without a restart; the verdict is recorded, so runs replay as they ran), and
 * the worker's clock. An unreadable or malformed file refuses every signature (fail closed).
 * Without a file, every name is taken as given and said to be unverified.
 */
public final class AllowedSignersFile implements ApproverCheckInterceptor.Verifier {
  private static final Logger log = LoggerFactory.getLogger(AllowedSignersFile.class);
  public static final String UNVERIFIED =
      "approvals are unverified: the worker has no allowed-signers file ("
          + DbopsConfig.DBOPS_ALLOWED_SIGNERS
          + "), so any name given with --by is taken as given";

  private final Path file;
  private final Clock clock;

  public AllowedSignersFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The verifier {@code config} asks for. */
  public static ApproverCheckInterceptor.Verifier of(DbopsConfig config) {
    return new AllowedSignersFile(config.allowedSigners(), Clock.systemUTC());
  }

  /** Refuses a file that cannot serve at startup, naming the setting. */
  public static void check(Path file) {
    try {
      AllowedSigners s = read(file);
      if (s.entries().isEmpty()) {
        throw new DbopsConfig.InvalidConfigException(
            DbopsConfig.DBOPS_ALLOWED_SIGNERS
                + ": "
                + file
                + " lists no Ed25519 or RSA key; nobody could approve");
      }
    } catch (IOException e) {
      throw new DbopsConfig.InvalidConfigException(
          DbopsConfig.DBOPS_ALLOWED_SIGNERS + ": cannot read " + file + ": " + e.getMessage());
    } catch (SignatureFormatException e) {
      throw new DbopsConfig.InvalidConfigException(
          DbopsConfig.DBOPS_ALLOWED_SIGNERS + ": " + file + " " + e.getMessage());
    }
  }

  private static AllowedSigners read(Path file) throws IOException {
    return AllowedSigners.parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Override
  public ApproverCheck check(SignedDecision decision, String signature) {
    if (file == null) return ApproverCheck.unverified(UNVERIFIED);
    AllowedSigners signers;
    try {
      signers = read(file);
    } catch (IOException | SignatureFormatException e) {
      log.warn(
          "allowed-signers file {} unusable; refusing the signature: {}", file, e.getMessage());
      return ApproverCheck.refused(
          "the worker cannot read its allowed-signers file; nothing is accepted until"
              + " it can ("
              + e.getMessage()
              + ")");
    }
    ApproverCheck c;
    try {
      c = ApproverVerifier.verify(decision, signature, signers, clock.instant());
    } catch (RuntimeException e) {
      // Fail closed, and never fail the workflow task: a verifier bug must not wedge the run.
      log.warn(
          "approver check of {} on {} failed; refusing it",
          decision.decision(),
          decision.workflowId(),
          e);
      return ApproverCheck.refused(
          "the signature could not be checked (" + e.getClass().getSimpleName() + ")");
    }
    log.info(
        "approver check of {} by {} on {}: {} ({})",
        decision.decision(),
        decision.by(),
        decision.workflowId(),
        c.outcome(),
        c.detail());
    return c;
  }

  @Override
  public String describe() {
    return file == null
        ? UNVERIFIED
        : "signed approvals only: "
            + SignedDecision.NAMESPACE
            + " signatures checked against the allowed signers in "
            + file;
  }
}
