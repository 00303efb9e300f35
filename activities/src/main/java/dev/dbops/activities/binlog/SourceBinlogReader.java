package dev.dbops.activities.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads transactions from the source's binary log with mysql-binlog-connector-java, connected as a
 * replica would be (a binlog dump; the login needs REPLICATION SLAVE, which the RDS master user
 * has), under a server id of its own drawn at random from a range far from real replicas' ids
 * (MariaDB drops an older connection with the same id).
 *
 * <p>One dump serves the conflicts of a whole monitor slice: it stays open after a read, and the
 * next read, further on in the same file, goes on from where the last one ended, passing over the
 * transactions in between (which the replica applied by itself). Events wait in a small queue the
 * dump's thread blocks on, so a replica far behind costs no memory: the server's socket holds the
 * rest. A read behind the dump, in another file, or far ahead opens a new dump; a failure closes it
 * (the next read opens another). Values come as the connector's compatibility modes give them:
 * character and binary columns as bytes, dates and times as microseconds ({@link RowValues}).
 */
final class SourceBinlogReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SourceBinlogReader.class);
  private static final long SERVER_ID_BASE = 0x7A000000L;

  /** Events read ahead of the reader at most. */
  private static final int QUEUE = 512;

  /** Further ahead than this, a new dump from the position is cheaper than reading through. */
  private static final long FAR_AHEAD = 16L << 20;

  /**
   * The connector logs every connect at INFO through java.util.logging: two lines per conflict
   * otherwise.
   */
  private static final java.util.logging.Logger CONNECTOR_LOG = quiet();

  private static final java.util.regex.Pattern TRANSACTION_CONTROL =
      java.util.regex.Pattern.compile(
          "^(?:\\s|/\\*.*?\\*/)*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|XA)\\b",
          java.util.regex.Pattern.DOTALL | java.util.regex.Pattern.CASE_INSENSITIVE);

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String sslMode;
  private final Duration timeout;

  private Dump dump;

  /**
   * A statement that may change a table's structure went by, or a new dump skipped what was
   * between.
   */
  private boolean schemaMayHaveChanged;

  SourceBinlogReader(
      String host, int port, String user, String password, String sslMode, Duration timeout) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.sslMode = sslMode;
    this.timeout = timeout;
  }

  /** An open binlog dump: where its next unread event is, as far as the events said. */
  private static final class Dump {
    final BinaryLogClient client;
    final BlockingQueue<Object> events = new ArrayBlockingQueue<>(QUEUE);
    volatile boolean closed;
    String file;
    long next;

    Dump(BinaryLogClient client, BinlogPosition from) {
      this.client = client;
      this.file = from.file();
      this.next = from.position();
    }

    void offer(Object o) {
      try {
        while (!closed && !events.offer(o, 100, TimeUnit.MILLISECONDS)) {
          // the reader is busy with a transaction: the dump waits (and with it the server's socket)
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The transaction that starts at {@code at}. A connection or server failure is retryable; a
   * binlog the server no longer has (1236) is not.
   */
  SourceTransaction read(BinlogPosition at) {
    if (dump == null
        || !dump.file.equals(at.file())
        || at.position() < dump.next
        || at.position() - dump.next > FAR_AHEAD) {
      open(at);
    }
    boolean fresh = dump == null || dump.next == at.position() && dump.file.equals(at.file());
    TransactionCollector collector = new TransactionCollector(at.position());
    boolean started = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    String where = "binlog dump of " + at + " from " + host + ":" + port;
    while (true) {
      Object o;
      try {
        o =
            dump.events.poll(
                Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw ApplicationFailure.newFailure(
            where + ": interrupted (worker shutting down?)", SqlFailures.DB_UNAVAILABLE);
      }
      if (o == null) {
        close();
        throw ApplicationFailure.newFailure(
            where + ": the transaction's end did not arrive within " + timeout,
            SqlFailures.DB_UNAVAILABLE);
      }
      if (o instanceof Exception ex) {
        close();
        if (ex instanceof ServerException se) throw serverFailure(where, se);
        if (!started || collector.done())
          throw ApplicationFailure.newFailureWithCause(
              where + ": " + ex, SqlFailures.DB_UNAVAILABLE, ex);
        return SourceTransaction.refused(
            collector.result().lines(), "the binlog could not be decoded: " + ex);
      }
      Event e = (Event) o;
      EventHeaderV4 h = e.getHeader();
      if (h.getEventType() == EventType.ROTATE) {
        RotateEventData r = (RotateEventData) e.getData();
        dump.file = r.getBinlogFilename();
        dump.next = r.getBinlogPosition();
        if (!started && !dump.file.equals(at.file())) {
          if (fresh)
            return SourceTransaction.refused(
                collector.result().lines(), at.file() + " ends before " + at);
          open(at); // the file ended before the position: not where we thought
          fresh = true;
        }
        continue;
      }
      // MariaDB 11 writes end_log_pos 0 inside a transaction: positions count where they are given.
      if (h.getNextPosition() != 0) dump.next = h.getNextPosition();
      if (!started
          && h.getEventType() == EventType.QUERY
          && e.getData() instanceof QueryEventData q
          && !InsertShape.isDml(q.getSql())
          && !TRANSACTION_CONTROL.matcher(q.getSql()).find()) {
        schemaMayHaveChanged = true;
      }
      if (!started) {
        if (h.getNextPosition() == 0 || h.getEventType() == EventType.FORMAT_DESCRIPTION) continue;
        long start = h.getNextPosition() - h.getEventLength();
        if (start < at.position())
          continue; // a transaction before ours, applied by the replica itself
        if (start > at.position()) {
          if (fresh) {
            return SourceTransaction.refused(
                collector.result().lines(),
                "the binlog has no event starting at "
                    + at
                    + " (the next one starts at "
                    + start
                    + ")");
          }
          log.info(
              "{}: the dump passed {} (next event at {}); reading again from there",
              where,
              at,
              start);
          open(at);
          fresh = true;
          continue;
        }
        started = true;
      }
      if (!collector.add(e)) return collector.result();
    }
  }

  /**
   * Whether, since the last call, a statement other than DML and transaction control went by in the
   * dump (DDL, typically), or a new dump began (what lay between is unseen): what the re-apply
   * knows of tables' structure must be read again.
   */
  boolean schemaMayHaveChanged() {
    boolean changed = schemaMayHaveChanged;
    schemaMayHaveChanged = false;
    return changed;
  }

  private void open(BinlogPosition at) {
    close();
    schemaMayHaveChanged = true;
    BinaryLogClient client = new BinaryLogClient(host, port, user, password);
    client.setServerId(SERVER_ID_BASE + ThreadLocalRandom.current().nextLong(0x00FFFFFFL));
    client.setBinlogFilename(at.file());
    client.setBinlogPosition(at.position());
    client.setKeepAlive(false);
    client.setUseSendAnnotateRowsEvent(true);
    client.setUseNonGracefulDisconnect(true);
    client.setSSLMode(SSLMode.valueOf(sslMode));
    client.setConnectTimeout(timeout.toMillis());
    EventDeserializer deserializer = new EventDeserializer();
    deserializer.setCompatibilityMode(
        EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO);
    client.setEventDeserializer(deserializer);
    Dump d = new Dump(client, at);
    client.registerEventListener(d::offer);
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            d.offer(ex);
          }

          @Override
          public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            d.offer(ex);
          }

          @Override
          public void onDisconnect(BinaryLogClient c) {
            if (!d.closed) d.offer(new IOException("the source ended the binlog dump"));
          }
        });
    String where = "binlog dump of " + at + " from " + host + ":" + port;
    try {
      client.connect(timeout.toMillis());
    } catch (ServerException e) {
      throw serverFailure(where, e);
    } catch (IOException | TimeoutException e) {
      throw ApplicationFailure.newFailureWithCause(where + ": " + e, SqlFailures.DB_UNAVAILABLE, e);
    }
    dump = d;
  }

  @Override
  public void close() {
    Dump d = dump;
    dump = null;
    if (d == null) return;
    d.closed = true;
    try {
      d.client.disconnect();
    } catch (IOException e) {
      log.debug("closing the binlog dump from {}:{} failed: {}", host, port, e.toString());
    }
  }

  /**
   * The file or position is gone or invalid (purged: {@link ReplicaErrors#binlogGone}); a login or
   * grant refused (no REPLICATION SLAVE): nothing to retry. Any other server error may pass.
   */
  static ApplicationFailure serverFailure(String where, ServerException e) {
    String message = where + ": server error " + e.getErrorCode() + ": " + e.getMessage();
    if (ReplicaErrors.binlogGone(e.getErrorCode())) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          message, ErrorTypes.REPLICATION_BROKEN, e);
    }
    ErrorTypes.Classification c = ErrorTypes.classifySql(e.getErrorCode(), e.getSqlState(), true);
    return c.retryable()
        ? ApplicationFailure.newFailureWithCause(message, SqlFailures.DB_UNAVAILABLE, e)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, c.type(), e);
  }

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger l =
        java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog");
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }
}
