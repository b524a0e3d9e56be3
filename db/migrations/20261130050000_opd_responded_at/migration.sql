-- AlterTable
ALTER TABLE "Case" ADD COLUMN "opdRespondedAt" DATETIME;

