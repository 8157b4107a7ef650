// A real OpenID Connect provider for the tests of issue 18's sign-in, and for nothing else.
//
//   node tests/oidc_provider/server.mjs --port N --redirect-uri URI [--redirect-uri URI ...]
//        [--post-logout-redirect-uri URI ...] [--client-secret SECRET]
//
// It listens on 127.0.0.1 only, with the issuer http://127.0.0.1:N, and prints one line,
// `READY http://127.0.0.1:N`, once it accepts connections (`--port 0` picks a free port and the
// line says which). It is built on the `oidc-provider` package (a certified OpenID provider), so
// the app's relying party is tested against real discovery, PKCE, client authentication, JWKS and
// ID token signing rather than a mock of them. On top of it, for tests:
//
//   - a fixed set of accounts shaped like Microsoft Entra ID's (oid, tid, groups in the ID token,
//     Entra's "groups overage" shape for one account), signed in by username on the provider's own
//     HTML login page with any password, and no consent page;
//   - control endpoints on the same port, JSON in and out, unauthenticated (loopback test tool):
//       POST /test/accounts/<username>  {"groups": [...], "amr": [...]}  change an account
//       POST /test/tamper               {"mode": M}  spoil the ID token of every later /token
//                                        response: expired, wrong-signature, wrong-audience,
//                                        wrong-issuer, unsigned; null stops
//       POST /test/reset                 every account as it started, and no tampering.
//
// Quiet by design: stdout carries only the READY line; stderr only errors.

import * as http from 'node:http';
import * as crypto from 'node:crypto';

// oidc-provider prints notices on import and on first use of its defaults (development-only
// adapter, an LTS warning on node 20, "you SHOULD change ..."). They are right for a production
// server and noise for a test tool whose stdout a test reads, so drop exactly those lines before
// importing it; everything else written to the console still comes through.
for (const method of ['info', 'warn', 'log']) {
  const original = console[method].bind(console);
  console[method] = (first, ...rest) => {
    if (typeof first === 'string' && first.includes('oidc-provider ')) return;
    original(first, ...rest);
  };
}

// Dynamic imports so that the console filter above is in place first (static imports are hoisted).
const { default: Provider } = await import('oidc-provider');
// jose is oidc-provider's own dependency (installed with it); the tamper hook re-signs with it.
const jose = await import('jose');

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = { port: 0, redirectUris: [], postLogoutRedirectUris: [], clientSecret: null };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${name} needs a value`);
    i += 1;
    switch (name) {
      case '--port': options.port = Number.parseInt(value, 10); break;
      case '--redirect-uri': options.redirectUris.push(value); break;
      case '--post-logout-redirect-uri': options.postLogoutRedirectUris.push(value); break;
      case '--client-secret': options.clientSecret = value; break;
      default: throw new Error(`unknown option ${name}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('--port must be a port number (0 picks a free one)');
  }
  if (options.redirectUris.length === 0) throw new Error('at least one --redirect-uri is needed');
  return options;
}

const options = parseArgs(process.argv.slice(2));

const CLIENT_ID = 'practice-review';
const CLIENT_SECRET = options.clientSecret ?? 'practice-review-test-secret';
const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const EMAIL_DOMAIN = 'council.example';

// ---------------------------------------------------------------------------------------------
// Accounts

