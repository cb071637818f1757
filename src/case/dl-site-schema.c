/* dl-site-schema.c — the site store's schema on PostgreSQL: the same
 * tables as the case file's (dl-case-schema.c), in the schema `doorlicht`,
 * with the roles that the database itself enforces.
 *
 * Group roles (NOLOGIN): doorlicht_analyst (reads all, writes cases,
 * scans, verdicts … and claims), doorlicht_supervisor (an analyst who also
 * writes reviews), doorlicht_auditor (reads only).  A person is a login
 * role in one of them (dl_site_grant ()).
 *
 * What the database refuses, whatever program connects:
 *  - a write the role has no privilege for (42501);
 *  - a row or event in another person's name: row-level security checks
 *    author_login = session_user (42501);
 *  - UPDATE, DELETE or TRUNCATE of an audited row or audit event, even by
 *    the schema's owner: triggers raise (42501);
 *  - an event that does not follow the chain head, or whose content or
 *    chain hash is not its fields' (23514): the head row is locked while
 *    it is checked and moved, so appends are serialised;
 *  - a review by the verdict's author (four eyes, 23514);
 *  - another person's live claim taken over (row-level security).
 * Signatures are checked by `doorlicht-cli verify`, not here (PostgreSQL
 * has no Ed25519).
 *
 * The queue (who has a case, until when, where it stands) is derived
 * state, not audited: triggers keep it as verdicts and reviews come in,
 * and each change sends NOTIFY doorlicht_queue, '<case id>'.
 *
 * Imports (version 2).  `case import URI FILE` copies a signed export's
 * events into the site with their rows, each in its author's name, while
 * row-level security lets a connection write only in its own.  So only a
 * supervisor may import (event_append refuses an "import" event of anyone
 * else, 42501), and a row or event in another person's name is allowed
 * only inside a transaction that has already inserted an "import" event by
 * session_user: doorlicht.importing () (SECURITY DEFINER) looks for such an
 * event whose xmin is the current transaction's id, and the policies
 * "imported" (FOR INSERT TO doorlicht_supervisor WITH CHECK
 * (doorlicht.importing ())) on every audited table and on events allow
 * the row beside "as_oneself".  The site's import event therefore comes
 * first in its transaction (saying which file, its SHA-256 and signer,
 * and how many events follow), then the copied events, each appended to
 * the site's chain by the importer and checked by the trigger as every
 * append is.  The import's rows are all of the one transaction: committed
 * together or not at all.  Four eyes holds for imported reviews by their
 * authors (the importer may have written the verdict reviewed).  An
 * imported row's author login is what its signed event says: the site
 * does not bind logins to keys, so the key that signed it (recorded with
 * the row and the event, and checked by `verify`) is what proves who.
 *
 * Scan images are held in the database (images, bytea, content-addressed
 * by SHA-256 that a CHECK recomputes): one backup, one transaction with
 * the scan's row and event, the same privileges, and no shared folder to
 * mount on every scanner and workstation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-schema"

#include "config.h"

#include <glib.h>

#include "dl-site-private.h"

/* Run on every dl_site_init (): idempotent.  The roles are the
 * cluster's, and two set-ups of different databases may make them at
 * once (the advisory lock is per database): the one that comes second
 * finds them made. */
static const char roles_sql[] =
  "DO $$ DECLARE r text;\n"
  "BEGIN\n"
  "  FOREACH r IN ARRAY ARRAY['doorlicht_analyst', 'doorlicht_supervisor', 'doorlicht_auditor'] LOOP\n"
  "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN\n"
  "      BEGIN\n"
  "        EXECUTE format ('CREATE ROLE %I NOLOGIN', r);\n"
  "      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\n"
  "      END;\n"
  "    END IF;\n"
  "  END LOOP;\n"
  "  IF NOT pg_has_role ('doorlicht_supervisor', 'doorlicht_analyst', 'MEMBER') THEN\n"
  "    BEGIN\n"
  "      GRANT doorlicht_analyst TO doorlicht_supervisor;\n"
  "    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\n"
  "    END;\n"
  "  END IF;\n"
  "END $$;\n"
  "CREATE SCHEMA IF NOT EXISTS doorlicht;\n"
  "REVOKE ALL ON SCHEMA doorlicht FROM PUBLIC;\n"
  "GRANT USAGE ON SCHEMA doorlicht TO doorlicht_analyst, doorlicht_supervisor, doorlicht_auditor;\n"
  "CREATE TABLE IF NOT EXISTS doorlicht.version (\n"
  "  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),\n"
  "  version integer NOT NULL\n"
  ");\n"
  "GRANT SELECT ON doorlicht.version TO doorlicht_analyst, doorlicht_auditor;\n";

