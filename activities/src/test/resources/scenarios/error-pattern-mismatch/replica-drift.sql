INSERT INTO app.orders VALUES (1, 'drift');
