INSERT INTO app.orders VALUES (2, 'replica only');
INSERT INTO app.orders VALUES (5, 'replica only too');
