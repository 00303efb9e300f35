DELETE FROM app.orders WHERE id IN (1, 3);
