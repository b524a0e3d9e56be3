-- DropIndex
DROP INDEX "OutboxMessage_channel_status_idx";

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "adminId" TEXT,
ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "claimedUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_status_nextAttemptAt_idx" ON "OutboxMessage"("channel", "status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_adminId_status_idx" ON "OutboxMessage"("adminId", "status");

