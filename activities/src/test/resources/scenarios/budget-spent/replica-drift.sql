INSERT INTO app.orders VALUES (1, 'drift'), (2, 'drift'), (3, 'drift');
