import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL with pgvector for the vector side of DATABASE_URL: Debian bookworm ships no pgvector, so
 * the tests and `npm run db:dev -- --vectors` run PGlite (PostgreSQL compiled to WebAssembly, with the
 * extension) in this process, behind its wire-protocol server on 127.0.0.1, and talk to it with `pg`
 * as to any server. Its data lives in memory and goes when it stops.
 */
export interface LocalPglite {
  url: string;
  stop(): Promise<void>;
}

/** The pool a replica opens (4) plus a publisher and a test's own connection. */
const MAX_CONNECTIONS = 8;

export async function startLocalPglite(): Promise<LocalPglite> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
