//! The PostgreSQL schema, made at start. Idempotent, and serialised by an
//! advisory lock so relay processes starting together do not race.

pub(super) const LOCK: i64 = 0x6361_7261_7661_6e01; // "caravan" + 1

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS relay_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS teams (
  team_id BYTEA PRIMARY KEY,
  roster BYTEA NOT NULL,
  roster_version BIGINT NOT NULL,
  next_seq BIGINT NOT NULL DEFAULT 1,
  used_bytes BIGINT NOT NULL DEFAULT 0,
  retention_days BIGINT,
  quota_bytes BIGINT
);
CREATE TABLE IF NOT EXISTS roster_devices (
  team_id BYTEA NOT NULL,
  device BYTEA NOT NULL,
  member TEXT NOT NULL,
  PRIMARY KEY (team_id, device)
);
CREATE TABLE IF NOT EXISTS envelopes (
  team_id BYTEA NOT NULL,
  seq BIGINT NOT NULL,
  from_device BYTEA NOT NULL,
  at_ms BIGINT NOT NULL,
  body BYTEA NOT NULL,
  size BIGINT NOT NULL,
  PRIMARY KEY (team_id, seq)
);
CREATE TABLE IF NOT EXISTS recipients (
  team_id BYTEA NOT NULL,
  seq BIGINT NOT NULL,
  member TEXT NOT NULL,
  PRIMARY KEY (team_id, seq, member)
);
CREATE INDEX IF NOT EXISTS recipients_by_member ON recipients (team_id, member, seq);
CREATE TABLE IF NOT EXISTS cursors (
  team_id BYTEA NOT NULL,
  device BYTEA NOT NULL,
  cursor BIGINT NOT NULL,
  PRIMARY KEY (team_id, device)
);
";

pub(super) const PAGE_SIZES: &str = "SELECT e.seq, e.size FROM recipients r
  JOIN envelopes e ON e.team_id = r.team_id AND e.seq = r.seq
  WHERE r.team_id = $1 AND r.member = $2 AND r.seq > $3 AND e.from_device <> $4
  ORDER BY r.seq LIMIT $5";

pub(super) const PAGE_BODIES: &str =
    "SELECT e.seq, e.from_device, e.at_ms, e.body FROM recipients r
  JOIN envelopes e ON e.team_id = r.team_id AND e.seq = r.seq
  WHERE r.team_id = $1 AND r.member = $2 AND r.seq > $3 AND e.from_device <> $4 AND r.seq <= $5
  ORDER BY r.seq";

/// One envelope, the members it is for, and its body only if it is at
/// most $3 bytes: one round trip per announcement a process reads.
pub(super) const ENVELOPE: &str = "SELECT e.from_device, e.at_ms, e.size,
    CASE WHEN e.size <= $3 THEN e.body END,
    ARRAY(SELECT r.member FROM recipients r WHERE r.team_id = e.team_id AND r.seq = e.seq)
  FROM envelopes e WHERE e.team_id = $1 AND e.seq = $2";

/// As the SQLite store's: past retention, or acknowledged by every device
/// it is for — never early for a member with no device on the roster yet.
pub(super) const SWEEP: &str = "WITH gone AS (
  DELETE FROM envelopes WHERE at_ms < $1 - COALESCE(
      (SELECT t.retention_days * 86400000 FROM teams t WHERE t.team_id = envelopes.team_id), $2)
    OR (NOT EXISTS (
      SELECT 1 FROM recipients r
      JOIN roster_devices d ON d.team_id = r.team_id AND d.member = r.member
      LEFT JOIN cursors c ON c.team_id = d.team_id AND c.device = d.device
      WHERE r.team_id = envelopes.team_id AND r.seq = envelopes.seq
        AND d.device <> envelopes.from_device AND COALESCE(c.cursor, 0) < envelopes.seq)
    AND NOT EXISTS (
      SELECT 1 FROM recipients r
      WHERE r.team_id = envelopes.team_id AND r.seq = envelopes.seq
        AND NOT EXISTS (SELECT 1 FROM roster_devices d
          WHERE d.team_id = r.team_id AND d.member = r.member
            AND d.device <> envelopes.from_device)))
    RETURNING team_id, seq, size
), freed AS (
  SELECT team_id, SUM(size)::BIGINT AS bytes FROM gone GROUP BY team_id
), teams_done AS (
  UPDATE teams t SET used_bytes = GREATEST(0, t.used_bytes - f.bytes)
  FROM freed f WHERE t.team_id = f.team_id
), recipients_done AS (
  DELETE FROM recipients r USING gone g WHERE r.team_id = g.team_id AND r.seq = g.seq
)
SELECT COUNT(*) FROM gone";

pub(super) const APPEND: &str =
    "UPDATE teams SET next_seq = next_seq + 1, used_bytes = used_bytes + $2
  WHERE team_id = $1 AND used_bytes + $2 <= COALESCE(quota_bytes, $3)
  RETURNING next_seq - 1";
