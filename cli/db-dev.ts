import { startLocalPglite } from '../scripts/local-pglite.ts';
import { startLocalPostgres } from '../scripts/local-postgres.ts';

/**
 * `npm run db:dev`: a throwaway PostgreSQL (Debian's server) on 127.0.0.1 for trying DATABASE_URL; its
 * data lives in a temp dir and goes when this stops (Ctrl-C). `npm run db:dev -- --vectors`: PGlite with
 * pgvector instead, for an index with model embeddings (Debian's server has no pgvector), in memory.
 */
const vectors = process.argv.includes('--vectors');
const server = vectors ? await startLocalPglite() : await startLocalPostgres();
console.log(`${vectors ? 'PGlite (PostgreSQL with pgvector)' : 'PostgreSQL'} is running: DATABASE_URL=${server.url}`);
console.log(`Try: DATABASE_URL=${server.url} npm run ingest && DATABASE_URL=${server.url} npm start`);
console.log('Ctrl-C stops it and deletes its data.');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