// Each account as it starts; /test/accounts changes a copy and /test/reset goes back to these.
// oid values are fixed so that a test can name the person the app should have matched.
const INITIAL_ACCOUNTS = {
  'qa.lead': {
    oid: 'a0000000-0000-4000-8000-000000000001',
    name: 'Quinn Lead',
    email: 'qa.lead@council.example',
    groups: ['grp-qa-lead'],
    amr: ['pwd', 'mfa'],
  },
  reviewer: {
    oid: 'a0000000-0000-4000-8000-000000000002',
    name: 'Riley Reviewer',
    groups: ['grp-reviewer'],
    amr: ['pwd', 'mfa'],
  },
  'two.groups': {
    oid: 'a0000000-0000-4000-8000-000000000003',
    name: 'Tess Twogroups',
    groups: ['grp-reviewer', 'grp-qa-lead'],
    amr: ['pwd', 'mfa'],
  },
  'no.group': {
    oid: 'a0000000-0000-4000-8000-000000000004',
    name: 'Nora Nogroup',
    groups: ['grp-somewhere-else'],
    amr: ['pwd', 'mfa'],
  },
  'no.mfa': {
    oid: 'a0000000-0000-4000-8000-000000000005',
    name: 'Nico Nomfa',
    groups: ['grp-reviewer'],
    amr: ['pwd'],
  },
  mover: {
    oid: 'a0000000-0000-4000-8000-000000000006',
    name: 'Morgan Mover',
    groups: ['grp-reviewer'],
    amr: ['pwd', 'mfa'],
  },
  // Entra leaves `groups` out when a person is in too many groups (over 200 in a JWT) and says
  // where to fetch them instead, as a distributed claim. `overage: true` gives that shape.
  overage: {
    oid: 'a0000000-0000-4000-8000-000000000007',
    name: 'Olive Overage',
    groups: null,
    overage: true,
    amr: ['pwd', 'mfa'],
  },
};

let accounts = structuredClone(INITIAL_ACCOUNTS);

