INSERT INTO app.orders VALUES (3, 'three');
UPDATE app.orders SET note = 'one, updated' WHERE id = 1;
DELETE FROM app.orders WHERE id = 2;
BEGIN;
INSERT INTO app.orders VALUES (4, 'four');
INSERT INTO app.orders VALUES (5, 'five');
COMMIT;