#define AUTHOR_COLUMNS \
  "  created bigint NOT NULL,\n" \
  "  author_login text NOT NULL,\n" \
  "  author_name text NOT NULL,\n" \
  "  author_key text NOT NULL\n"

/* Version 1.  The audited tables have the case file's columns in its
 * order (an event records a row as the case file's would); scans hold no
 * image column, their bytes are in images. */
static const char schema_v1_tables[] =
  "CREATE TABLE doorlicht.cases (\n"
  "  id text PRIMARY KEY,\n"
  "  title text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.images (\n"
  "  sha256 text PRIMARY KEY CHECK (sha256 = encode (sha256 (bytes), 'hex')),\n"
  "  bytes bytea NOT NULL\n"
  ");\n"
  "CREATE TABLE doorlicht.scans (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  path text NOT NULL,\n"
  "  size bigint NOT NULL,\n"
  "  sha256 text NOT NULL REFERENCES doorlicht.images (sha256),\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE INDEX scans_case ON doorlicht.scans (case_id, created, id);\n"
  "CREATE TABLE doorlicht.manifests (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  json text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE INDEX manifests_case ON doorlicht.manifests (case_id, created);\n"
  "CREATE TABLE doorlicht.verdicts (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  decision text NOT NULL CHECK (decision IN ('clear', 'inspect', 'seize', 'rescan')),\n"
  "  reasons text NOT NULL,\n"
  "  text text NOT NULL,\n"
  "  supersedes text REFERENCES doorlicht.verdicts (id),\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE INDEX verdicts_case ON doorlicht.verdicts (case_id, created);\n"
  "CREATE TABLE doorlicht.annotations (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  scan_id text NOT NULL REFERENCES doorlicht.scans (id),\n"
  "  geometry text NOT NULL,\n"
  "  label text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.reviews (\n"
  "  id text PRIMARY KEY,\n"
  "  verdict_id text NOT NULL UNIQUE REFERENCES doorlicht.verdicts (id),\n"
  "  decision text NOT NULL CHECK (decision IN ('approve', 'return')),\n"
  "  comment text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.hints (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  json text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.bay_plans (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  json text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.findings (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  scan_id text NOT NULL REFERENCES doorlicht.scans (id),\n"
  "  run_id text NOT NULL,\n"
  "  detector text NOT NULL,\n"
  "  detector_version text NOT NULL,\n"
  "  parameters text NOT NULL,\n"
  "  program_sha256 text,\n"
  "  kind text NOT NULL,\n"
  "  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),\n"
  "  view bigint NOT NULL,\n"
  "  outline text,\n"
  "  explanation text NOT NULL,\n"
  "  figures text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.finding_responses (\n"
  "  id text PRIMARY KEY,\n"
  "  case_id text NOT NULL REFERENCES doorlicht.cases (id),\n"
  "  finding_id text NOT NULL REFERENCES doorlicht.findings (id),\n"
  "  response text NOT NULL CHECK (response IN ('confirmed', 'dismissed')),\n"
  "  note text NOT NULL,\n"
  AUTHOR_COLUMNS
  ");\n"
  "CREATE TABLE doorlicht.events (\n"
  "  seq bigint PRIMARY KEY CHECK (seq >= 1),\n"
  "  id text NOT NULL UNIQUE,\n"
  "  time bigint NOT NULL,\n"
  "  author_login text NOT NULL,\n"
  "  author_name text NOT NULL,\n"
  "  author_key text NOT NULL,\n"
  "  kind text NOT NULL,\n"
  "  case_id text,\n"
  "  payload text NOT NULL,\n"
  "  content_hash text NOT NULL,\n"
  "  signature text NOT NULL,\n"
  "  prev_hash text NOT NULL,\n"
  "  hash text NOT NULL,\n"
  "  appender_key text NOT NULL,\n"
  "  chain_signature text NOT NULL\n"
  ");\n"
  "CREATE INDEX events_case ON doorlicht.events (case_id);\n"
  "CREATE TABLE doorlicht.chain_head (\n"
  "  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),\n"
  "  seq bigint NOT NULL,\n"
  "  hash text NOT NULL\n"
  ");\n"
  "INSERT INTO doorlicht.chain_head (seq, hash) VALUES (0, '" DL_SITE_ZERO_HASH "');\n"
  "CREATE TABLE doorlicht.queue (\n"
  "  case_id text PRIMARY KEY REFERENCES doorlicht.cases (id),\n"
  "  state text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'review', 'returned', 'done')),\n"
  "  since timestamptz NOT NULL DEFAULT clock_timestamp (),\n"
  "  claimed_by text,\n"
  "  lease_until timestamptz,\n"
  "  CHECK ((claimed_by IS NULL) = (lease_until IS NULL))\n"
  ");\n"
  "CREATE INDEX queue_waiting ON doorlicht.queue (since, case_id) WHERE state IN ('waiting', 'returned');\n";

