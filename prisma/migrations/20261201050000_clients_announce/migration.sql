-- Client changes are announced like the rest of the configuration (20261201040000_configuration_notify):
-- the processes that keep clients in memory (src/domain/clients/client-catalog.ts) forget them at
-- once, instead of serving a deleted client or a rotated secret for a few more seconds.
CREATE TRIGGER "clients_announce" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "clients"
  FOR EACH STATEMENT EXECUTE FUNCTION "gh_announce_configuration"();
