package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.StepRecord;
import java.util.List;

public record RollbackStatus(
    String phase,
    String waitingFor,
    String newClusterId,
    List<String> instances,
    List<StepRecord> timeline) {}
