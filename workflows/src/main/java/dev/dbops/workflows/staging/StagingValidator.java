package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.InstanceClassOffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the read-only look at both accounts says about a request, before anything is created. */
public final class StagingValidator {
  private StagingValidator() {}

  public static final String OWNER_TAG = "dbops:owner";
  public static final String PROCEDURE_TAG = "dbops:procedure";

  public record Judgement(
      List<String> problems, List<String> warnings, boolean copyNeeded, String retireClusterId) {}

  public static Judgement judge(
      StagingRebuildRequest r,
      SourceFacts source,
      TargetFacts target,
      StagingNames names,
      String workflowId) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String src = source.clusterId();
    if (!"available".equals(source.status())) {
      problems.add("sourceClusterId: '" + src + "' is " + source.status() + ", not available");
    }
    if (source.engine() == null || !source.engine().startsWith("aurora")) {
      problems.add("sourceClusterId: '" + src + "' runs " + source.engine() + ", not Aurora MySQL");
    }
    boolean copyNeeded = false;
    if (source.storageEncrypted() && source.defaultKmsKey()) {
      if (r.isCrossAccount() && r.kmsKeyId() == null) {
        problems.add(
            "kmsKeyId: required: '"
                + src
                + "' is encrypted with the default aws/rds key, whose"
                + " snapshots cannot be shared; name a customer-managed key to copy the snapshot with");
      }
      copyNeeded = r.isCrossAccount();
    }
    if (!source.storageEncrypted()) {
      warnings.add("'" + src + "' is not encrypted; its snapshot is shared unencrypted");
    }

    // The restored cluster runs the source's engine version; its instances need a class offered for
    // it.
    problems.addAll(InstanceClassOffer.problems("instanceClass", target.instanceClassOffers()));

    DnsTarget dns = r.dns();
    String account = r.restoreAccount().accountId();
    problems.addAll(
        DnsRules.recordProblems(
            "dns.hostedZoneId",
            dns.hostedZoneId(),
            "dns.recordName",
            dns.recordName(),
            target.zoneName(),
            target.zonePrivate(),
            target.recordType(),
            " in account " + account));

    if (target.newClusterExists() && !workflowId.equals(target.newClusterOwner())) {
      problems.add(
          "a cluster named '"
              + names.clusterId()
              + "' already exists in account "
              + account
              + " and is not this run's ("
              + OWNER_TAG
              + "="
              + target.newClusterOwner()
              + ")");
    }

    RetirePolicy retire = r.retireOrDefault();
    String retireId = null;
    if (!RetirePolicy.KEEP.equals(retire.modeOrDefault())) {
      String old = target.oldClusterId();
      if (old == null && retire.oldClusterId() != null) {
        problems.add(
            "retire.oldClusterId: '" + retire.oldClusterId() + "' not found in account " + account);
      } else if (old == null) {
        warnings.add(
            "the CNAME points at "
                + target.currentValue()
                + ", which is no cluster in account "
                + account
                + "; nothing to retire");
      } else if (old.equals(names.clusterId())) {
        problems.add("retire.oldClusterId: '" + old + "' is the cluster this run creates");
      } else {
        Map<String, String> tags =
            target.oldClusterTags() == null ? Map.of() : target.oldClusterTags();
        String owner = tags.get(OWNER_TAG);
        if (owner == null || owner.isBlank()) {
          problems.add(
              "retire.oldClusterId: '"
                  + old
                  + "' has no "
                  + OWNER_TAG
                  + " tag: dbops did not create it"
                  + " and will not delete it; set retire.mode=KEEP to leave it in place");
        } else if (production(tags) && !old.equals(r.confirmProduction())) {
          problems.add(
              "confirmProduction: '"
                  + old
                  + "' is tagged production; name it in confirmProduction to retire it");
        } else {
          retireId = old;
        }
      }
    }
    return new Judgement(problems, warnings, copyNeeded, retireId);
  }

  /** Production is tag-driven: {@code environment} or {@code env} = production / prod. */
  static boolean production(Map<String, String> tags) {
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if ((e.getKey().equalsIgnoreCase("environment") || e.getKey().equalsIgnoreCase("env"))
          && (e.getValue().equalsIgnoreCase("production")
              || e.getValue().equalsIgnoreCase("prod"))) {
        return true;
      }
    }
    return false;
  }
}