/* The body of doorlicht.event_append () from its head check on, the same
 * in every version (version 2 puts the import rule before it). */
#define EVENT_APPEND_CHECKS \
  "    SELECT seq, hash INTO head FROM doorlicht.chain_head WHERE only_row FOR UPDATE;\n" \
  "    IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN\n" \
  "      RAISE EXCEPTION 'audit event % does not follow the chain head (event %, hash %)', NEW.seq, head.seq, head.hash\n" \
  "        USING ERRCODE = 'check_violation';\n" \
  "    END IF;\n" \
  "    IF NEW.content_hash <> doorlicht.content_hash (NEW) THEN\n" \
  "      RAISE EXCEPTION 'audit event %: its content hash is not that of its fields', NEW.seq\n" \
  "        USING ERRCODE = 'check_violation';\n" \
  "    END IF;\n" \
  "    IF NEW.hash <> doorlicht.chain_hash (NEW) THEN\n" \
  "      RAISE EXCEPTION 'audit event %: its chain hash is not that of its fields', NEW.seq\n" \
  "        USING ERRCODE = 'check_violation';\n" \
  "    END IF;\n" \
  "    UPDATE doorlicht.chain_head SET seq = NEW.seq, hash = NEW.hash WHERE only_row;\n" \
  "    RETURN NEW;\n" \
  "  END $$;\n"

/* The canonical encoding of dl-case-audit.c (each field as its 8-byte
 * big-endian length and its bytes, NULL as length 2^64−1), so that the
 * database recomputes an event's content and chain hashes. */
