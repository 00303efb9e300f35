package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code upgrade-rollback}'s DNS flags refused before any connection (the address is a closed port:
 * reaching it would exit 3), for {@code start} and {@code plan} alike: exit 2 naming the flag.
 */
class UpgradeRollbackFlagsTest {
  private static Cli.Result run(String command, String... more) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "upgrade-rollback",
                "--snapshot",
                "orders-pre",
                "--new-cluster",
                "orders-56",
                "--requested-by",
                "bob",
                "--address",
                "127.0.0.1:" + CliExitCodesTest.closedPort()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static void assertRefused(Cli.Result r, String message) {
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains(message), "stderr should say '" + message + "':\n" + r);
    assertTrue(r.err().contains("nothing was started"), r.toString());
  }

  @Test
  void givenOnlyOneOfZoneAndRecord_whenStartOrPlan_thenExit2NamingTheMissingFlag()
      throws IOException {
    for (String command : List.of("start", "plan")) {
      assertRefused(
          run(command, "--zone-id", "Z0ORDERS01", "--approver", "alice"),
          "--record-name: required with --zone-id (both or neither)");
      assertRefused(
          run(command, "--record-name", "db.orders.internal.", "--approver", "alice"),
          "--zone-id: required with --record-name (both or neither)");
    }
  }

  @Test
  void givenAZoneIdOrRecordNameThatIsNoSuchThing_whenStart_thenExit2NamingTheFlag()
      throws IOException {
    assertRefused(
        run(
            "start",
            "--zone-id",
            "zone/orders",
            "--record-name",
            "db.orders.internal.",
            "--approver",
            "alice"),
        "--zone-id: 'zone/orders' is not a Route53 hosted zone id");
    assertRefused(
        run(
            "start",
            "--zone-id",
            "Z0ORDERS01",
            "--record-name",
            "db..orders",
            "--approver",
            "alice"),
        "--record-name: 'db..orders' is not a DNS name");
  }

  @Test
  void givenACnameWithoutApprovers_whenStart_thenExit2NamingTheApproverFlag() throws IOException {
    assertRefused(
        run("start", "--zone-id", "Z0ORDERS01", "--record-name", "db.orders.internal."),
        "--approver: an approval may be needed, so name who may give it");
    assertRefused(
        run(
            "start",
            "--zone-id",
            "Z0ORDERS01",
            "--record-name",
            "db.orders.internal.",
            "--approver",
            "bob"),
        "--approvals-required: 1 approvals needed but only 0 approver(s) other than the requester");
  }
}
