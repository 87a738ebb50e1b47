import { ActivityTypes, type TurnContext } from 'botbuilder';

/** Teams and Web Chat hide a typing indicator after about three seconds; renew it a little sooner. */
const RENEW_MS = 2_500;

/**
 * Shows "typing…" at once and keeps it up until `work` settles, so that a slow model answer does not
 * look like a dead bot. A failed indicator never fails the answer.
 */
export async function whileTyping<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
  const send = () => context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
  await send();
  const timer = setInterval(send, RENEW_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
