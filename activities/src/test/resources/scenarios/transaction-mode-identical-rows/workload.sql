-- Whole-transaction skips whose rows are compared with the replica's, value for value, as
-- STATEMENT mode compares a duplicate key. The first transaction is on the replica already, its
-- conflicting row and the other alike: nothing is lost. In the second, the conflicting row differs
-- only in a letter's case (lost: the comparison is not by collation), another row is there
-- exactly (not lost) and the last is missing (lost): 2 of 3.
BEGIN;
INSERT INTO app.audit VALUES (1, 'start');
INSERT INTO app.orders VALUES (2, 'same on both', 12.50, '2024-02-29 13:14:15.250', 0x0102);
COMMIT;
BEGIN;
INSERT INTO app.orders VALUES (3, 'case differs', 1.00, '2024-01-01 00:00:00.000', NULL);
INSERT INTO app.audit VALUES (2, 'same on both');
INSERT INTO app.audit VALUES (3, 'missing');
COMMIT;
INSERT INTO app.audit VALUES (4, 'after');
