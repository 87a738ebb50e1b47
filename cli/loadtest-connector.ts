import { FakeConnector } from '../test/support/fake-connector.ts';

/**
 * The fake Bot Framework connector of `npm run loadtest`, in a process of its own: the real
 * connector runs elsewhere, so its share of each turn (receiving and parsing the reply) must not be
 * charged to the server being measured. Posts its service URL once started; answers "counts" with the
 * activities received by type; "stop", or the load test going away, ends it.
 */
const connector = await new FakeConnector({ keepCalls: false }).start();
process.send!({ serviceUrl: connector.serviceUrl });
process.on('message', (message: 'counts' | 'stop') => {
  if (message === 'counts') process.send!({ counts: connector.counts });
  else process.disconnect();
});
// However the load test ends, its connector ends with it.
process.once('disconnect', () => void connector.stop().finally(() => process.exit(0)));
