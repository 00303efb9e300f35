-- Two transactions with one duplicate key each (row events), other rows around them.
BEGIN;
INSERT INTO app.orders VALUES (1, 'first');
INSERT INTO app.audit (what) VALUES ('order 1');
INSERT INTO app.orders VALUES (2, 'conflicts on the replica');
UPDATE app.orders SET note = 'first, updated' WHERE id = 1;
COMMIT;
INSERT INTO app.orders VALUES (3, 'between');
BEGIN;
INSERT INTO app.orders VALUES (4, 'fourth');
INSERT INTO app.orders VALUES (5, 'conflicts too');
INSERT INTO app.audit (what) VALUES ('orders 4, 5');
COMMIT;
INSERT INTO app.orders VALUES (6, 'after');
