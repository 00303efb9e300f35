-- One transaction, one conflicting statement (statement events, MIXED): only that INSERT is left out.
BEGIN;
INSERT INTO app.orders VALUES (1, 'first');
INSERT INTO app.audit (what) VALUES ('order 1');
INSERT INTO app.orders VALUES (2, 'conflicts on the replica');
UPDATE app.orders SET note = 'first, updated' WHERE id = 1;
COMMIT;
INSERT INTO app.orders VALUES (3, 'after');
