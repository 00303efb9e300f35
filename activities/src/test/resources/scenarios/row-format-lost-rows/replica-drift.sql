INSERT INTO app.orders VALUES (2, 'replica only', 0.00);
