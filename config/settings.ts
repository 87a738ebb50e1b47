import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * Every setting of the product, read from the environment (and `.env` if present) and validated once.
 * `.env.example` documents each one; keep the two in step.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

/**
 * Azure Bot Service, the Bot Framework samples and their ARM templates name the bot's credentials
 * `MicrosoftAppId`, …; this product's own names are `MICROSOFT_APP_ID`, …. Either is accepted. Setting
 * both to the same value is fine; to different values is an error naming both, so that no one has to
 * guess which of the two the server used.
 */
export const CREDENTIAL_ALIASES = {
  MICROSOFT_APP_ID: 'MicrosoftAppId',
  MICROSOFT_APP_PASSWORD: 'MicrosoftAppPassword',
  MICROSOFT_APP_TYPE: 'MicrosoftAppType',
  MICROSOFT_APP_TENANT_ID: 'MicrosoftAppTenantId',
} as const;

// Any other setting whose name looks like a Bot Framework credential (MicrosoftAppID, MICROSOFT_APP_SECRET,
// microsoftapppassword, …): without an app id such a setting means the operator meant to authenticate.
const CREDENTIAL_LIKE = /^microsoft_?app_?/i;
// The app type alone is not a credential: MultiTenant is the default and says nothing about intent.
const APP_TYPE_NAMES = new Set(['MICROSOFT_APP_TYPE', CREDENTIAL_ALIASES.MICROSOFT_APP_TYPE]);

const schema = z.object({
  CORPUS_DIR: z.string().default('corpus'),
  INDEX_DIR: z.string().default('data/index'),
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_QUESTIONS: bool.default(false),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  OPENAI_CHAT_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_ENDPOINT: optionalString.pipe(z.url().optional()),
  AZURE_OPENAI_API_VERSION: z.string().default('2024-10-21'),
  AZURE_OPENAI_CHAT_DEPLOYMENT: optionalString,
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalString,
  MODEL_TIMEOUT_MS: positiveInt(20_000),
  MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),

  HOST: optionalString,
  PORT: z.coerce.number().int().min(0).max(65_535).default(3978),
  AUTO_INGEST: bool.default(true),
  API_KEY: optionalString,
  MAX_BODY_BYTES: positiveInt(262_144),
  MAX_QUESTION_CHARS: positiveInt(2_000),
  RATE_LIMIT_USER_PER_MINUTE: positiveInt(20),
  RATE_LIMIT_GLOBAL_PER_MINUTE: positiveInt(600),

  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TYPE: optionalString
    .transform((v) => (v === undefined ? 'MultiTenant' : (APP_TYPES.find((t) => t.toLowerCase() === v.toLowerCase()) ?? v)))
    .pipe(z.enum(APP_TYPES)),
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_CERT_THUMBPRINT: optionalString,
  MICROSOFT_APP_CERT_KEY_FILE: optionalString,
  ALLOWED_TENANTS: optionalString,
  ALLOWED_SERVICE_URLS: optionalString,
  BOT_OPENID_METADATA_URL: optionalString.pipe(z.url().optional()),
  INDEX_RELOAD_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt(30_000),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SOCKET_MODE: bool.default(false),
  SLACK_API_URL: optionalString.pipe(z.url().optional()),

  STATE_STORE: z.enum(['file', 'redis']).default('file'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),

  DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional()),
});

