INSERT INTO app.orders VALUES (1, 'source');
INSERT INTO app.orders VALUES (2, 'source');
INSERT INTO app.orders VALUES (3, 'source');
