package dev.dbops.starter;

import dev.dbops.workflows.signing.SshPublicKey;
import dev.dbops.workflows.signing.SshSignature;
import dev.dbops.workflows.signing.SshWire;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Signs through ssh-agent ({@code SSH_AUTH_SOCK}) with the agent protocol's sign request, so a key
 * whose private half never leaves the agent (or a passphrase-protected one) can approve.
 */
final class SshAgent {
  static final byte SIGN_REQUEST = 13;
  static final byte SIGN_RESPONSE = 14;
  static final int RSA_SHA2_512 = 4;
  static final int MAX_REPLY = 256 * 1024;

  private SshAgent() {}

  /** An SSHSIG signature by {@code key}, made by the agent at {@code socket}, armored. */
  static String sign(Path socket, SshPublicKey key, String namespace, byte[] message) {
    byte[] data = SshSignature.signedData(namespace, message);
    int flags = SshPublicKey.RSA.equals(key.type()) ? RSA_SHA2_512 : 0;
    byte[] body =
        new SshWire.Writer()
            .raw(new byte[] {SIGN_REQUEST})
            .string(key.blob())
            .string(data)
            .uint32(flags)
            .toBytes();
    byte[] request = new SshWire.Writer().string(body).toBytes();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) ch.write(out);
      int length = ByteBuffer.wrap(read(ch, 4)).getInt();
      if (length <= 0 || length > MAX_REPLY)
        throw CliException.failed("ssh-agent answered " + length + " bytes");
      byte[] reply = read(ch, length);
      if (reply[0] != SIGN_RESPONSE) {
        throw CliException.invalid(
            "--key: ssh-agent refused to sign with "
                + key
                + " (is it added? ssh-add -l lists the agent's keys)");
      }
      SshWire.Reader r = new SshWire.Reader(java.util.Arrays.copyOfRange(reply, 1, reply.length));
      return SshSignature.ofWire(key, namespace, r.string()).armored();
    } catch (IOException e) {
      throw CliException.invalid(
          "--key: cannot reach ssh-agent at SSH_AUTH_SOCK=" + socket + ": " + e.getMessage());
    }
  }

  private static byte[] read(SocketChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) throw new IOException("ssh-agent closed the connection");
    }
    return b.array();
  }
}
