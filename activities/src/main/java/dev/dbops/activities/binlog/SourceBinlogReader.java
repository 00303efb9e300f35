package dev.dbops.activities.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.workflows.binlog.BinlogPosition;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one transaction from the source's binary log with mysql-binlog-connector-java, connected
 * as a replica would be (a binlog dump from the transaction's coordinates; the login needs
 * REPLICATION SLAVE, which the RDS master user has). Each read is one short dump under a server
 * id of its own, drawn at random from a range far from real replicas' ids (MariaDB drops an older
 * connection with the same id). Values come as the connector's compatibility modes give them:
 * character and binary columns as bytes, dates and times as microseconds ({@link RowValues}).
 */
final class SourceBinlogReader {
  private static final Logger log = LoggerFactory.getLogger(SourceBinlogReader.class);
  private static final long SERVER_ID_BASE = 0x7A000000L;

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String sslMode;
  private final Duration timeout;

  SourceBinlogReader(String host, int port, String user, String password, String sslMode, Duration timeout) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.sslMode = sslMode;
    this.timeout = timeout;
  }

  /** The transaction that starts at {@code at}; a connection or server failure is retryable, a purged file is not. */
  SourceTransaction read(BinlogPosition at) {
    TransactionCollector collector = new TransactionCollector(at.position());
    BinaryLogClient client = new BinaryLogClient(host, port, user, password);
    client.setServerId(SERVER_ID_BASE + ThreadLocalRandom.current().nextLong(0x00FFFFFFL));
    client.setBinlogFilename(at.file());
    client.setBinlogPosition(at.position());
    client.setKeepAlive(false);
    client.setUseSendAnnotateRowsEvent(true);
    client.setSSLMode(SSLMode.valueOf(sslMode));
    client.setConnectTimeout(timeout.toMillis());
    EventDeserializer deserializer = new EventDeserializer();
    deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO);
    client.setEventDeserializer(deserializer);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Exception> failure = new AtomicReference<>();
    client.registerEventListener(e -> {
      if (!collector.add(e)) done.countDown();
    });
    client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
      @Override
      public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
        failure.compareAndSet(null, ex);
        done.countDown();
      }

      @Override
      public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
        failure.compareAndSet(null, ex);
        done.countDown();
      }

      @Override
      public void onDisconnect(BinaryLogClient c) {
        done.countDown();
      }
    });
    String where = "binlog dump of " + at + " from " + host + ":" + port;
    try {
      client.connect(timeout.toMillis());
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw ApplicationFailure.newFailure(where + ": the transaction's end did not arrive within " + timeout,
            SqlFailures.DB_UNAVAILABLE);
      }
    } catch (ServerException e) {
      throw serverFailure(where, e);
    } catch (IOException | TimeoutException e) {
      throw ApplicationFailure.newFailureWithCause(where + ": " + e, SqlFailures.DB_UNAVAILABLE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(where + ": interrupted (worker shutting down?)", SqlFailures.DB_UNAVAILABLE);
    } finally {
      try {
        client.disconnect();
      } catch (IOException e) {
        log.debug("{}: disconnect failed: {}", where, e.toString());
      }
    }
    Exception f = failure.get();
    if (f != null && !collector.done()) {
      if (f instanceof ServerException se) throw serverFailure(where, se);
      return SourceTransaction.refused(collector.result().lines(), "the binlog could not be decoded: " + f);
    }
    return collector.result();
  }

  /** 1236: the file or position is gone or invalid (purged): nothing to retry; the rest may pass. */
  private static ApplicationFailure serverFailure(String where, ServerException e) {
    String message = where + ": server error " + e.getErrorCode() + ": " + e.getMessage();
    return e.getErrorCode() == 1236
        ? ApplicationFailure.newNonRetryableFailureWithCause(message, dev.dbops.workflows.common.ErrorTypes.REPLICATION_BROKEN, e)
        : ApplicationFailure.newFailureWithCause(message, SqlFailures.DB_UNAVAILABLE, e);
  }
}
