INSERT INTO app.orders VALUES (1, 'one'), (2, 'two'), (3, 'three');
INSERT INTO app.notes VALUES ('kept'), ('gone');
