DELETE FROM app.parent WHERE id = 5;
INSERT INTO app.child VALUES (1, 1);
