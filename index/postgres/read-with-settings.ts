import type pg from 'pg';

/**
 * Runs `read` in a read-only transaction of its own, with planner or extension settings that end
 * with it (SET LOCAL): a pooled connection goes back to the pool as it came.
 */
export async function readWithSettings<T>(pool: pg.Pool, settings: string[], read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    for (const setting of settings) await client.query(`SET LOCAL ${setting}`);
    const result = await read(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
