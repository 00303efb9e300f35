package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.InvalidInputException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.NoSuchChangeException;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/** Route53 private zones, record sets and change batches with the real Route53Client (REST-XML). */
class Route53Test {

  private static final String STAGING = "210987654321";
  private static final Duration PROPAGATION = Duration.ofSeconds(45);
  private static final String OLD = "staging-old.cluster-abc.us-east-1.rds.amazonaws.com";
  private static final String NEW = "staging-new.cluster-def.us-east-1.rds.amazonaws.com";

  private AwsSandbox sandbox;
  private Route53Client route53;
  private Route53Client noRetries;
  private String zone;

  @BeforeEach
  void start() {
    sandbox =
        AwsSandbox.start(
            SandboxConfig.defaults()
                .withRoute53Timings(Route53Timings.defaults().withChangePropagation(PROPAGATION)));
    sandbox.accounts().add(STAGING);
    StaticCredentialsProvider staging =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(sandbox.accounts().accessKeyFor(STAGING), "secret"));
    route53 = SandboxClients.route53(sandbox, staging);
    noRetries = SandboxClients.route53WithoutRetries(sandbox, staging);
    zone =
        sandbox
            .route53()
            .createPrivateZone(STAGING, "staging.internal", "us-east-1", "vpc-0staging");
    sandbox.route53().upsertRecord(zone, "db.staging.internal", "CNAME", 0, OLD);
  }

  @AfterEach
  void stop() {
    noRetries.close();
    route53.close();
    sandbox.close();
  }

  @Test
  void givenPrivateZone_whenGetAndListed_thenPrivateWithItsVpcAndFoundByName() {
    GetHostedZoneResponse got = route53.getHostedZone(r -> r.id(zone));

    assertEquals(zone, got.hostedZone().id(), "the SDK strips /hostedzone/");
    assertEquals("staging.internal.", got.hostedZone().name());
    assertTrue(got.hostedZone().config().privateZone());
    assertEquals(3, got.hostedZone().resourceRecordSetCount(), "SOA, NS and the CNAME");
    assertEquals("vpc-0staging", got.vpCs().get(0).vpcId());
    assertEquals("us-east-1", got.vpCs().get(0).vpcRegionAsString());
    assertEquals(
        List.of(zone),
        route53.listHostedZones().hostedZones().stream().map(HostedZone::id).toList());
    String other =
        sandbox.route53().createPrivateZone(STAGING, "other.internal", "us-east-1", "vpc-0staging");
    assertEquals(
        List.of("/hostedzone/" + other, "/hostedzone/" + zone),
        route53.listHostedZonesByName().hostedZones().stream().map(HostedZone::id).toList(),
        "internal.other before internal.staging; the SDK keeps the prefix of ListHostedZonesByName's ids");
    assertEquals(
        List.of("/hostedzone/" + zone),
        route53
            .listHostedZonesByName(r -> r.dnsName("staging.internal").maxItems("1"))
            .hostedZones()
            .stream()
            .map(HostedZone::id)
            .toList());
    InvalidInputException prefixed =
        assertThrows(
            InvalidInputException.class,
            () -> route53.getHostedZone(r -> r.id("/hostedzone/" + zone)));
    assertEquals(400, prefixed.statusCode());
  }

  @Test
  void givenUpsertOfTheCname_whenGetChangePolled_thenPendingUntilThePropagationTimeThenInsync() {
    ChangeInfo submitted = upsert(NEW);

    assertEquals(ChangeStatus.PENDING, submitted.status());
    assertEquals(
        NEW,
        sandbox.route53().recordValue(zone, "db.staging.internal.", "CNAME").orElseThrow(),
        "the record set changes at once");
    assertEquals(
        ChangeStatus.PENDING, route53.getChange(r -> r.id(submitted.id())).changeInfo().status());
    sandbox.clock().advance(PROPAGATION.minusSeconds(1));
    assertEquals(
        ChangeStatus.PENDING, route53.getChange(r -> r.id(submitted.id())).changeInfo().status());
    sandbox.clock().advance(Duration.ofSeconds(1));
    assertEquals(
        ChangeStatus.INSYNC, route53.getChange(r -> r.id(submitted.id())).changeInfo().status());
    assertEquals("INSYNC", sandbox.route53().changeStatus(submitted.id()).orElseThrow());
    assertThrows(
        NoSuchChangeException.class, () -> route53.getChange(r -> r.id("CSBX99999999999999")));
    Route53Sandbox.RecordView now =
        sandbox.route53().record(zone, "DB.staging.internal", "CNAME").orElseThrow();
    assertEquals(0, now.ttl());
  }

  @Test
  void givenRecordSets_whenListedFromANameAndTypeWithMaxItems_thenRoute53OrderAndPaging() {
    sandbox.route53().upsertRecord(zone, "a.staging.internal", "A", 60, "10.0.0.1", "10.0.0.2");
    sandbox.route53().upsertRecord(zone, "z.staging.internal", "TXT", 60, "\"hello\"");

    List<ResourceRecordSet> all =
        route53.listResourceRecordSets(r -> r.hostedZoneId(zone)).resourceRecordSets();
    ListResourceRecordSetsResponse page =
        route53.listResourceRecordSets(
            r ->
                r.hostedZoneId(zone)
                    .startRecordName("db.staging.internal")
                    .startRecordType(RRType.CNAME)
                    .maxItems("1"));

    assertEquals(
        List.of(
            "staging.internal. NS",
            "staging.internal. SOA",
            "a.staging.internal. A",
            "db.staging.internal. CNAME",
            "z.staging.internal. TXT"),
        all.stream().map(s -> s.name() + " " + s.typeAsString()).toList());
    assertEquals(
        List.of("10.0.0.1", "10.0.0.2"),
        all.get(2).resourceRecords().stream().map(v -> v.value()).toList());
    assertEquals(1, page.resourceRecordSets().size());
    assertEquals(OLD, page.resourceRecordSets().get(0).resourceRecords().get(0).value());
    assertEquals(0L, page.resourceRecordSets().get(0).ttl());
    assertTrue(page.isTruncated());
    assertEquals("z.staging.internal.", page.nextRecordName());
    assertEquals(RRType.TXT, page.nextRecordType());
    assertThrows(
        InvalidInputException.class,
        () -> route53.listResourceRecordSets(r -> r.hostedZoneId(zone).startRecordType(RRType.A)));
  }

  @Test
  void
      givenInvalidChanges_whenSubmitted_thenInvalidChangeBatchListsEveryProblemAndNothingChanges() {
    InvalidChangeBatchException e =
        assertThrows(
            InvalidChangeBatchException.class,
            () ->
                route53.changeResourceRecordSets(
                    r ->
                        r.hostedZoneId(zone)
                            .changeBatch(
                                b ->
                                    b.changes(
                                        change(
                                            ChangeAction.UPSERT,
                                            "fresh.staging.internal",
                                            "x.example.com",
                                            0),
                                        change(ChangeAction.CREATE, "db.staging.internal", NEW, 0),
                                        change(
                                            ChangeAction.DELETE, "gone.staging.internal", NEW, 0),
                                        change(
                                            ChangeAction.UPSERT,
                                            "db.elsewhere.internal",
                                            NEW,
                                            0)))));

    assertEquals(400, e.statusCode());
    assertEquals("InvalidChangeBatch", e.awsErrorDetails().errorCode());
    String message = e.awsErrorDetails().errorMessage();
    assertTrue(
        message.contains(
            "Tried to create resource record set [name='db.staging.internal.', type='CNAME'] "
                + "but it already exists"),
        message);
    assertTrue(
        message.contains(
            "Tried to delete resource record set [name='gone.staging.internal.', type='CNAME'] "
                + "but it was not found"),
        message);
    assertTrue(
        message.contains(
            "RRSet with DNS name db.elsewhere.internal. is not permitted in zone "
                + "staging.internal."),
        message);
    assertTrue(
        sandbox.route53().record(zone, "fresh.staging.internal", "CNAME").isEmpty(),
        "all or nothing");
    InvalidChangeBatchException mismatch =
        assertThrows(
            InvalidChangeBatchException.class,
            () ->
                route53.changeResourceRecordSets(
                    r ->
                        r.hostedZoneId(zone)
                            .changeBatch(
                                b ->
                                    b.changes(
                                        change(
                                            ChangeAction.DELETE,
                                            "db.staging.internal",
                                            OLD,
                                            300)))));
    assertTrue(
        mismatch.awsErrorDetails().errorMessage().contains("do not match the current values"));
    assertEquals(
        OLD, sandbox.route53().recordValue(zone, "db.staging.internal", "CNAME").orElseThrow());
    route53.changeResourceRecordSets(
        r ->
            r.hostedZoneId(zone)
                .changeBatch(
                    b -> b.changes(change(ChangeAction.DELETE, "db.staging.internal", OLD, 0))));
    assertTrue(sandbox.route53().record(zone, "db.staging.internal", "CNAME").isEmpty());
  }

  @Test
  void givenUnknownZoneOrAnotherAccountsZone_whenAddressed_thenNoSuchHostedZone404() {
    String prodZone = sandbox.route53().createPrivateZone("prod.internal", "vpc-0prod");

    for (String id : List.of("ZSBX00000000009999", prodZone)) {
      NoSuchHostedZoneException e =
          assertThrows(
              NoSuchHostedZoneException.class,
              () ->
                  route53.changeResourceRecordSets(
                      r ->
                          r.hostedZoneId(id)
                              .changeBatch(
                                  b ->
                                      b.changes(
                                          change(
                                              ChangeAction.UPSERT, "db.prod.internal", NEW, 0)))));
      assertEquals(404, e.statusCode());
      assertEquals("NoSuchHostedZone", e.awsErrorDetails().errorCode());
      assertThrows(NoSuchHostedZoneException.class, () -> route53.getHostedZone(r -> r.id(id)));
    }
    assertEquals(
        List.of(zone),
        route53.listHostedZones().hostedZones().stream().map(HostedZone::id).toList());
  }

  @Test
  void
      givenScriptedChangeFailure_whenTheCutOverUpserts_thenInvalidChangeBatchOnceAndTheRecordKeepsItsValue() {
    sandbox.route53().failNextChange(zone, "scripted failure: the cut-over must be reverted");

    InvalidChangeBatchException e =
        assertThrows(InvalidChangeBatchException.class, () -> upsert(NEW));

    assertEquals(
        "[scripted failure: the cut-over must be reverted]", e.awsErrorDetails().errorMessage());
    assertEquals(
        OLD, sandbox.route53().recordValue(zone, "db.staging.internal", "CNAME").orElseThrow());
    assertEquals(ChangeStatus.PENDING, upsert(NEW).status(), "only the next change fails");
    assertEquals(
        NEW, sandbox.route53().recordValue(zone, "db.staging.internal", "CNAME").orElseThrow());
    sandbox.route53().delayNextChange(Duration.ofHours(2));
    ChangeInfo stuck = upsert(OLD);
    sandbox.clock().advance(Duration.ofHours(1));
    assertEquals(
        ChangeStatus.PENDING, route53.getChange(r -> r.id(stuck.id())).changeInfo().status());
  }

  @Test
  void
      givenInjectedThrottling_whenTheClientRetries_thenTheChangeSucceedsAndTheCallLogShowsTheThrottles() {
    sandbox
        .faults()
        .script("ChangeResourceRecordSets", List.of(Faults.Kind.THROTTLE, Faults.Kind.THROTTLE));

    ChangeInfo info = upsert(NEW);

    assertEquals(ChangeStatus.PENDING, info.status());
    List<CallLog.Call> calls = sandbox.calls().of("ChangeResourceRecordSets");
    assertEquals(List.of(400, 400, 200), calls.stream().map(CallLog.Call::status).toList());
    assertEquals(
        List.of("THROTTLE", "THROTTLE"),
        calls.stream().map(CallLog.Call::fault).filter(f -> f != null).toList());
    assertEquals(zone, calls.get(0).bucket());
    assertEquals(
        NEW, sandbox.route53().recordValue(zone, "db.staging.internal", "CNAME").orElseThrow());
  }

  @Test
  void
      givenInjectedThrottlingAnd503_whenTheClientDoesNotRetry_thenThrottlingAndServiceUnavailableSurface() {
    sandbox.faults().script("GetHostedZone", List.of(Faults.Kind.THROTTLE, Faults.Kind.ERROR_503));

    Route53Exception throttled =
        assertThrows(Route53Exception.class, () -> noRetries.getHostedZone(r -> r.id(zone)));
    Route53Exception unavailable =
        assertThrows(Route53Exception.class, () -> noRetries.getHostedZone(r -> r.id(zone)));

    assertEquals("Throttling", throttled.awsErrorDetails().errorCode());
    assertTrue(throttled.isThrottlingException());
    assertEquals(503, unavailable.statusCode());
    assertFalse(unavailable.isThrottlingException());
    assertEquals(zone, noRetries.getHostedZone(r -> r.id(zone)).hostedZone().id());
  }

  private ChangeInfo upsert(String target) {
    return route53
        .changeResourceRecordSets(
            r ->
                r.hostedZoneId(zone)
                    .changeBatch(
                        b ->
                            b.comment("cut over")
                                .changes(
                                    change(ChangeAction.UPSERT, "db.staging.internal", target, 0))))
        .changeInfo();
  }

  private static Change change(ChangeAction action, String name, String target, long ttl) {
    return Change.builder()
        .action(action)
        .resourceRecordSet(
            s -> s.name(name).type(RRType.CNAME).ttl(ttl).resourceRecords(v -> v.value(target)))
        .build();
  }
}
