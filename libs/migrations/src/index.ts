export { migrate, type MigrationSet } from './migrate.js';
export { ERR_MIGRATION_CHANGED, ERR_MIGRATION_FAILED } from './errors.js';
export { withTransaction } from './with-transaction.js';
export { migrationsBeside } from './migrations-dir.js';
