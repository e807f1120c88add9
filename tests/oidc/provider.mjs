// A real OpenID Connect provider for the tests: oidc-provider on 127.0.0.1, on a free port.
// Environment: REDIRECT_URIS (comma-separated), CLIENT_ID, CLIENT_SECRET, and optionally
// PKJWT_CLIENT_ID with PKJWT_JWKS (a public JWK Set) for a private_key_jwt client.
// Prints one JSON line {"issuer": ...} when it is ready. Any login name signs in, as the
// subject (sub) and the email of an account.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const env = process.env;
const redirectUris = (env.REDIRECT_URIS || '').split(',').filter(Boolean);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const clients = [{
  client_id: env.CLIENT_ID || 'proving-ground',
  client_secret: env.CLIENT_SECRET || 'test-secret',
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
}];
if (env.PKJWT_CLIENT_ID && env.PKJWT_JWKS) {
  clients.push({
    client_id: env.PKJWT_CLIENT_ID,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: JSON.parse(env.PKJWT_JWKS),
  });
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-only-cookie-key'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: `Officer ${id.split('@')[0]}` };
        },
      };
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
