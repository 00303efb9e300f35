package dev.dbops.workflows.staging;

/**
 * An AWS account and how the worker acts in it.
 *
 * @param accountId the 12-digit account id
 * @param roleArn role to assume there ({@code arn:aws:iam::<accountId>:role/<name>}); null means
 *     the worker's own credentials, which must belong to {@code accountId}
 */
public record AccountRef(String accountId, String roleArn) {
  public String problem(String field) {
    if (accountId == null || !accountId.matches("^[0-9]{12}$")) {
      return field + ".accountId: must be a 12-digit AWS account id, was '" + accountId + "'";
    }
    if (roleArn != null
        && !roleArn.matches(
            "^arn:aws[a-z-]*:iam::" + accountId + ":role/[A-Za-z0-9+=,.@_/-]{1,512}$")) {
      return field + ".roleArn: '" + roleArn + "' is not an IAM role ARN in account " + accountId;
    }
    return null;
  }
}
