import type { Embeddings } from '@langchain/core/embeddings';
import { modelProvider, type Settings } from '../../config/settings.ts';

/**
 * Without a model the index has no vectors: retrieval is lexical (offline vectors measured worse than
 * BM25 alone on the dev set and cost most of every build, so they are not made).
 */
export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_MODEL = 'lexical';

/**
 * Which embeddings the settings select. The index records the identity of the embeddings that made
 * its vectors; querying with any other would compare vectors from different spaces.
 */

export interface EmbeddingsIdentity {
  /** "offline", "openai", "azure" or "compatible". */
  provider: string;
  /** OFFLINE_MODEL, the OpenAI model, or the Azure deployment. */
  model: string;
}

export function selectedEmbeddings(settings: Settings): EmbeddingsIdentity {
  const provider = modelProvider(settings);
  if (provider === 'azure') return { provider, model: settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT ?? settings.OPENAI_EMBEDDING_MODEL };
  if (provider) return { provider, model: settings.OPENAI_EMBEDDING_MODEL };
  return { provider: OFFLINE_PROVIDER, model: OFFLINE_MODEL };
}

/**
 * The model embeddings the settings configure, or undefined for the offline default. LangChain's OpenAI
 * package is loaded only then: it takes longer to load than the rest of an ingest's or a server's code
 * together (about 0.6 s on a quiet machine here), which an offline process never needs.
 */
export async function createModelEmbeddings(settings: Settings): Promise<Embeddings | undefined> {
  const provider = modelProvider(settings);
  if (!provider) return undefined;
  const { AzureOpenAIEmbeddings, OpenAIEmbeddings } = await import('@langchain/openai');
  const common = { timeout: settings.MODEL_TIMEOUT_MS, maxRetries: settings.MODEL_MAX_RETRIES };
  if (provider === 'azure') {
    return new AzureOpenAIEmbeddings({
      ...common,
      azureOpenAIApiKey: settings.AZURE_OPENAI_API_KEY,
      azureOpenAIEndpoint: settings.AZURE_OPENAI_ENDPOINT,
      azureOpenAIApiVersion: settings.AZURE_OPENAI_API_VERSION,
      azureOpenAIApiEmbeddingsDeploymentName: selectedEmbeddings(settings).model,
    });
  }
  return new OpenAIEmbeddings({
    ...common,
    model: settings.OPENAI_EMBEDDING_MODEL,
    // Local servers (Ollama, vLLM) accept any key, but the client insists on one.
    apiKey: settings.OPENAI_API_KEY ?? 'not-needed',
    configuration: settings.OPENAI_BASE_URL ? { baseURL: settings.OPENAI_BASE_URL } : undefined,
  });
}
