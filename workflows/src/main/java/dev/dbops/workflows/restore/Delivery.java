package dev.dbops.workflows.restore;

/**
 * Where restored objects go.
 *
 * @param mode NONE, DOWNLOAD or COPY
 * @param directory DOWNLOAD: local directory on the worker (keys become relative paths)
 * @param targetBucket COPY: destination bucket (default: the source bucket)
 * @param targetPrefix COPY: prefix prepended to each key (default: none, i.e. in place)
 */
public record Delivery(
    DeliveryMode mode, String directory, String targetBucket, String targetPrefix) {
  public static Delivery none() {
    return new Delivery(DeliveryMode.NONE, null, null, null);
  }
}
