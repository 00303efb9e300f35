INSERT INTO app.audit VALUES (1, 'start');
INSERT INTO app.orders VALUES (2, 'same on both', 12.50, '2024-02-29 13:14:15.250', 0x0102);
INSERT INTO app.orders VALUES (3, 'Case differs', 1.00, '2024-01-01 00:00:00.000', NULL);
INSERT INTO app.audit VALUES (2, 'same on both');
