-- CreateTable
CREATE TABLE "CaseSupporter" (
    "caseId" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "fromCaseId" TEXT,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("caseId", "citizenId"),
    CONSTRAINT "CaseSupporter_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CaseSupporter_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Case" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trackingId" TEXT NOT NULL,
    "intakeKey" TEXT NOT NULL,
    "reportKind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "categoryCode" TEXT,
    "opdCode" TEXT,
    "unitCode" TEXT,
    "accusedOpdCode" TEXT,
    "accusedUnitCode" TEXT,
    "locationText" TEXT,
    "latitude" REAL,
    "longitude" REAL,
    "kelurahan" TEXT,
    "kecamatan" TEXT,
    "placeCode" TEXT,
    "privacy" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "reporterId" TEXT NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "classifier" TEXT,
    "classifierModel" TEXT,
    "confidence" REAL,
    "classifierReason" TEXT,
    "lowConfidence" BOOLEAN NOT NULL DEFAULT false,
    "classifyLatencyMs" INTEGER,
    "tokensIn" INTEGER,
    "tokensOut" INTEGER,
    "classifyFallback" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "emergencyKind" TEXT,
    "mergedIntoId" TEXT,
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    "rating" INTEGER,
    "resolved" BOOLEAN,
    "submittedAt" DATETIME NOT NULL,
    "verifiedAt" DATETIME,
    "forwardedAt" DATETIME,
    "firstResponseAt" DATETIME,
    "opdRespondedAt" DATETIME,
    "answeredAt" DATETIME,
    "closedAt" DATETIME,
    "verifyDueAt" DATETIME,
    "followUpDueAt" DATETIME,
    "autoCloseAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_categoryCode_fkey" FOREIGN KEY ("categoryCode") REFERENCES "Category" ("code") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_opdCode_fkey" FOREIGN KEY ("opdCode") REFERENCES "Opd" ("code") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit" ("code") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "Citizen" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Case" ("accusedOpdCode", "accusedUnitCode", "answeredAt", "autoCloseAt", "categoryCode", "channel", "classifier", "classifierModel", "classifierReason", "classifyFallback", "classifyLatencyMs", "closedAt", "confidence", "conversationKey", "createdAt", "description", "firstResponseAt", "followUpDueAt", "forwardedAt", "id", "intakeKey", "kecamatan", "kelurahan", "latitude", "locationText", "longitude", "lowConfidence", "opdCode", "opdRespondedAt", "placeCode", "privacy", "rating", "reopenCount", "reportKind", "reporterId", "resolved", "status", "submittedAt", "tokensIn", "tokensOut", "trackingId", "unitCode", "updatedAt", "verifiedAt", "verifyDueAt") SELECT "accusedOpdCode", "accusedUnitCode", "answeredAt", "autoCloseAt", "categoryCode", "channel", "classifier", "classifierModel", "classifierReason", "classifyFallback", "classifyLatencyMs", "closedAt", "confidence", "conversationKey", "createdAt", "description", "firstResponseAt", "followUpDueAt", "forwardedAt", "id", "intakeKey", "kecamatan", "kelurahan", "latitude", "locationText", "longitude", "lowConfidence", "opdCode", "opdRespondedAt", "placeCode", "privacy", "rating", "reopenCount", "reportKind", "reporterId", "resolved", "status", "submittedAt", "tokensIn", "tokensOut", "trackingId", "unitCode", "updatedAt", "verifiedAt", "verifyDueAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE UNIQUE INDEX "Case_trackingId_key" ON "Case"("trackingId");
CREATE UNIQUE INDEX "Case_intakeKey_key" ON "Case"("intakeKey");
CREATE INDEX "Case_reporterId_idx" ON "Case"("reporterId");
CREATE INDEX "Case_urgent_status_idx" ON "Case"("urgent", "status");
CREATE INDEX "Case_status_idx" ON "Case"("status");
CREATE INDEX "Case_opdCode_status_idx" ON "Case"("opdCode", "status");
CREATE INDEX "Case_unitCode_status_idx" ON "Case"("unitCode", "status");
CREATE INDEX "Case_submittedAt_idx" ON "Case"("submittedAt");
CREATE INDEX "Case_latitude_longitude_idx" ON "Case"("latitude", "longitude");
CREATE INDEX "Case_kelurahan_submittedAt_opdCode_categoryCode_status_idx" ON "Case"("kelurahan", "submittedAt", "opdCode", "categoryCode", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CaseSupporter_citizenId_idx" ON "CaseSupporter"("citizenId");

