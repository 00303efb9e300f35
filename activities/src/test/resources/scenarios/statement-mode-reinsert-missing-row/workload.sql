-- ROW format: an update and a delete of rows deleted on the replica, inside a transaction with other changes.
BEGIN;
INSERT INTO app.audit VALUES (1, 'before');
UPDATE app.orders SET note = 'one, updated' WHERE id = 1;
UPDATE app.orders SET note = 'two, updated' WHERE id = 2;
DELETE FROM app.orders WHERE id = 3;
INSERT INTO app.audit VALUES (2, 'after');
COMMIT;
INSERT INTO app.orders VALUES (4, 'four');
