-- ROW format, whole-transaction skips. Two conflicts with a column added in between: the lost rows'
-- comparison must not use what it knew of app.orders after the first (its structure, its scratch
-- copy) for the second, whose row is on the replica exactly (with the new column's default).
BEGIN;
INSERT INTO app.audit VALUES (1, 'before the change');
INSERT INTO app.orders VALUES (2, 'from the source');
COMMIT;
ALTER TABLE app.orders ADD COLUMN code VARCHAR(10) NOT NULL DEFAULT 'none';
BEGIN;
INSERT INTO app.audit VALUES (2, 'after the change');
INSERT INTO app.orders VALUES (5, 'from the source too', 'none');
COMMIT;
INSERT INTO app.audit VALUES (3, 'after');
