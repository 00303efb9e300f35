-- Whole-transaction skips of changes that find no row on the replica (1032). An update of a row
-- the replica does not have loses the source's after image; a delete of one loses nothing (neither
-- side has the row). A row changed twice in the transaction counts once, by its last change. A
-- table without a primary or unique key cannot be looked up: its row counts as lost.
BEGIN;
UPDATE app.orders SET note = 'one, updated' WHERE id = 1;
UPDATE app.orders SET note = 'two, updated' WHERE id = 2;
COMMIT;
DELETE FROM app.orders WHERE id = 3;
BEGIN;
INSERT INTO app.orders VALUES (5, 'five');
UPDATE app.orders SET note = 'five, updated' WHERE id = 5;
DELETE FROM app.orders WHERE id = 1;
COMMIT;
UPDATE app.notes SET what = 'gone, updated' WHERE what = 'gone';
INSERT INTO app.orders VALUES (6, 'after');
