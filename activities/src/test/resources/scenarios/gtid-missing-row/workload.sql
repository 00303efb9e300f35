UPDATE app.orders SET note = 'one, updated' WHERE id = 1;
UPDATE app.orders SET note = 'two, updated' WHERE id = 2;
DELETE FROM app.orders WHERE id = 3;
INSERT INTO app.orders VALUES (4, 'four');
