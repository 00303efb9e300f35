package dev.dbops.activities.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.exceptions.MysqlErrorNumbers;
import dev.dbops.workflows.common.MysqlErrno;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one table of error numbers, checked against the MySQL driver's own table. */
class MysqlErrnoTest {
  @Test
  void givenEveryNamedErrno_whenTheDriverNamesItToo_thenBothHaveTheSameNumber() throws Exception {
    List<String> checked = new ArrayList<>();
    for (MysqlErrno e : MysqlErrno.values()) {
      Field f;
      try {
        f = MysqlErrorNumbers.class.getField(e.name());
      } catch (NoSuchFieldException notInTheDriver) {
        continue; // MariaDB-only, client-side or renamed in MySQL 8: checked below by number
      }
      assertEquals(f.getInt(null), e.code(), e.name());
      checked.add(e.name());
    }
    assertTrue(
        checked.size() >= MysqlErrno.values().length / 2,
        "the driver should know most names: " + checked);
  }

  @Test
  void givenANumber_whenLookedUp_thenItsConstantOrNothing() {
    for (MysqlErrno e : MysqlErrno.values()) {
      assertEquals(Optional.of(e), MysqlErrno.of(e.code()), e.name());
      assertTrue(e.is(e.code()));
    }
    assertEquals(Optional.empty(), MysqlErrno.of(0));
    assertEquals(MysqlErrno.ER_DUP_ENTRY, MysqlErrno.of(1062).orElseThrow());
    assertEquals(
        List.of(1451, 1452),
        MysqlErrno.codes(MysqlErrno.ER_ROW_IS_REFERENCED_2, MysqlErrno.ER_NO_REFERENCED_ROW_2));
  }
}
