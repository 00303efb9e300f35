-- Two duplicate keys: row 2 is on the replica exactly as the source writes it (nothing is lost);
-- row 3 differs only in a letter's case, which the column's collation calls equal (its source
-- version is lost: the comparison is value for value, not by collation).
BEGIN;
INSERT INTO app.audit VALUES (1, 'start');
INSERT INTO app.orders VALUES (2, 'same on both', 12.50, '2024-02-29 13:14:15.250', 0x0102);
COMMIT;
BEGIN;
INSERT INTO app.orders VALUES (3, 'case differs', 1.00, '2024-01-01 00:00:00.000', NULL);
INSERT INTO app.audit VALUES (2, 'end');
COMMIT;
INSERT INTO app.audit VALUES (3, 'after');
