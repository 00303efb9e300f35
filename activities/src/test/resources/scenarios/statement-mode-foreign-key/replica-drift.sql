DELETE FROM app.parent WHERE id = 5;
