-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "SystemState";
PRAGMA foreign_keys=on;

