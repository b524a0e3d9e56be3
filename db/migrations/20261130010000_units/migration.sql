-- CreateTable
CREATE TABLE "Unit" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "opdCode" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kecamatan" TEXT,
    "kelurahan" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Unit_opdCode_fkey" FOREIGN KEY ("opdCode") REFERENCES "Opd" ("code") ON DELETE RESTRICT ON UPDATE CASCADE
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
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    "rating" INTEGER,
    "resolved" BOOLEAN,
    "submittedAt" DATETIME NOT NULL,
    "verifiedAt" DATETIME,
    "forwardedAt" DATETIME,
    "firstResponseAt" DATETIME,
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
INSERT INTO "new_Case" ("answeredAt", "autoCloseAt", "categoryCode", "channel", "classifier", "classifierModel", "classifierReason", "classifyFallback", "classifyLatencyMs", "closedAt", "confidence", "conversationKey", "createdAt", "description", "firstResponseAt", "followUpDueAt", "forwardedAt", "id", "intakeKey", "kecamatan", "kelurahan", "latitude", "locationText", "longitude", "lowConfidence", "opdCode", "placeCode", "privacy", "rating", "reopenCount", "reportKind", "reporterId", "resolved", "status", "submittedAt", "tokensIn", "tokensOut", "trackingId", "updatedAt", "verifiedAt", "verifyDueAt") SELECT "answeredAt", "autoCloseAt", "categoryCode", "channel", "classifier", "classifierModel", "classifierReason", "classifyFallback", "classifyLatencyMs", "closedAt", "confidence", "conversationKey", "createdAt", "description", "firstResponseAt", "followUpDueAt", "forwardedAt", "id", "intakeKey", "kecamatan", "kelurahan", "latitude", "locationText", "longitude", "lowConfidence", "opdCode", "placeCode", "privacy", "rating", "reopenCount", "reportKind", "reporterId", "resolved", "status", "submittedAt", "tokensIn", "tokensOut", "trackingId", "updatedAt", "verifiedAt", "verifyDueAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE UNIQUE INDEX "Case_trackingId_key" ON "Case"("trackingId");
CREATE UNIQUE INDEX "Case_intakeKey_key" ON "Case"("intakeKey");
CREATE INDEX "Case_reporterId_idx" ON "Case"("reporterId");
CREATE INDEX "Case_status_idx" ON "Case"("status");
CREATE INDEX "Case_opdCode_status_idx" ON "Case"("opdCode", "status");
CREATE INDEX "Case_unitCode_status_idx" ON "Case"("unitCode", "status");
CREATE INDEX "Case_submittedAt_idx" ON "Case"("submittedAt");
CREATE TABLE "new_Admin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "opdCode" TEXT,
    "unitCode" TEXT,
    "conversationKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,
    "removedAt" DATETIME,
    CONSTRAINT "Admin_opdCode_fkey" FOREIGN KEY ("opdCode") REFERENCES "Opd" ("code") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Admin_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit" ("code") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Admin" ("conversationKey", "createdAt", "createdBy", "id", "name", "opdCode", "removedAt", "role") SELECT "conversationKey", "createdAt", "createdBy", "id", "name", "opdCode", "removedAt", "role" FROM "Admin";
DROP TABLE "Admin";
ALTER TABLE "new_Admin" RENAME TO "Admin";
CREATE UNIQUE INDEX "Admin_conversationKey_key" ON "Admin"("conversationKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Unit_opdCode_idx" ON "Unit"("opdCode");

