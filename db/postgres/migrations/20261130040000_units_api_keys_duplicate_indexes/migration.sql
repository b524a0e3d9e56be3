-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "accusedOpdCode" TEXT,
ADD COLUMN     "accusedUnitCode" TEXT,
ADD COLUMN     "unitCode" TEXT;

-- AlterTable
ALTER TABLE "Admin" ADD COLUMN     "unitCode" TEXT;

-- CreateTable
CREATE TABLE "Unit" (
    "code" TEXT NOT NULL,
    "opdCode" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kecamatan" TEXT,
    "kelurahan" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Unit_opdCode_idx" ON "Unit"("opdCode");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_name_key" ON "ApiKey"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "Case_unitCode_status_idx" ON "Case"("unitCode", "status");

-- CreateIndex
CREATE INDEX "Case_latitude_longitude_idx" ON "Case"("latitude", "longitude");

-- CreateIndex
CREATE INDEX "Case_kelurahan_submittedAt_opdCode_categoryCode_status_idx" ON "Case"("kelurahan", "submittedAt", "opdCode", "categoryCode", "status");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_opdCode_fkey" FOREIGN KEY ("opdCode") REFERENCES "Opd"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Admin" ADD CONSTRAINT "Admin_unitCode_fkey" FOREIGN KEY ("unitCode") REFERENCES "Unit"("code") ON DELETE SET NULL ON UPDATE CASCADE;

