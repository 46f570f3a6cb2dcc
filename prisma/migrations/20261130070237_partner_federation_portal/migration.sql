-- AlterTable
ALTER TABLE "grant_organizations" ADD COLUMN     "home_organization_id" TEXT,
ADD COLUMN     "trust_rule_id" TEXT;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "frozen_at" TIMESTAMP(3),
ADD COLUMN     "frozen_reason" TEXT,
ADD COLUMN     "plan" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "federations" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT,
    "frozen_at" TIMESTAMP(3),
    "frozen_reason" TEXT,
    "managed_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "federations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "federation_members" (
    "federation_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "federation_members_pkey" PRIMARY KEY ("federation_id","organization_id")
);

-- CreateTable
CREATE TABLE "trust_rules" (
    "id" TEXT NOT NULL,
    "federation_id" TEXT NOT NULL,
    "source_organization_id" TEXT NOT NULL,
    "target_organization_id" TEXT NOT NULL,
    "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requires_mfa" BOOLEAN NOT NULL DEFAULT false,
    "ip_restrictions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "valid_from" TIMESTAMP(3),
    "valid_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trust_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_assessments" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT,
    "user_id" TEXT,
    "ip" TEXT NOT NULL,
    "country" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "device_hash" TEXT,
    "score" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "signals" JSONB NOT NULL DEFAULT '[]',
    "outcome" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_assessments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monthly_active_users" (
    "organization_id" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "monthly_active_users_pkey" PRIMARY KEY ("organization_id","month","user_id")
);

-- CreateTable
CREATE TABLE "portal_setup_links" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_setup_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_domains" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "verification_token" TEXT NOT NULL,
    "verified_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_domains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connection_health" (
    "connection_id" TEXT NOT NULL,
    "last_success_at" TIMESTAMP(3),
    "last_failure_at" TIMESTAMP(3),
    "last_failure_reason" TEXT,
    "last_attributes" JSONB,
    "last_attributes_at" TIMESTAMP(3),
    "last_tested_at" TIMESTAMP(3),
    "metadata_refreshed_at" TIMESTAMP(3),
    "metadata_refresh_error" TEXT,
    "certificate_warnings" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "connection_health_pkey" PRIMARY KEY ("connection_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "federations_slug_key" ON "federations"("slug");

-- CreateIndex
CREATE INDEX "federation_members_organization_id_idx" ON "federation_members"("organization_id");

-- CreateIndex
CREATE INDEX "trust_rules_target_organization_id_source_organization_id_idx" ON "trust_rules"("target_organization_id", "source_organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "trust_rules_federation_id_source_organization_id_target_org_key" ON "trust_rules"("federation_id", "source_organization_id", "target_organization_id");

-- CreateIndex
CREATE INDEX "risk_assessments_user_id_created_at_idx" ON "risk_assessments"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "risk_assessments_ip_created_at_idx" ON "risk_assessments"("ip", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "portal_setup_links_token_hash_key" ON "portal_setup_links"("token_hash");

-- CreateIndex
CREATE INDEX "portal_setup_links_organization_id_idx" ON "portal_setup_links"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "custom_domains_host_key" ON "custom_domains"("host");

-- CreateIndex
CREATE INDEX "custom_domains_organization_id_idx" ON "custom_domains"("organization_id");

-- CreateIndex
CREATE INDEX "grant_organizations_trust_rule_id_idx" ON "grant_organizations"("trust_rule_id");

-- AddForeignKey
ALTER TABLE "federation_members" ADD CONSTRAINT "federation_members_federation_id_fkey" FOREIGN KEY ("federation_id") REFERENCES "federations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "federation_members" ADD CONSTRAINT "federation_members_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_rules" ADD CONSTRAINT "trust_rules_federation_id_fkey" FOREIGN KEY ("federation_id") REFERENCES "federations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_rules" ADD CONSTRAINT "trust_rules_source_organization_id_fkey" FOREIGN KEY ("source_organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_rules" ADD CONSTRAINT "trust_rules_target_organization_id_fkey" FOREIGN KEY ("target_organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portal_setup_links" ADD CONSTRAINT "portal_setup_links_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_domains" ADD CONSTRAINT "custom_domains_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
