INSERT INTO app.orders VALUES (3, 'three');
