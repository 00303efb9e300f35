BEGIN;
INSERT INTO app.orders VALUES (1, 'first', 'A');
INSERT INTO app.orders VALUES (2, 'from the source', 'B');
UPDATE app.orders SET note = 'first, updated' WHERE id = 1;
COMMIT;
INSERT INTO app.orders VALUES (3, 'after', 'C');
