INSERT INTO app.parent VALUES (1), (5);
