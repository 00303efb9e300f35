package dev.dbops.workflows.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dbops.workflows.common.ApproverCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The approver rule on signatures ssh-keygen made (recorded under {@code resources/signing}: one
 * {@link #SIGNED} decision signed {@code -n dbops-approval} by an Ed25519 and an RSA key of alice,
 * by mallory's key, and by alice in namespace {@code git}), so no run needs ssh-keygen; one case
 * signs afresh with ssh-keygen when it is installed.
 */
@Tag("process")
class ApproverVerifierTest {
  static final SignedDecision SIGNED =
      new SignedDecision(
          "upgrade/prod-1",
          "5d0f7c1e-0000-4000-8000-000000000001",
          "upgrade",
          "approve",
          "alice",
          "looks good",
          "2026-12-07T14:00:00Z");
  static final Instant NOW = Instant.parse("2026-12-07T14:03:00Z");

  static String resource(String name) {
    try (InputStream in = ApproverVerifierTest.class.getResourceAsStream("/signing/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static AllowedSigners signers() {
    return AllowedSigners.parse(
        "# who may approve\n"
            + "alice,alice@example.com namespaces=\"dbops-approval\" "
            + resource("alice_ed25519.pub")
            + "alice "
            + resource("alice_rsa.pub")
            + "bob "
            + resource("mallory_ed25519.pub").replace("ssh-ed25519", "ssh-ed25519")
            + "\n");
  }

  static ApproverCheck verify(
      SignedDecision d, String sigFile, AllowedSigners signers, Instant now) {
    return ApproverVerifier.verify(d, resource(sigFile), signers, now);
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice_ed25519.sig", "alice_rsa.sig"})
  void givenSignatureByAlicesListedKey_whenVerified_thenAccepted(String sig) {
    ApproverCheck c = verify(SIGNED, sig, signers(), NOW);
    assertEquals(ApproverCheck.VERIFIED, c.outcome(), c.detail());
    assertTrue(c.detail().startsWith("alice ("), c.detail());
  }

  @Test
  void givenRsaSignature_whenParsed_thenItIsRsaSha2_512AndArmorsBackToTheSameText() {
    SshSignature s = SshSignature.parse(resource("alice_rsa.sig"));
    assertEquals("rsa-sha2-512", s.signatureAlgorithm());
    assertEquals(resource("alice_rsa.sig").strip(), s.armored().strip());
    assertTrue(s.verifies(SIGNED.message()));
  }

  static List<UnaryOperator<SignedDecision>> tampered() {
    return List.of(
        d ->
            new SignedDecision(
                d.workflowId(), d.runId(), d.step(), d.decision(), d.by(), "looks good!", d.at()),
        d ->
            new SignedDecision(
                d.workflowId(), d.runId(), d.step(), "reject", d.by(), d.comment(), d.at()),
        d ->
            new SignedDecision(
                d.workflowId(), d.runId(), "cutover", d.decision(), d.by(), d.comment(), d.at()),
        d ->
            new SignedDecision(
                d.workflowId(),
                "5d0f7c1e-0000-4000-8000-000000000002",
                d.step(),
                d.decision(),
                d.by(),
                d.comment(),
                d.at()),
        d ->
            new SignedDecision(
                "upgrade/prod-2", d.runId(), d.step(), d.decision(), d.by(), d.comment(), d.at()),
        d ->
            new SignedDecision(
                d.workflowId(),
                d.runId(),
                d.step(),
                d.decision(),
                d.by(),
                d.comment(),
                "2026-12-07T14:00:01Z"),
        d ->
            new SignedDecision(
                d.workflowId(), d.runId(), d.step(), d.decision(), d.by(), null, d.at()));
  }

  @Test
  void givenAnyFieldChangedAfterSigning_whenVerified_thenRefusedAsNotMatching() {
    for (UnaryOperator<SignedDecision> change : tampered()) {
      SignedDecision d = change.apply(SIGNED);
      for (String sig : List.of("alice_ed25519.sig", "alice_rsa.sig")) {
        ApproverCheck c = verify(d, sig, signers(), NOW);
        assertEquals(ApproverCheck.REFUSED, c.outcome(), d + " " + sig);
        assertTrue(c.detail().contains("does not match this decision"), c.detail());
      }
    }
  }

  @Test
  void givenCommentWithALineBreak_whenMessageBuilt_thenItCannotPassForAnotherField() {
    SignedDecision forged =
        new SignedDecision("w", "r", "s", "approve", "alice", "ok\ntime: x", "t");
    SignedDecision plain = new SignedDecision("w", "r", "s", "approve", "alice", "ok", "t");
    String text = new String(forged.message(), StandardCharsets.UTF_8);
    assertEquals(9, text.split("\n", -1).length, text);
    assertTrue(!text.equals(new String(plain.message(), StandardCharsets.UTF_8)));
  }

  @Test
  void givenKeyNotInTheAllowedSigners_whenVerified_thenRefusedNamingTheKey() {
    AllowedSigners onlyRsa = AllowedSigners.parse("alice " + resource("alice_rsa.pub"));
    ApproverCheck c = verify(SIGNED, "alice_ed25519.sig", onlyRsa, NOW);
    assertEquals(ApproverCheck.REFUSED, c.outcome());
    assertTrue(c.detail().contains("is not in the allowed signers"), c.detail());
  }

  @Test
  void givenMalloryKeyListedForBob_whenSignedAsAlice_thenRefusedAsWrongPrincipal() {
    SignedDecision asAlice = SIGNED;
    ApproverCheck c = verify(asAlice, "mallory_ed25519.sig", signers(), NOW);
    assertEquals(ApproverCheck.REFUSED, c.outcome());
    // Mallory signed the very decision that names alice: the key is bob's, not alice's.
    assertTrue(c.detail().contains("may sign as bob, not as 'alice'"), c.detail());
  }

  @Test
  void givenAlicesSignature_whenByNamesSomeoneElse_thenRefused() {
    SignedDecision asBob =
        new SignedDecision(
            SIGNED.workflowId(),
            SIGNED.runId(),
            SIGNED.step(),
            SIGNED.decision(),
            "bob",
            SIGNED.comment(),
            SIGNED.at());
    assertEquals(
        ApproverCheck.REFUSED, verify(asBob, "alice_ed25519.sig", signers(), NOW).outcome());
  }

  @Test
  void givenSignatureInNamespaceGit_whenVerified_thenRefusedNamingTheNamespace() {
    ApproverCheck c = verify(SIGNED, "alice_ed25519.git.sig", signers(), NOW);
    assertEquals(ApproverCheck.REFUSED, c.outcome());
    assertTrue(c.detail().contains("namespace 'git'"), c.detail());
  }

  @Test
  void givenEntryLimitedToAnotherNamespace_whenVerified_thenRefused() {
    AllowedSigners gitOnly =
        AllowedSigners.parse("alice namespaces=\"git\" " + resource("alice_ed25519.pub"));
    ApproverCheck c = verify(SIGNED, "alice_ed25519.sig", gitOnly, NOW);
    assertEquals(ApproverCheck.REFUSED, c.outcome());
    assertTrue(c.detail().contains("not valid for namespace"), c.detail());
  }

  @Test
  void givenEntryValidOnlyBeforeNow_whenVerified_thenRefused() {
    AllowedSigners expired =
        AllowedSigners.parse("alice valid-before=\"20261201\" " + resource("alice_ed25519.pub"));
    assertEquals(
        ApproverCheck.REFUSED, verify(SIGNED, "alice_ed25519.sig", expired, NOW).outcome());
    AllowedSigners later =
        AllowedSigners.parse(
            "alice valid-after=\"20261201Z\",valid-before=\"202612080000\" "
                + resource("alice_ed25519.pub"));
    assertEquals(ApproverCheck.VERIFIED, verify(SIGNED, "alice_ed25519.sig", later, NOW).outcome());
  }

  @Test
  void givenSignatureOlderOrNewerThanTheWindow_whenVerified_thenRefusedAsStale() {
    Instant signedAt = Instant.parse(SIGNED.at());
    for (Instant now :
        List.of(signedAt.plus(Duration.ofMinutes(11)), signedAt.minus(Duration.ofMinutes(11)))) {
      ApproverCheck c = verify(SIGNED, "alice_ed25519.sig", signers(), now);
      assertEquals(ApproverCheck.REFUSED, c.outcome(), now.toString());
      assertTrue(c.detail().contains("sign again"), c.detail());
    }
    assertEquals(
        ApproverCheck.VERIFIED,
        verify(SIGNED, "alice_ed25519.sig", signers(), signedAt.plus(ApproverVerifier.WINDOW))
            .outcome());
  }

  @Test
  void givenNoSignature_whenVerified_thenRefusedAsUnsigned() {
    for (String none : new String[] {null, "", "  "}) {
      ApproverCheck c = ApproverVerifier.verify(SIGNED, none, signers(), NOW);
      assertEquals(ApproverCheck.REFUSED, c.outcome());
      assertTrue(c.detail().startsWith("unsigned"), c.detail());
    }
  }

  @Test
  void givenGarbledSignature_whenVerified_thenRefusedSayingItDoesNotParse() {
    String sig = resource("alice_ed25519.sig");
    String cut = sig.substring(0, sig.indexOf('\n') + 20) + "\n" + SshSignature.END;
    for (String bad : List.of("hello", cut)) {
      ApproverCheck c = ApproverVerifier.verify(SIGNED, bad, signers(), NOW);
      assertEquals(ApproverCheck.REFUSED, c.outcome());
      assertTrue(c.detail().startsWith("signature does not parse"), c.detail());
    }
  }

  @Test
  void givenMalformedAllowedSignersLine_whenParsed_thenTheErrorNamesTheLine() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SignatureFormatException.class,
            () -> AllowedSigners.parse("# ok\nalice ssh-ed25519 notbase64!!"));
    assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
    AllowedSigners skipped = AllowedSigners.parse("alice ecdsa-sha2-nistp256 AAAA\n");
    assertEquals(1, skipped.skipped().size());
  }

  @Test
  void givenSshKeygen_whenItSignsAFreshDecision_thenOurVerifierAcceptsIt(@TempDir Path dir)
      throws Exception {
    assumeTrue(onPath("ssh-keygen"), "ssh-keygen not installed");
    Path key = dir.resolve("k");
    run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "carol", "-f", key.toString());
    Instant now = Instant.now();
    SignedDecision d =
        new SignedDecision(
            "binlog/r1",
            "run-9",
            "decide",
            "decide SKIP",
            "carol",
            "dup\\key \"x\"\n",
            now.toString());
    Path msg = dir.resolve("m");
    Files.write(msg, d.message());
    run(
        dir,
        "ssh-keygen",
        "-Y",
        "sign",
        "-n",
        SignedDecision.NAMESPACE,
        "-f",
        key.toString(),
        msg.toString());
    AllowedSigners s = AllowedSigners.parse("carol " + Files.readString(dir.resolve("k.pub")));
    ApproverCheck c = ApproverVerifier.verify(d, Files.readString(dir.resolve("m.sig")), s, now);
    assertEquals(ApproverCheck.VERIFIED, c.outcome(), c.detail());
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }

  static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
  }
}
