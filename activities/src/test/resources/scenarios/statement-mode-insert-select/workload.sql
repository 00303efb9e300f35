-- Statement-logged INSERT ... SELECT (the session format; the source stays MIXED): one of its rows conflicts.
SET SESSION binlog_format = 'STATEMENT';
BEGIN;
INSERT INTO app.orders (id, note) VALUES (10, 'ten');
INSERT INTO app.orders SELECT id, note FROM app.staging ORDER BY id;
COMMIT;
