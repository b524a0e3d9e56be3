-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "emergencyKind" TEXT,
ADD COLUMN     "mergedIntoId" TEXT,
ADD COLUMN     "urgent" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CaseSupporter" (
    "caseId" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "fromCaseId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseSupporter_pkey" PRIMARY KEY ("caseId","citizenId")
);

-- CreateIndex
CREATE INDEX "CaseSupporter_citizenId_idx" ON "CaseSupporter"("citizenId");

-- CreateIndex
CREATE INDEX "Case_urgent_status_idx" ON "Case"("urgent", "status");

-- AddForeignKey
ALTER TABLE "CaseSupporter" ADD CONSTRAINT "CaseSupporter_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseSupporter" ADD CONSTRAINT "CaseSupporter_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