static const char schema_v1_functions[] =
  "CREATE FUNCTION doorlicht.field (value text) RETURNS bytea\n"
  "  LANGUAGE sql IMMUTABLE AS $$\n"
  "    SELECT CASE WHEN value IS NULL THEN '\\xffffffffffffffff'::bytea\n"
  "           ELSE int8send (octet_length (value)::bigint) || convert_to (value, 'UTF8') END $$;\n"
  "CREATE FUNCTION doorlicht.content_hash (e doorlicht.events) RETURNS text\n"
  "  LANGUAGE sql IMMUTABLE AS $$\n"
  "    SELECT encode (sha256 (doorlicht.field ('doorlicht-event/1') || doorlicht.field (e.id)\n"
  "      || doorlicht.field (e.time::text) || doorlicht.field (e.author_login) || doorlicht.field (e.author_name)\n"
  "      || doorlicht.field (e.author_key) || doorlicht.field (e.kind) || doorlicht.field (e.case_id)\n"
  "      || doorlicht.field (e.payload)), 'hex') $$;\n"
  "CREATE FUNCTION doorlicht.chain_hash (e doorlicht.events) RETURNS text\n"
  "  LANGUAGE sql IMMUTABLE AS $$\n"
  "    SELECT encode (sha256 (doorlicht.field ('doorlicht-chain/1') || doorlicht.field (e.seq::text)\n"
  "      || doorlicht.field (e.content_hash) || doorlicht.field (e.signature) || doorlicht.field (e.prev_hash)\n"
  "      || doorlicht.field (e.appender_key)), 'hex') $$;\n"
  /* the head, locked until the caller's transaction ends */
  "CREATE FUNCTION doorlicht.lock_chain_head (OUT seq bigint, OUT hash text)\n"
  "  LANGUAGE sql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "    SELECT seq, hash FROM doorlicht.chain_head WHERE only_row FOR UPDATE $$;\n"
  "CREATE FUNCTION doorlicht.event_append () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  DECLARE head record;\n"
  "  BEGIN\n"
  EVENT_APPEND_CHECKS
  "CREATE FUNCTION doorlicht.refuse_change () RETURNS trigger\n"
  "  LANGUAGE plpgsql AS $$\n"
  "  BEGIN\n"
  "    RAISE EXCEPTION '% of %: audited rows and audit events are never changed or removed', TG_OP, TG_TABLE_NAME\n"
  "      USING ERRCODE = 'insufficient_privilege';\n"
  "  END $$;\n"
  "CREATE FUNCTION doorlicht.four_eyes () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    IF EXISTS (SELECT 1 FROM doorlicht.verdicts v WHERE v.id = NEW.verdict_id\n"
  "               AND (v.author_login = NEW.author_login OR v.author_login = session_user\n"
  "                    OR v.author_key = NEW.author_key)) THEN\n"
  "      RAISE EXCEPTION 'four eyes: % wrote verdict % and may not review it', NEW.author_login, NEW.verdict_id\n"
  "        USING ERRCODE = 'check_violation';\n"
  "    END IF;\n"
  "    RETURN NEW;\n"
  "  END $$;\n"
  "CREATE FUNCTION doorlicht.notify_queue (case_id text) RETURNS void\n"
  "  LANGUAGE sql AS $$ SELECT pg_notify ('doorlicht_queue', case_id) $$;\n"
  "CREATE FUNCTION doorlicht.queue_case () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    INSERT INTO doorlicht.queue (case_id) VALUES (NEW.id);\n"
  "    PERFORM doorlicht.notify_queue (NEW.id);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "CREATE FUNCTION doorlicht.queue_verdict () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    UPDATE doorlicht.queue SET state = 'review', since = clock_timestamp (), claimed_by = NULL,\n"
  "      lease_until = NULL WHERE case_id = NEW.case_id;\n"
  "    PERFORM doorlicht.notify_queue (NEW.case_id);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "CREATE FUNCTION doorlicht.queue_review () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  DECLARE case_of text;\n"
  "  BEGIN\n"
  "    SELECT v.case_id INTO case_of FROM doorlicht.verdicts v WHERE v.id = NEW.verdict_id;\n"
  "    UPDATE doorlicht.queue SET state = CASE NEW.decision WHEN 'approve' THEN 'done' ELSE 'returned' END,\n"
  "      since = clock_timestamp (), claimed_by = NULL, lease_until = NULL WHERE case_id = case_of;\n"
  "    PERFORM doorlicht.notify_queue (case_of);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "CREATE FUNCTION doorlicht.queue_claimed () RETURNS trigger\n"
  "  LANGUAGE plpgsql AS $$\n"
  "  BEGIN\n"
  "    PERFORM doorlicht.notify_queue (NEW.case_id);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "REVOKE ALL ON FUNCTION doorlicht.lock_chain_head (), doorlicht.event_append (), doorlicht.four_eyes (),\n"
  "  doorlicht.queue_case (), doorlicht.queue_verdict (), doorlicht.queue_review () FROM PUBLIC;\n"
  "GRANT EXECUTE ON FUNCTION doorlicht.lock_chain_head () TO doorlicht_analyst;\n";

