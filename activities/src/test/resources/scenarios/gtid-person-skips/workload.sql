INSERT INTO app.audit (what) VALUES ('nobody told the replica');
INSERT INTO app.orders VALUES (1, 'one');
