DELETE FROM app.parent WHERE id = 5;
DELETE FROM app.child WHERE id = 10;
INSERT INTO app.child VALUES (2, 1, 'replica only');
