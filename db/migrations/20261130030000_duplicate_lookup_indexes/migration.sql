-- Duplicate lookup (db/find-duplicate-candidates.ts): open cases near a point, and recent cases of a kelurahan.
-- CreateIndex
CREATE INDEX "Case_latitude_longitude_idx" ON "Case"("latitude", "longitude");

-- CreateIndex
CREATE INDEX "Case_kelurahan_submittedAt_opdCode_categoryCode_status_idx" ON "Case"("kelurahan", "submittedAt", "opdCode", "categoryCode", "status");
