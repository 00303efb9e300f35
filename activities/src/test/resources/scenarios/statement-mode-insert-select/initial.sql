INSERT INTO app.staging VALUES (1, 'one'), (2, 'two'), (3, 'three');
