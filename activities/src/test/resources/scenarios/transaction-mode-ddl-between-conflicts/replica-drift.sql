INSERT INTO app.audit VALUES (1, 'before the change');
INSERT INTO app.orders VALUES (2, 'replica only');
INSERT INTO app.orders VALUES (5, 'from the source too');
