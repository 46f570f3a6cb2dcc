-- CreateTable
CREATE TABLE "impersonation_requests" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "operator_type" TEXT NOT NULL,
    "operator_id" TEXT NOT NULL,
    "operator_name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "read_only" BOOLEAN NOT NULL,
    "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "duration_seconds" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "approver_type" TEXT,
    "approver_id" TEXT,
    "handle_hash" TEXT NOT NULL,
    "ticket_hash" TEXT,
    "ticket_expires_at" TIMESTAMP(3),
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "start_by" TIMESTAMP(3) NOT NULL,
    "decided_at" TIMESTAMP(3),
    "started_at" TIMESTAMP(3),
    "ends_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "ended_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "impersonation_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "impersonation_requests_handle_hash_key" ON "impersonation_requests"("handle_hash");

-- CreateIndex
CREATE UNIQUE INDEX "impersonation_requests_ticket_hash_key" ON "impersonation_requests"("ticket_hash");

-- CreateIndex
CREATE INDEX "impersonation_requests_organization_id_id_idx" ON "impersonation_requests"("organization_id", "id");

-- CreateIndex
CREATE INDEX "impersonation_requests_user_id_idx" ON "impersonation_requests"("user_id");
