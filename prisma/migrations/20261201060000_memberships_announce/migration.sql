-- A user's standing in an organization (their membership, read with the organization's chain and
-- roles) is kept in memory like the configuration (src/data/sql/configuration-cache.ts). Each
-- change to a membership is announced on gh_configuration for its user ('user:<id>'), so the
-- processes forget only that user's standing; PostgreSQL folds identical announcements per
-- transaction. TRUNCATE names the table: everything kept is forgotten.
CREATE FUNCTION "gh_announce_membership"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('gh_configuration', 'user:' || OLD."user_id");
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('gh_configuration', 'user:' || NEW."user_id");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "memberships_announce" AFTER INSERT OR UPDATE OR DELETE ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION "gh_announce_membership"();
CREATE TRIGGER "memberships_truncate_announce" AFTER TRUNCATE ON "memberships"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
