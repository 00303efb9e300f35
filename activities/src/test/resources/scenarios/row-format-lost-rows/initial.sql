INSERT INTO app.orders VALUES (1, 'one', 10.00), (3, 'three', 30.00);
