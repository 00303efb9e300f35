INSERT INTO app.orders VALUES (2, 'replica only', 'B');
