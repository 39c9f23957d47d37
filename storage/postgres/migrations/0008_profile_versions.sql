-- Replicas keep their matcher's index in step through profile versions:
-- every change to a profile (made, changed, paused, deleted) takes the
-- next number of one sequence, and a replica asks for what changed after
-- the last version it applied. A deleted profile leaves a tombstone with
-- the version of its deletion, so it leaves every index too. A change
-- wakes the replicas (NOTIFY tenderbot_profiles, the schema as payload);
-- a replica that missed the notification finds the change at its next
-- look by version.
--
-- Versions are handed out under a lock held to the end of the writing
-- transaction: they commit in the order they were taken, so a replica
-- that has seen version n never finds a version below n committed later.

CREATE SEQUENCE profile_version;

ALTER TABLE profiles ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
UPDATE profiles SET version = nextval('profile_version');
CREATE INDEX profiles_by_version ON profiles (version);

CREATE TABLE profile_tombstones (
	version BIGINT PRIMARY KEY,
	profile_id BIGINT NOT NULL
);

CREATE FUNCTION profile_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('tenderbot profile version ' || current_schema(), 0));
	PERFORM pg_notify('tenderbot_profiles', current_schema());
	IF TG_OP = 'DELETE' THEN
		INSERT INTO profile_tombstones (version, profile_id) VALUES (nextval('profile_version'), OLD.id);
		RETURN OLD;
	END IF;
	NEW.version := nextval('profile_version');
	RETURN NEW;
END
$$;

CREATE TRIGGER profiles_versioned BEFORE INSERT OR UPDATE OR DELETE ON profiles
	FOR EACH ROW EXECUTE FUNCTION profile_versioned();
