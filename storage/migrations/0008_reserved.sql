-- 0008: reserved for the outbox lanes (issue 11), developed in parallel;
-- this placeholder keeps the numbers contiguous until that migration lands
-- and replaces it.
SELECT 1;
