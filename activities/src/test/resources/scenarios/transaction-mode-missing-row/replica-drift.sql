DELETE FROM app.orders WHERE id IN (1, 3);
UPDATE app.orders SET note = 'two, updated' WHERE id = 2;
DELETE FROM app.notes WHERE what = 'gone';
