INSERT INTO app.orders VALUES (2, 'replica only'), (5, 'replica only too');
