package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dbops.workflows.common.ApproverCheck;
import dev.dbops.workflows.signing.AllowedSigners;
import dev.dbops.workflows.signing.ApproverVerifier;
import dev.dbops.workflows.signing.SignedDecision;
import dev.dbops.workflows.signing.SshPublicKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI's signing against OpenSSH: our signatures verify with our verifier always, and with
 * {@code ssh-keygen -Y verify} where ssh-keygen is installed; keys ssh-keygen wrote (Ed25519, RSA)
 * sign here; ssh-agent signs through its socket; the demo key dev mode writes is one ssh-keygen
 * reads.
 */
@Tag("process")
class SshKeyFileTest {
  static SignedDecision decision() {
    return new SignedDecision(
        "restore/b/p",
        "run-1",
        "request restores",
        "approve",
        "alice",
        "ok; \"quoted\"\nsecond line",
        Instant.now().toString());
  }

  static ApproverCheck verify(SignedDecision d, String sig, SshPublicKey key) {
    return ApproverVerifier.verify(
        d, sig, AllowedSigners.parse("alice " + key.text()), Instant.now());
  }

  @Test
  void
      givenGeneratedEd25519KeyFile_whenItSigns_thenTheVerifierAcceptsAndAChangedCommentIsRefused() {
    SshPublicKey[] pub = new SshPublicKey[1];
    SshKeyFile key = SshKeyFile.parse(SshKeyFile.generateEd25519("alice", pub), "--key");
    assertEquals(pub[0], key.publicKey());
    SignedDecision d = decision();
    String sig = key.sign(SignedDecision.NAMESPACE, d.message());
    assertEquals(ApproverCheck.VERIFIED, verify(d, sig, pub[0]).outcome());
    SignedDecision changed =
        new SignedDecision(d.workflowId(), d.runId(), d.step(), d.decision(), d.by(), "ok", d.at());
    assertEquals(ApproverCheck.REFUSED, verify(changed, sig, pub[0]).outcome());
  }

  @Test
  void givenSomethingElseThanAKey_whenParsed_thenInvalidNamingTheFlag() {
    CliException e = assertThrows(CliException.class, () -> SshKeyFile.parse("hello", "--key"));
    assertTrue(e.getMessage().startsWith("--key: "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa"})
  void givenKeyWrittenBySshKeygen_whenTheCliSigns_thenSshKeygenVerifiesIt(
      String type, @TempDir Path dir) throws Exception {
    assumeTrue(onPath("ssh-keygen"), "ssh-keygen not installed");
    Path k = dir.resolve("k");
    run(dir, Map.of(), "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "alice", "-f", k.toString());
    SshKeyFile key = SshKeyFile.parse(Files.readString(k), "--key");
    SignedDecision d = decision();
    Path msg = dir.resolve("msg");
    Files.write(msg, d.message());
    Path sig = dir.resolve("msg.sig");
    Files.writeString(sig, key.sign(SignedDecision.NAMESPACE, d.message()));
    Files.writeString(dir.resolve("allowed"), "alice " + Files.readString(dir.resolve("k.pub")));
    run(
        dir,
        Map.of(),
        "sh",
        "-c",
        "ssh-keygen -Y verify -f allowed -I alice -n "
            + SignedDecision.NAMESPACE
            + " -s msg.sig < msg");
    assertEquals(
        ApproverCheck.VERIFIED, verify(d, Files.readString(sig), key.publicKey()).outcome());
  }

  @Test
  void givenDemoKeyFromDevMode_whenSshKeygenReadsIt_thenItDerivesTheSamePublicKey(@TempDir Path dir)
      throws Exception {
    assumeTrue(onPath("ssh-keygen"), "ssh-keygen not installed");
    DevApprover a = DevApprover.create(dir);
    String derived = run(dir, Map.of(), "ssh-keygen", "-y", "-f", a.privateKey().toString());
    assertEquals(a.key(), SshPublicKey.parse(derived));
    assertEquals(
        a.key(), AllowedSigners.parse(Files.readString(a.allowedSigners())).entries().get(0).key());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa"})
  void givenKeyInSshAgent_whenSignedThroughItsSocket_thenTheVerifierAccepts(
      String type, @TempDir Path dir) throws Exception {
    assumeTrue(
        onPath("ssh-agent") && onPath("ssh-add") && onPath("ssh-keygen"),
        "OpenSSH tools not installed");
    Path k = dir.resolve("k");
    run(dir, Map.of(), "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "alice", "-f", k.toString());
    Path sock = dir.resolve("agent.sock");
    Process agent =
        new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      for (int i = 0; i < 100 && !Files.exists(sock); i++) Thread.sleep(50);
      run(dir, Map.of("SSH_AUTH_SOCK", sock.toString()), "ssh-add", k.toString());
      SshPublicKey pub = SshPublicKey.parse(Files.readString(dir.resolve("k.pub")));
      SignedDecision d = decision();
      String sig = SshAgent.sign(sock, pub, SignedDecision.NAMESPACE, d.message());
      assertEquals(ApproverCheck.VERIFIED, verify(d, sig, pub).outcome());
      assertEquals(
          type.equals("rsa") ? "rsa-sha2-512" : "ssh-ed25519",
          dev.dbops.workflows.signing.SshSignature.parse(sig).signatureAlgorithm());
    } finally {
      agent.destroy();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) return true;
    }
    return false;
  }

  static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    return out;
  }
}
