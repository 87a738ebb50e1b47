import type { Settings } from '../../config/settings.ts';
import type { ModelAnswerer } from '../../core/answer.ts';
import { createChatClient, type ChatClientOptions } from './chat-client.ts';
import { ChatModelAnswerer } from './model-answerer.ts';

export { ModelUnavailableError } from './model-unavailable-error.ts';

/**
 * The model answerer the settings call for: OpenAI (OPENAI_API_KEY), Azure OpenAI (endpoint, key
 * and AZURE_OPENAI_CHAT_DEPLOYMENT) or any OpenAI-compatible server (OPENAI_BASE_URL). Undefined in
 * the offline default, and with Azure settings that name no chat deployment (embeddings only).
 * `options.retry` overrides the backoff delays (tests use milliseconds).
 */
export function createModelAnswerer(settings: Settings, options: ChatClientOptions = {}): ModelAnswerer | undefined {
  const chat = createChatClient(settings, options);
  return chat && new ChatModelAnswerer(chat);
}