/* Triggers, privileges and row-level security. */
static const char schema_v1_rules[] =
  "CREATE TRIGGER events_append BEFORE INSERT ON doorlicht.events\n"
  "  FOR EACH ROW EXECUTE FUNCTION doorlicht.event_append ();\n"
  "CREATE TRIGGER reviews_four_eyes BEFORE INSERT ON doorlicht.reviews\n"
  "  FOR EACH ROW EXECUTE FUNCTION doorlicht.four_eyes ();\n"
  "CREATE TRIGGER cases_queue AFTER INSERT ON doorlicht.cases\n"
  "  FOR EACH ROW EXECUTE FUNCTION doorlicht.queue_case ();\n"
  "CREATE TRIGGER verdicts_queue AFTER INSERT ON doorlicht.verdicts\n"
  "  FOR EACH ROW EXECUTE FUNCTION doorlicht.queue_verdict ();\n"
  "CREATE TRIGGER reviews_queue AFTER INSERT ON doorlicht.reviews\n"
  "  FOR EACH ROW EXECUTE FUNCTION doorlicht.queue_review ();\n"
  "CREATE TRIGGER queue_claimed AFTER UPDATE OF claimed_by ON doorlicht.queue\n"
  "  FOR EACH ROW WHEN (OLD.claimed_by IS DISTINCT FROM NEW.claimed_by)\n"
  "  EXECUTE FUNCTION doorlicht.queue_claimed ();\n"
  "DO $$ DECLARE t text;\n"
  "BEGIN\n"
  "  FOREACH t IN ARRAY ARRAY['cases', 'images', 'scans', 'manifests', 'verdicts', 'annotations', 'reviews',\n"
  "                          'hints', 'bay_plans', 'findings', 'finding_responses', 'events'] LOOP\n"
  "    EXECUTE format ('CREATE TRIGGER %I_immutable BEFORE UPDATE OR DELETE ON doorlicht.%I '\n"
  "                    'FOR EACH ROW EXECUTE FUNCTION doorlicht.refuse_change ()', t, t);\n"
  "    EXECUTE format ('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON doorlicht.%I '\n"
  "                    'FOR EACH STATEMENT EXECUTE FUNCTION doorlicht.refuse_change ()', t, t);\n"
  "    EXECUTE format ('GRANT SELECT ON doorlicht.%I TO doorlicht_analyst, doorlicht_auditor', t);\n"
  "    IF t <> 'reviews' THEN\n"
  "      EXECUTE format ('GRANT INSERT ON doorlicht.%I TO doorlicht_analyst', t);\n"
  "    END IF;\n"
  "    IF t <> 'images' THEN\n"
  "      EXECUTE format ('ALTER TABLE doorlicht.%I ENABLE ROW LEVEL SECURITY', t);\n"
  "      EXECUTE format ('CREATE POLICY readers ON doorlicht.%I FOR SELECT USING (true)', t);\n"
  "      EXECUTE format ('CREATE POLICY as_oneself ON doorlicht.%I FOR INSERT '\n"
  "                      'WITH CHECK (author_login = session_user)', t);\n"
  "    END IF;\n"
  "  END LOOP;\n"
  "END $$;\n"
  "GRANT INSERT ON doorlicht.reviews TO doorlicht_supervisor;\n"
  "GRANT SELECT ON doorlicht.chain_head, doorlicht.queue TO doorlicht_analyst, doorlicht_auditor;\n"
  "GRANT UPDATE (claimed_by, lease_until) ON doorlicht.queue TO doorlicht_analyst;\n"
  "ALTER TABLE doorlicht.queue ENABLE ROW LEVEL SECURITY;\n"
  "CREATE POLICY readers ON doorlicht.queue FOR SELECT USING (true);\n"
  /* a case waiting (or returned) that nobody holds, or whose lease ran
   * out, or one's own; taken for oneself or let go */
  "CREATE POLICY claims ON doorlicht.queue FOR UPDATE TO doorlicht_analyst\n"
  "  USING (state IN ('waiting', 'returned')\n"
  "         AND (claimed_by IS NULL OR claimed_by = session_user OR lease_until < now ()))\n"
  "  WITH CHECK (claimed_by IS NULL OR claimed_by = session_user);\n";