// The claims an account has now. findAccount's claims() is called when the ID token is made (at
// the token endpoint), so a group change made with /test/accounts shows in every later token.
function claimsFor(username) {
  const account = accounts[username];
  const email = account.email ?? `${username}@${EMAIL_DOMAIN}`;
  const claims = {
    sub: subjectOf(username),
    oid: account.oid,
    tid: TENANT_ID,
    email,
    email_verified: true,
    name: account.name,
    // Entra puts the user principal name here, which looks like an email address.
    preferred_username: email,
  };
  if (account.overage) {
    // oidc-provider emits distributed claims itself: _claim_names / _claim_sources entries are
    // kept for the claims that the scope allows (groups is in the `openid` scope below).
    claims._claim_names = { groups: 'src1' };
    claims._claim_sources = {
      src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${account.oid}/getMemberObjects` },
    };
  } else {
    claims.groups = [...account.groups];
  }
  return claims;
}

// Entra's sub is an opaque per-application id, neither the username nor the oid; so is this one,
// so that a relying party that matches people on the wrong claim is caught. oidc-provider uses
// the account id as sub, so the account id is this, and the login page maps usernames to it.
function subjectOf(username) {
  return `sub-${crypto.hash('sha256', `practice-review:${username}`, 'base64url').slice(0, 22)}`;
}

function usernameOf(sub) {
  return Object.keys(accounts).find((username) => subjectOf(username) === sub);
}

async function findAccount(ctx, sub) {
  const username = usernameOf(sub);
  if (username === undefined) return undefined;
  return {
    accountId: sub,
    async claims() {
      return claimsFor(username);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Keys

// One RS256 signing key for the provider's life, published on jwks_uri. The private JWK is kept
// so that the tamper hook can re-sign a changed ID token with the real key.
const KID = 'practice-review-test-key';
const signingJwk = {
  ...await jose.exportJWK((await jose.generateKeyPair('RS256', { extractable: true })).privateKey),
  kid: KID,
  alg: 'RS256',
  use: 'sig',
};
const signingKey = await jose.importJWK(signingJwk, 'RS256');
// A second key that the JWKS never shows, for `wrong-signature`: same kid, different key.
const impostorKey = (await jose.generateKeyPair('RS256')).privateKey;

// ---------------------------------------------------------------------------------------------
// Pages (the provider's own: login, sign-out, errors)

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} - Test identity provider</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function loginPage(uid, { username = '', error = null } = {}) {
  const message = error ? `<p role="alert" id="login-error">${escapeHtml(error)}</p>` : '';
  return page('Sign in', `${message}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <p><label for="login">Username</label>
  <input id="login" name="login" type="text" required autofocus value="${escapeHtml(username)}"></p>
  <p><label for="password">Password</label>
  <input id="password" name="password" type="password" required></p>
  <p><button type="submit">Sign in</button></p>
</form>`);
}

// RP-initiated logout: oidc-provider hands over a form (with its own xsrf field) that must be
// posted with logout=yes to end the session. A person would click "Sign out"; the script does it
// at once so that a browser test flows straight back to the post_logout_redirect_uri.
async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = page('Sign out', `${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></p>
<script>document.querySelector('button[name="logout"]').click();</script>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = page('Signed out', '<p>You have signed out.</p>');
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page('Error', Object.entries(out)
    .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
    .join('\n'));
}

// ---------------------------------------------------------------------------------------------
// The provider

const SCOPES = 'openid profile email';
const CLAIMS = {
  // groups, oid, tid and amr in the `openid` scope: Entra sends them whatever the scope.
  openid: ['sub', 'oid', 'tid', 'groups', 'amr'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
};

// No consent page: the first time this client is used in a session, the grant it needs is made
// here, with every scope and claim (the recipe oidc-provider documents for first-party clients).
async function loadExistingGrant(ctx) {
  const { client, session, provider } = ctx.oidc;
  const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
  if (grantId) return provider.Grant.find(grantId);
  if (!session.accountId) return undefined;
  const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope(SCOPES);
  grant.addOIDCClaims(Object.values(CLAIMS).flat());
  await grant.save();
  return grant;
}

// The HTTP server listens before the provider exists so that `--port 0` can choose the port and
// the issuer can still name it.
const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(options.port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: options.redirectUris,
    post_logout_redirect_uris: options.postLogoutRedirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    // Entra's confidential-client default; see clientAuthMethods below for why it is enforced there.
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  // oidc-provider treats client_secret_basic and client_secret_post as one method (a client
  // registered for either may use both), so registering the client for basic alone does not
  // refuse a secret in the body. Offering only basic does: client_secret is then not read from the
  // body at all, and the token endpoint answers invalid_client. The relying party must use basic.
  clientAuthMethods: ['client_secret_basic'],
  responseTypes: ['code'],
  jwks: { keys: [signingJwk] },
  findAccount,
  scopes: SCOPES.split(' '),
  claims: CLAIMS,
  // Off so that the ID token carries every granted claim (groups, name, email ...) even though an
  // access token for userinfo is issued too; Entra's ID token carries them as well.
  conformIdTokenClaims: false,
  // PKCE on every authorization request (S256 is the only method oidc-provider 9 accepts).
  pkce: { required: () => true },
  loadExistingGrant,
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false }, // our own login page below instead
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  renderError,
  clientBasedCORS: () => false,
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 3600,
    Session: 8 * 3600,
    Grant: 8 * 3600,
  },
});

// Server errors (a bug here, not a refused request) go to stderr; refused requests are expected.
provider.on('server_error', (ctx, error) => console.error('server_error', error));

// ---------------------------------------------------------------------------------------------
// Request bodies for our own routes (oidc-provider parses its own)

async function readBody(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(ctx) {
  const text = await readBody(ctx);
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    ctx.throw(400, 'body is not JSON');
  }
  return {};
}

function isStringArray(value) {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

// ---------------------------------------------------------------------------------------------
// Test control endpoints

const TAMPER_MODES = new Set(['expired', 'wrong-signature', 'wrong-audience', 'wrong-issuer', 'unsigned']);
let tamperMode = null;

provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/test/')) return next();
  if (ctx.method !== 'POST') ctx.throw(405, 'POST only');
  const body = await readJson(ctx);

  if (ctx.path === '/test/reset') {
    accounts = structuredClone(INITIAL_ACCOUNTS);
    tamperMode = null;
    ctx.body = { ok: true };
    return undefined;
  }

  if (ctx.path === '/test/tamper') {
    const mode = body.mode ?? null;
    if (mode !== null && !TAMPER_MODES.has(mode)) ctx.throw(400, `unknown tamper mode ${mode}`);
    tamperMode = mode;
    ctx.body = { ok: true, mode };
    return undefined;
  }

  const match = /^\/test\/accounts\/([^/]+)$/.exec(ctx.path);
  if (match) {
    const username = decodeURIComponent(match[1]);
    if (!Object.hasOwn(accounts, username)) ctx.throw(404, `no account ${username}`);
    const account = accounts[username];
    for (const key of ['groups', 'amr']) {
      if (body[key] === undefined) continue;
      if (!isStringArray(body[key])) ctx.throw(400, `${key} must be a list of strings`);
      account[key] = [...body[key]];
    }
    // Groups given to the overage account replace its overage shape with a plain claim.
    if (body.groups !== undefined) account.overage = false;
    ctx.body = { ok: true, account: username, groups: account.groups, amr: account.amr };
    return undefined;
  }

  ctx.throw(404, 'no such test endpoint');
  return undefined;
});

