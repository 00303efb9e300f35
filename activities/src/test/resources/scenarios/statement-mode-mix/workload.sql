BEGIN;
INSERT INTO app.audit VALUES (1, 'start');
INSERT INTO app.child VALUES (2, 1, 'from the source');
UPDATE app.child SET note = 'ten, updated' WHERE id = 10;
INSERT INTO app.child VALUES (3, 5, 'orphan on the replica');
INSERT INTO app.audit VALUES (2, 'end');
COMMIT;
INSERT INTO app.audit VALUES (3, 'after');
