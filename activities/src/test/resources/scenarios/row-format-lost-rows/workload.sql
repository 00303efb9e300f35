-- A whole-transaction skip of row events: the relay log names only tables and row counts, so
-- the journal lists every row the skip left out, with its images from the source's binlog.
BEGIN;
INSERT INTO app.audit VALUES (1, 'start');
UPDATE app.orders SET note = 'one, updated', amount = 11.50 WHERE id = 1;
INSERT INTO app.orders VALUES (2, 'from the source', 20.00);
DELETE FROM app.orders WHERE id = 3;
COMMIT;
INSERT INTO app.audit VALUES (2, 'after');
