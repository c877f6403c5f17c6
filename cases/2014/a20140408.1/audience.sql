-- Audience of the Heartbleed notice (ruling of a20140408.1, 2014-04-08):
-- every current member who had a server certificate active at any time since :since
-- (issued before or after, but not expired or revoked before that date),
-- or who set the "general announcements" flag.
SELECT u.id, u.email, u.fname, u.lname, u.language
FROM users u
WHERE u.deleted = 0
  AND (
    EXISTS (
      SELECT 1
      FROM domains d
      JOIN domaincerts c ON c.domid = d.id
      WHERE d.memid = u.id
        AND c.expire >= :since
        AND (c.revoked IS NULL OR c.revoked >= :since)
    )
    OR EXISTS (SELECT 1 FROM alerts a WHERE a.memid = u.id AND a.general = 1)
  )
ORDER BY u.id
