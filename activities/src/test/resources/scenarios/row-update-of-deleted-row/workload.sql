UPDATE app.orders SET note = 'one, updated' WHERE id = 1;
INSERT INTO app.orders VALUES (3, 'three');
