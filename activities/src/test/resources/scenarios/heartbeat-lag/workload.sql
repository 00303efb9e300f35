INSERT INTO app.orders VALUES (1, 'one');
UPDATE app.heartbeat SET ts = DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%f') WHERE server_id = 1;
