package dev.dbops.worker;

import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.restore.S3RestoreActivitiesImpl;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every activity implementation the catalog's workflows call, wired to the AWS clients they
 * use. Closing releases the clients.
 */
public final class Activities implements AutoCloseable {
  private final S3Client s3;
  private final List<Object> implementations;

  private Activities(S3Client s3, List<Object> implementations) {
    this.s3 = s3;
    this.implementations = implementations;
  }

  public static AwsSettings awsSettings(WorkerConfig config) {
    return new AwsSettings(config.awsRegion(), config.awsEndpoint());
  }

  public static Activities create(WorkerConfig config, MeterRegistry registry) {
    S3Client s3 = AwsClients.s3(awsSettings(config), registry);
    return new Activities(s3, List.of(
        new S3RestoreActivitiesImpl(s3, registry),
        new LogNotifyActivities(registry)));
  }

  public List<Object> implementations() {
    return implementations;
  }

  @Override
  public void close() {
    s3.close();
  }
}
