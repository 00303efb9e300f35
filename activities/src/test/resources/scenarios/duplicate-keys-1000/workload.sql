-- 1,000 autocommit INSERTs: 1,000 event groups that each stop the replica with 1062.
DELIMITER //
CREATE PROCEDURE app.load_orders()
BEGIN
  DECLARE i INT DEFAULT 1;
  WHILE i <= 1000 DO
    INSERT INTO app.orders VALUES (i, CONCAT('source ', i));
    SET i = i + 1;
  END WHILE;
END //
DELIMITER ;
CALL app.load_orders();
INSERT INTO app.orders VALUES (1001, 'after the conflicts');
