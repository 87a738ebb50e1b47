import OpenAI, { AzureOpenAI } from 'openai';
import { modelProvider, type Settings } from '../../config/settings.ts';
import { ModelUnavailableError } from './model-unavailable-error.ts';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry-policy.ts';

/**
 * One chat completion at a time, from whichever provider the settings select, with the product's
 * timeout and retry policy. The `openai` client is used directly: it speaks to OpenAI, Azure OpenAI
 * and any OpenAI-compatible server alike, and its per-request timeout surfaces as a typed error.
 */

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatClient {
  /** The assistant's reply text ('' when the model said nothing); throws ModelUnavailableError. */
  complete(messages: ChatMessage[], what: string): Promise<string>;
}

export interface ChatClientOptions {
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
}

/** Compatible servers (Ollama, vLLM) usually need no key, but the client insists on one. */
const PLACEHOLDER_KEY = 'not-needed';

export function createChatClient(settings: Settings, options: ChatClientOptions = {}): ChatClient | undefined {
  const provider = modelProvider(settings);
  if (!provider) return undefined;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry, maxRetries: settings.MODEL_MAX_RETRIES };
  // Everything is passed explicitly: the client would otherwise read OPENAI_* from process.env,
  // which need not be where these settings came from.
  const common = { timeout: settings.MODEL_TIMEOUT_MS, maxRetries: 0, organization: null, project: null };
  let client: OpenAI;
  let model: string;
  switch (provider) {
    case 'azure':
      model = settings.AZURE_OPENAI_CHAT_DEPLOYMENT ?? '';
      if (!model) return undefined;
      client = new AzureOpenAI({
        ...common,
        endpoint: settings.AZURE_OPENAI_ENDPOINT,
        apiKey: settings.AZURE_OPENAI_API_KEY,
        apiVersion: settings.AZURE_OPENAI_API_VERSION,
        deployment: model,
      });
      break;
    case 'compatible':
      model = settings.OPENAI_CHAT_MODEL;
      client = new OpenAI({ ...common, baseURL: settings.OPENAI_BASE_URL, apiKey: settings.OPENAI_API_KEY ?? PLACEHOLDER_KEY });
      break;
    case 'openai':
      model = settings.OPENAI_CHAT_MODEL;
      client = new OpenAI({ ...common, baseURL: 'https://api.openai.com/v1', apiKey: settings.OPENAI_API_KEY });
      break;
  }

  return {
    async complete(messages, what) {
      const completion: unknown = await withRetries(
        () => client.chat.completions.create({ model, messages, temperature: 0 }),
        policy,
        what,
      );
      return replyText(completion, what);
    },
  };
}

/**
 * Servers that are only "compatible" answer 200 with odd bodies (HTML from a proxy, an error object,
 * no choices); such a reply is a failed call, not an empty answer.
 */
function replyText(completion: unknown, what: string): string {
  const choices = (completion as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) throw new ModelUnavailableError(`${what} failed: the server's reply is not a chat completion`);
  const content = (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content;
  if (content === null || content === undefined) return '';
  if (typeof content !== 'string') throw new ModelUnavailableError(`${what} failed: the reply's content is not text`);
  return content;
}
