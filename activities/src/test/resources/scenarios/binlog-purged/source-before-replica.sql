-- The start position's binlog is gone before the replica asks for it (retention too short).
FLUSH BINARY LOGS;
-- MariaDB keeps the previous binlog until InnoDB has made its transactions durable (its binlog
-- checkpoint, up to a second later): a PURGE before that only notes "is not purged because it
-- may be needed for crash recovery (XID)", and the replica would then replicate from it after
-- all. Purge again until that note is gone (at most ~5 s).
DELIMITER //
CREATE PROCEDURE app.purge_binlogs()
BEGIN
  DECLARE note TEXT DEFAULT 'crash recovery';
  DECLARE tries INT DEFAULT 0;
  -- No condition at all after the PURGE (nothing was left to note).
  DECLARE CONTINUE HANDLER FOR SQLSTATE '35000' SET note = '';
  WHILE note LIKE '%crash recovery%' AND tries < 50 DO
    IF tries > 0 THEN
      DO SLEEP(0.1);
    END IF;
    PURGE BINARY LOGS BEFORE NOW() + INTERVAL 1 DAY;
    GET DIAGNOSTICS CONDITION 1 note = MESSAGE_TEXT;
    SET tries = tries + 1;
  END WHILE;
END //
DELIMITER ;
CALL app.purge_binlogs();
