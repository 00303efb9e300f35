package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one RDS identifier rule upgrade, rollback, staging and binlog catch-up check ids by. */
class RdsIdsTest {
  @Test
  void givenIdsRdsAccepts_whenChecked_thenValid() {
    for (String id : new String[] {"a", "prod-1", "Staging-db-2024", "a".repeat(63)}) {
      assertTrue(RdsIds.valid(id), id);
    }
  }

  @Test
  void givenIdsRdsRefuses_whenChecked_thenInvalid() {
    for (String id :
        new String[] {null, "", "1prod", "prod-", "prod--1", "prod_1", "prod.1", "a".repeat(64)}) {
      assertFalse(RdsIds.valid(id), String.valueOf(id));
    }
  }
}
