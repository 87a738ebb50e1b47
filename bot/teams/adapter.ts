import { CloudAdapter, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings.ts';
import { keepEntityProperties } from './entity-serialization.ts';
import { createBotFrameworkAuthentication } from '../auth/bot-framework-auth.ts';
import { languageOf } from '../question-guards.ts';

/**
 * The Bot Framework adapter: verifies incoming tokens and authenticates outgoing calls with the app's
 * credentials. With none configured, requests are accepted without a token, which is what the Agents
 * Playground, the Emulator and the tests send.
 */
export function createAdapter(settings: Settings, logger: Logger): CloudAdapter {
  keepEntityProperties();
  const adapter = new CloudAdapter(createBotFrameworkAuthentication(settings));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type !== 'message') return;
    try {
      await context.sendActivity(
        languageOf(context.activity.text ?? '') === 'zh'
          ? '抱歉，处理这个问题时出了错。请稍后再试一次。'
          : 'Sorry, something went wrong while answering. Please try again in a moment.',
      );
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };
  return adapter;
}
