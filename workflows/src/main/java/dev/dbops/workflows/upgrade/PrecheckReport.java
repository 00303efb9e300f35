package dev.dbops.workflows.upgrade;

import java.util.List;

/**
 * SQL pre-checks read on the writer before an in-place upgrade.
 *
 * @param preparedXa XA RECOVER rows (formatID, gtrid/bqual as text) — an upgrade with prepared XA
 *     transactions fails
 * @param runningDdl processlist rows running DDL (id, user, time, statement)
 * @param largestTrxRowsModified max INNODB_TRX.trx_rows_modified and its trx id: a large
 *     transaction makes the upgrade's rollback phase long
 * @param historyListLength InnoDB history list length (undo records to purge)
 */
public record PrecheckReport(
    String version,
    List<String> preparedXa,
    List<String> runningDdl,
    long largestTrxRowsModified,
    String largestTrxId,
    long historyListLength) {}