export type Settings = z.infer<typeof schema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every setting.`);
    this.name = 'SettingsError';
  }
}

/** Validates `env` (default: process.env plus `.env`); throws SettingsError naming each bad setting. */
export function loadSettings(given: Record<string, string | undefined> = readEnvironment()): Settings {
  const { env, problems: nameProblems } = resolveCredentialNames(given);
  if (nameProblems.length) throw new SettingsError(nameProblems);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])] ?? null)})`),
    );
  }
  const s = parsed.data;
  const problems: string[] = [];
  if (s.AZURE_OPENAI_ENDPOINT && !s.AZURE_OPENAI_API_KEY) problems.push('AZURE_OPENAI_API_KEY: required when AZURE_OPENAI_ENDPOINT is set');
  if (s.MICROSOFT_APP_ID && !s.MICROSOFT_APP_PASSWORD && !s.MICROSOFT_APP_CERT_THUMBPRINT && s.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD (or MicrosoftAppPassword): required with the app id (or set MICROSOFT_APP_CERT_THUMBPRINT, or MICROSOFT_APP_TYPE=UserAssignedMSI)');
  }
  if (s.MICROSOFT_APP_CERT_THUMBPRINT && !s.MICROSOFT_APP_CERT_KEY_FILE) problems.push('MICROSOFT_APP_CERT_KEY_FILE: required with MICROSOFT_APP_CERT_THUMBPRINT (the PEM private key of the certificate)');
  if (s.MICROSOFT_APP_TYPE === 'SingleTenant' && s.MICROSOFT_APP_ID && !s.MICROSOFT_APP_TENANT_ID) problems.push('MICROSOFT_APP_TENANT_ID (or MicrosoftAppTenantId): required when MICROSOFT_APP_TYPE=SingleTenant');
  if (!s.MICROSOFT_APP_ID) {
    const credentialLike = Object.keys(given).filter((name) => CREDENTIAL_LIKE.test(name) && present(given[name]) && !APP_TYPE_NAMES.has(name));
    if (s.MICROSOFT_APP_TYPE !== 'MultiTenant' || credentialLike.length) {
      const named = [...credentialLike, ...(s.MICROSOFT_APP_TYPE !== 'MultiTenant' ? [`MICROSOFT_APP_TYPE=${s.MICROSOFT_APP_TYPE}`] : [])];
      problems.push(
        `MICROSOFT_APP_ID (or MicrosoftAppId): required because ${named.join(', ')} ${named.length > 1 ? 'are' : 'is'} set; the server will not start unauthenticated while Bot Framework credentials are configured. Set the app id, or remove ${named.length > 1 ? 'these settings' : 'that setting'} for an unauthenticated local trial.`,
      );
    }
  }
  if (s.SLACK_BOT_TOKEN && !s.SLACK_SIGNING_SECRET && !s.SLACK_SOCKET_MODE) problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (unless SLACK_SOCKET_MODE=true)');
  for (const url of (s.ALLOWED_SERVICE_URLS ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) problems.push(`ALLOWED_SERVICE_URLS: "${url}" is not an http(s) URL`);
  }
  if (s.SLACK_SOCKET_MODE && !s.SLACK_APP_TOKEN) problems.push('SLACK_APP_TOKEN: required when SLACK_SOCKET_MODE=true');
  if (problems.length) throw new SettingsError(problems);
  return s;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** The environment with each Azure-style credential name moved to its product name; conflicts are problems. */
function resolveCredentialNames(given: Record<string, string | undefined>): { env: Record<string, string | undefined>; problems: string[] } {
  const env = { ...given };
  const problems: string[] = [];
  for (const [name, alias] of Object.entries(CREDENTIAL_ALIASES)) {
    const ours = given[name];
    const theirs = given[alias];
    delete env[alias];
    if (!present(theirs)) continue;
    if (present(ours) && ours.trim() !== theirs.trim()) {
      problems.push(`${name} and ${alias} are both set, to different values; they are the same setting under two names, so set only one of them.`);
      continue;
    }
    env[name] = theirs;
  }
  return { env, problems };
}

function readEnvironment(): Record<string, string | undefined> {
  const fromFile: Record<string, string> = {};
  loadDotenv({ processEnv: fromFile, quiet: true });
  return { ...fromFile, ...process.env };
}

/** Which model provider the settings select; `undefined` is the embedded offline default. */
export type ModelProvider = 'openai' | 'azure' | 'compatible';
export function modelProvider(s: Settings): ModelProvider | undefined {
  if (s.AZURE_OPENAI_ENDPOINT) return 'azure';
  if (s.OPENAI_BASE_URL) return 'compatible';
  if (s.OPENAI_API_KEY) return 'openai';
  return undefined;
}
