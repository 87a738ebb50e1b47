import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenID metadata + JWKS server on 127.0.0.1 standing in for the Bot Framework token service, with the
 * RSA key it publishes, so that tests can sign tokens that botbuilder accepts, and forge others.
 */
export class OpenIdServer {
  readonly kid = 'test-signing-key';
  readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;

  get metadataUrl(): string {
    return `${this.origin}/.well-known/openidconfiguration`;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(endorsements: string[]): Promise<this> {
    const jwk = { ...this.keys.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', endorsements };
    this.server = createServer((req, res) => {
      const body = req.url === '/keys' ? { keys: [jwk] } : { issuer: 'https://api.botframework.com', jwks_uri: `${this.origin}/keys` };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

/** An RS256 JWT over `claims`, signed with `key` and naming `kid`. */
export function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const data = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${data}.${createSign('RSA-SHA256').update(data).sign(key).toString('base64url')}`;
}