// ---------------------------------------------------------------------------------------------
// Login page (the "interaction"): any password, login by username, consent granted automatically

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) return next();
  // Cache-Control as oidc-provider's own pages: these pages carry one-off state.
  ctx.set('Cache-Control', 'no-store');

  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== match[1]) ctx.throw(400, 'interaction mismatch');

  if (details.prompt.name !== 'login') {
    // Only consent can be left (loadExistingGrant normally prevents it): grant it and go on.
    const grant = new provider.Grant({ clientId: details.params.client_id, accountId: details.session.accountId });
    grant.addOIDCScope(SCOPES);
    grant.addOIDCClaims(Object.values(CLAIMS).flat());
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
    return undefined;
  }

  if (ctx.method === 'GET' && !match[2]) {
    ctx.type = 'html';
    ctx.body = loginPage(details.uid);
    return undefined;
  }

  if (ctx.method === 'POST' && match[2]) {
    const form = new URLSearchParams(await readBody(ctx));
    const username = (form.get('login') ?? '').trim();
    if (!Object.hasOwn(accounts, username) || !form.get('password')) {
      ctx.type = 'html';
      ctx.body = loginPage(details.uid, { username, error: 'Unknown username, or no password.' });
      return undefined;
    }
    // amr describes this sign-in, so it is fixed when the person signs in; oidc-provider keeps
    // it on the session and copies it into every ID token issued from that session.
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
      login: { accountId: subjectOf(username), amr: [...accounts[username].amr], remember: false },
    }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return undefined;
  }

  ctx.throw(405);
  return undefined;
});

// ---------------------------------------------------------------------------------------------
// Tampering with the ID token of the token endpoint's response

function base64urlJson(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function tamper(idToken, mode) {
  const header = jose.decodeProtectedHeader(idToken);
  const payload = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = signingKey;
  switch (mode) {
    case 'expired':
      payload.iat = now - 3600 - 300;
      payload.exp = now - 3600;
      if (payload.auth_time) payload.auth_time = payload.iat;
      break;
    case 'wrong-signature':
      key = impostorKey; // same header, same kid: only the signature is wrong
      break;
    case 'wrong-audience':
      payload.aud = 'someone-else';
      break;
    case 'wrong-issuer':
      payload.iss = 'http://evil.example';
      break;
    case 'unsigned':
      // alg "none" and an empty signature; the kid is kept, as an attacker who swapped only the
      // algorithm would, so a relying party is tested on its algorithm check, not on a missing kid.
      return `${base64urlJson({ ...header, alg: 'none' })}.${base64urlJson(payload)}.`;
    default:
      throw new Error(`unknown tamper mode ${mode}`);
  }
  return new jose.SignJWT(payload).setProtectedHeader(header).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (tamperMode && ctx.oidc?.route === 'token' && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, tamperMode) };
  }
});

// ---------------------------------------------------------------------------------------------

server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);

// Stop cleanly when the test runner terminates us.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // keep-alive connections would hold close() open
  });
}
