-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "access" TEXT NOT NULL DEFAULT 'read_write';
