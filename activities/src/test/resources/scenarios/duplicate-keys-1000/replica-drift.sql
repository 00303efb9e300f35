-- The replica already has rows 1..1000 (say, loaded twice by hand).
INSERT INTO app.orders
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
  SELECT i, 'drift' FROM n;
