-- Every change to what sign-ins read of the configuration (organizations, domains, connections,
-- routing rules, roles) is announced on the channel gh_configuration when it commits, whoever
-- makes it: the processes that keep those rows in memory (src/data/sql/configuration-cache.ts)
-- forget them. One notification per statement; PostgreSQL folds identical ones per transaction.
CREATE FUNCTION "gh_announce_configuration"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gh_configuration', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "organizations_announce" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organizations"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
CREATE TRIGGER "domains_announce" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "domains"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
CREATE TRIGGER "connections_announce" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "connections"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
CREATE TRIGGER "routing_rules_announce" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "routing_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
CREATE TRIGGER "roles_announce" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "roles"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
