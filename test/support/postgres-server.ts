export { startLocalPostgres as startPostgresServer, type LocalPostgres as TestPostgres } from '../../scripts/local-postgres.ts';
