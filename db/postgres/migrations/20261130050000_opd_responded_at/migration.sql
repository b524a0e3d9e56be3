-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "opdRespondedAt" TIMESTAMP(3);

