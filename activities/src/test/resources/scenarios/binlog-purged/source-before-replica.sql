-- The start position's binlog is gone before the replica asks for it (retention too short).
FLUSH BINARY LOGS;
PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY;
