package dev.dbops.workflows.restore;

import java.util.List;

/** Deliver restored objects; heartbeats carry progress so a retry resumes. */
public record DeliveryBatch(
    String bucket, List<ObjectInfo> objects, Delivery delivery, int concurrency) {}
