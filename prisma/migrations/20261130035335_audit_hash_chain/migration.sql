-- Audit records become a hash chain per organization (plus one platform chain for records
-- without an organization). Rows written before this migration get their chain and sequence
-- here, in id order, but no hash: their content was never sealed, so `gatehouse audit verify`
-- counts them as pre-chain (audit_chains.pre_chain_through_seq) instead of vouching for them.

-- AlterTable
ALTER TABLE "audit_records" ADD COLUMN     "chain_key" TEXT,
ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prev_hash" TEXT,
ADD COLUMN     "seq" BIGINT;

UPDATE "audit_records" AS "r"
   SET "chain_key" = "n"."chain_key", "seq" = "n"."seq"
  FROM (SELECT "id", COALESCE("organization_id", 'platform') AS "chain_key",
               row_number() OVER (PARTITION BY COALESCE("organization_id", 'platform') ORDER BY "id") AS "seq"
          FROM "audit_records") AS "n"
 WHERE "r"."id" = "n"."id";

ALTER TABLE "audit_records" ALTER COLUMN "chain_key" SET NOT NULL,
ALTER COLUMN "seq" SET NOT NULL;

-- CreateTable
CREATE TABLE "audit_chains" (
    "chain_key" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "last_hash" TEXT,
    "pruned_through_seq" BIGINT NOT NULL DEFAULT 0,
    "pruned_through_hash" TEXT,
    "pre_chain_through_seq" BIGINT NOT NULL DEFAULT 0,
    "mac" TEXT,

    CONSTRAINT "audit_chains_pkey" PRIMARY KEY ("chain_key")
);

INSERT INTO "audit_chains" ("chain_key", "last_seq", "pre_chain_through_seq")
SELECT "chain_key", max("seq"), max("seq") FROM "audit_records" GROUP BY "chain_key";

-- CreateIndex
CREATE INDEX "audit_records_actor_type_actor_id_idx" ON "audit_records"("actor_type", "actor_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_records_chain_key_seq_key" ON "audit_records"("chain_key", "seq");
