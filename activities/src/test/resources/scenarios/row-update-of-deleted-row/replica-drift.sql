DELETE FROM app.orders WHERE id = 1;