static const char * const schema_v1[] = { schema_v1_tables, schema_v1_functions, schema_v1_rules, NULL };

/* Version 2: imports (see the header). */
static const char schema_v2_functions[] =
  "CREATE INDEX events_imports ON doorlicht.events (author_login) WHERE kind = 'import';\n"
  "CREATE FUNCTION doorlicht.importing () RETURNS boolean\n"
  "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "    SELECT pg_has_role (session_user, 'doorlicht_supervisor', 'MEMBER')\n"
  "      AND EXISTS (SELECT 1 FROM doorlicht.events WHERE kind = 'import' AND author_login = session_user\n"
  "                  AND xmin = pg_current_xact_id ()::xid) $$;\n"
  "REVOKE ALL ON FUNCTION doorlicht.importing () FROM PUBLIC;\n"
  "GRANT EXECUTE ON FUNCTION doorlicht.importing () TO doorlicht_analyst, doorlicht_auditor;\n"
  "CREATE OR REPLACE FUNCTION doorlicht.event_append () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  DECLARE head record;\n"
  "  BEGIN\n"
  "    IF NEW.kind = 'import' AND NOT pg_has_role (session_user, 'doorlicht_supervisor', 'MEMBER') THEN\n"
  "      RAISE EXCEPTION 'only a supervisor imports into the site (% is not one)', session_user\n"
  "        USING ERRCODE = 'insufficient_privilege';\n"
  "    END IF;\n"
  EVENT_APPEND_CHECKS
  "CREATE OR REPLACE FUNCTION doorlicht.four_eyes () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    IF EXISTS (SELECT 1 FROM doorlicht.verdicts v WHERE v.id = NEW.verdict_id\n"
  "               AND (v.author_login = NEW.author_login OR v.author_key = NEW.author_key\n"
  "                    OR (v.author_login = session_user AND NOT doorlicht.importing ()))) THEN\n"
  "      RAISE EXCEPTION 'four eyes: % wrote verdict % and may not review it', NEW.author_login, NEW.verdict_id\n"
  "        USING ERRCODE = 'check_violation';\n"
  "    END IF;\n"
  "    RETURN NEW;\n"
  "  END $$;\n";

static const char schema_v2_rules[] =
  "DO $$ DECLARE t text;\n"
  "BEGIN\n"
  "  FOREACH t IN ARRAY ARRAY['cases', 'scans', 'manifests', 'verdicts', 'annotations', 'reviews',\n"
  "                          'hints', 'bay_plans', 'findings', 'finding_responses', 'events'] LOOP\n"
  "    EXECUTE format ('CREATE POLICY imported ON doorlicht.%I FOR INSERT TO doorlicht_supervisor '\n"
  "                    'WITH CHECK (doorlicht.importing ())', t);\n"
  "  END LOOP;\n"
  "END $$;\n";

static const char * const schema_v2[] = { schema_v2_functions, schema_v2_rules, NULL };

/* Version 3: what the list of cases shows, kept in the queue by the
 * triggers (derived, like the rest of the queue), so that the app's queue
 * of 100 000 cases is one join and an index away, not a join and sort of
 * every verdict and scan (dl-site-list.c): the latest verdict (the one no
 * other supersedes), when the case last changed (its own time, that
 * verdict's or that verdict's review's, as a case file counts it), and
 * its scans (how many, the first by created and id). */
