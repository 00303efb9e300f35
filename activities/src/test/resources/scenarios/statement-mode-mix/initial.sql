INSERT INTO app.parent VALUES (1), (5);
INSERT INTO app.child VALUES (10, 1, 'ten');
