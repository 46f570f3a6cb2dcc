-- AlterTable
ALTER TABLE "directory_users" ADD COLUMN     "directory_roles" TEXT[] DEFAULT ARRAY[]::TEXT[];