static const char schema_v3_columns[] =
  "ALTER TABLE doorlicht.queue ADD COLUMN latest_verdict text, ADD COLUMN updated bigint,\n"
  "  ADD COLUMN n_scans integer NOT NULL DEFAULT 0, ADD COLUMN first_scan text;\n"
  "CREATE INDEX verdicts_supersedes ON doorlicht.verdicts (supersedes);\n"
  "CREATE FUNCTION doorlicht.queue_summarize (c_id text) RETURNS void\n"
  "  LANGUAGE sql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "    UPDATE doorlicht.queue q SET latest_verdict = v.id,\n"
  "      updated = greatest (c.created, coalesce (v.created, 0), coalesce (r.created, 0)),\n"
  "      n_scans = (SELECT count (*) FROM doorlicht.scans s WHERE s.case_id = c_id),\n"
  "      first_scan = (SELECT s.id FROM doorlicht.scans s WHERE s.case_id = c_id\n"
  "                    ORDER BY s.created, s.id COLLATE \"C\" LIMIT 1)\n"
  "    FROM doorlicht.cases c\n"
  "    LEFT JOIN LATERAL (SELECT x.id, x.created FROM doorlicht.verdicts x WHERE x.case_id = c_id\n"
  "                       AND NOT EXISTS (SELECT 1 FROM doorlicht.verdicts w WHERE w.supersedes = x.id)\n"
  "                       ORDER BY x.created DESC, x.id COLLATE \"C\" DESC LIMIT 1) v ON true\n"
  "    LEFT JOIN doorlicht.reviews r ON r.verdict_id = v.id\n"
  "    WHERE c.id = c_id AND q.case_id = c_id $$;\n"
  "REVOKE ALL ON FUNCTION doorlicht.queue_summarize (text) FROM PUBLIC;\n"
  "SELECT doorlicht.queue_summarize (case_id) FROM doorlicht.queue;\n"
  "CREATE INDEX queue_updated ON doorlicht.queue (updated DESC);\n";

/* The triggers of version 1, each summarizing its case too; and scans. */
static const char schema_v3_triggers[] =
  "CREATE OR REPLACE FUNCTION doorlicht.queue_case () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    INSERT INTO doorlicht.queue (case_id, updated) VALUES (NEW.id, NEW.created);\n"
  "    PERFORM doorlicht.notify_queue (NEW.id);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "CREATE OR REPLACE FUNCTION doorlicht.queue_verdict () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    UPDATE doorlicht.queue SET state = 'review', since = clock_timestamp (), claimed_by = NULL,\n"
  "      lease_until = NULL WHERE case_id = NEW.case_id;\n"
  "    PERFORM doorlicht.queue_summarize (NEW.case_id);\n"
  "    PERFORM doorlicht.notify_queue (NEW.case_id);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "CREATE OR REPLACE FUNCTION doorlicht.queue_review () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  DECLARE case_of text;\n"
  "  BEGIN\n"
  "    SELECT v.case_id INTO case_of FROM doorlicht.verdicts v WHERE v.id = NEW.verdict_id;\n"
  "    UPDATE doorlicht.queue SET state = CASE NEW.decision WHEN 'approve' THEN 'done' ELSE 'returned' END,\n"
  "      since = clock_timestamp (), claimed_by = NULL, lease_until = NULL WHERE case_id = case_of;\n"
  "    PERFORM doorlicht.queue_summarize (case_of);\n"
  "    PERFORM doorlicht.notify_queue (case_of);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "CREATE FUNCTION doorlicht.queue_scan () RETURNS trigger\n"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = doorlicht, pg_temp AS $$\n"
  "  BEGIN\n"
  "    PERFORM doorlicht.queue_summarize (NEW.case_id);\n"
  "    PERFORM doorlicht.notify_queue (NEW.case_id);\n"
  "    RETURN NULL;\n"
  "  END $$;\n"
  "REVOKE ALL ON FUNCTION doorlicht.queue_scan () FROM PUBLIC;\n"
  "CREATE TRIGGER scans_queue AFTER INSERT ON doorlicht.scans\n"
  "  FOR EACH ROW EXECUTE FUNCTION doorlicht.queue_scan ();\n";

static const char * const schema_v3[] = { schema_v3_columns, schema_v3_triggers, NULL };

const char *
dl_site_schema_roles (void)
{
  return roles_sql;
}

/* The statements that take a store of version @from - 1 to @from. */
const char * const *
dl_site_schema_migration (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= DL_SITE_SCHEMA_VERSION, NULL);
  return version == 1 ? schema_v1 : version == 2 ? schema_v2 : schema_v3;
}
