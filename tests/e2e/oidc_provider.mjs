// A real OpenID Connect provider for the single sign-on test: oidc-provider
// (certified by the OpenID Foundation), on loopback, shaped like ProConnect:
// the scopes `email given_name usual_name uid siret`, the person's claims only
// in the userinfo answer, a JWT signed with the provider's RS256 key
// (`application/jwt`), never in the ID token.
//
// Configured by environment variables: OIDC_PORT, OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI (the app's /oauth2callback),
// OIDC_ACCOUNTS (JSON: login -> claims). The login page is oidc-provider's
// development interaction (any password); its pages load nothing from
// outside (the default ones import a web font).
//
// Plain http on loopback: oidc-provider accepts an http issuer (it only
// warns that it is not for production); Authlib, on Streamlit's side,
// accepts http for 127.0.0.1 and localhost.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const redirect = process.env.OIDC_REDIRECT_URI;

const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [redirect],
      post_logout_redirect_uris: [redirect],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      userinfo_signed_response_alg: 'RS256',
    },
  ],
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'uid', 'siret'],
  claims: {
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
  },
  async findAccount(ctx, id) {
    if (!(id in accounts)) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  features: {
    devInteractions: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '');
      },
    },
  },
  pkce: { required: () => false },
  cookies: { keys: ['tracker-e2e-only'] },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<pre>${JSON.stringify(out)}</pre>`);
  },
});
provider.proxy = false;

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
