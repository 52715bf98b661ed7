// The generated post-login Action with the real, pinned `auth0` npm package, against the
// sandbox served over TLS. Started by `python -m tests.routing.action_sdk` (make test-action),
// which seeds the sandbox and sets the environment read below. Every scenario asserts the exact
// requests the sandbox logged; the time limits are asserted as configured (the requests a 429 or
// a slow API leave out), never by a wall clock.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run python -m tests.routing.action_sdk`);
  return value;
};
const action = require(env("ROUTING_ACTION_FILE"));
const SANDBOX = env("SANDBOX_URL");
const CONTROL = { authorization: `Bearer ${env("SANDBOX_CONTROL_TOKEN")}` };
const ORG_IDS = JSON.parse(env("SANDBOX_ORG_IDS"));
const SECRETS = {
  ROUTING_DOMAIN: env("ROUTING_DOMAIN"),
  ROUTING_CLIENT_ID: env("ROUTING_CLIENT_ID"),
  ROUTING_CLIENT_SECRET: env("ROUTING_CLIENT_SECRET"),
};
const NS = "https://app.example";
const ACME = ORG_IDS["acme-corp"];

async function control(method, path, body) {
  const response = await fetch(`${SANDBOX}/_sandbox/${path}`, {
    method,
    headers: { ...CONTROL, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} /_sandbox/${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

/** The requests to the token endpoint and the Management API since the last reset. */
async function requests() {
  const { calls } = await control("GET", "calls");
  return calls
    .filter((call) => call.path === "/oauth/token" || call.path.startsWith("/api/v2/"))
    .map((call) => `${call.method} ${decodeURIComponent(call.path)}${sortedQuery(call.query)} ${call.status}`);
}

/** A query string with its parameters in name order, so that requests compare as text. */
function sortedQuery(query) {
  if (!query) return "";
  const params = [...new URLSearchParams(query)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return "?" + params.map(([name, value]) => `${name}=${value}`).join("&");
}

let tokenRequests = 0;

/** Run one login; returns the claims, denials, metadata written and the requests it made. */
async function login(t, event) {
  await control("POST", "reset");
  const logged = [];
  t.mock.method(console, "log", (...args) => logged.push(args.join(" ")));
  const claims = { id: {}, access: {} };
  const denied = [];
  const metadata = [];
  const cache = new Map();
  const api = {
    idToken: { setCustomClaim: (name, value) => (claims.id[name] = value) },
    accessToken: { setCustomClaim: (name, value) => (claims.access[name] = value) },
    access: { deny: (reason) => denied.push(reason) },
    user: { setAppMetadata: (key, value) => metadata.push([key, value]) },
    cache: {
      get: (key) => cache.get(key),
      set: (key, value, { ttl }) => {
        cache.set(key, { value, expires_at: Date.now() + ttl });
        return { type: "success" };
      },
    },
  };
  await action.onExecutePostLogin({ secrets: SECRETS, ...event }, api);
  const made = await requests();
  tokenRequests += made.filter((line) => line.startsWith("POST /oauth/token")).length;
  assert.ok(logged.every((line) => !line.includes(SECRETS.ROUTING_CLIENT_SECRET)));
  return { claims, denied, metadata, logged, requests: made.filter((line) => !line.startsWith("POST /oauth/token")) };
}

const user = (user_id, email) => ({ user_id, email, email_verified: true });
const ALICE = user("auth0|alice", "alice@acme.com");
const DATABASE = { name: "Username-Password-Authentication" };
const throughOrganization = (name, roles) => ({
  organization: { id: ORG_IDS[name], name, display_name: name, metadata: {} },
  authorization: { roles },
});

test("a member logging in through an organization makes no request at all", async (t) => {
  const event = { user: ALICE, connection: DATABASE, ...throughOrganization("beta-llc", ["member"]) };
  const { claims, requests: made } = await login(t, event);
  assert.deepEqual(made, []);
  assert.equal(tokenRequests, 0);
  assert.deepEqual(claims.id, { [`${NS}/organization`]: "beta-llc", [`${NS}/roles`]: ["member"] });
  assert.deepEqual(claims.access, claims.id);
});

test("a member without an organization: one token, the memberships and the roles", async (t) => {
  const { claims, requests: made } = await login(t, { user: ALICE, connection: DATABASE });
  assert.equal(tokenRequests, 1);
  assert.deepEqual(made, [
    "GET /api/v2/users/auth0|alice/organizations?include_totals=true&page=0&per_page=100 200",
    `GET /api/v2/organizations/${ACME}/members/auth0|alice/roles?include_totals=true&page=0&per_page=100 200`,
  ]);
  assert.deepEqual(claims.id, { [`${NS}/organization`]: "acme-corp", [`${NS}/roles`]: ["admin"] });
});

test("a warm login asks for no token", async (t) => {
  const { requests: made } = await login(t, { user: ALICE, connection: DATABASE });
  assert.equal(made.length, 2);
  assert.equal(tokenRequests, 1);
});

test("a join: the organization by name, the member, one look-up per default role, the roles", async (t) => {
  const erin = user("auth0|erin", "erin@acme.com");
  const { claims, metadata, requests: made } = await login(t, { user: erin, connection: DATABASE });
  assert.deepEqual(made, [
    "GET /api/v2/users/auth0|erin/organizations?include_totals=true&page=0&per_page=100 200",
    "GET /api/v2/organizations/name/acme-corp 200",
    `POST /api/v2/organizations/${ACME}/members 204`,
    "GET /api/v2/roles?include_totals=true&name_filter=member&page=0&per_page=100 200",
    `GET /api/v2/roles?include_totals=true&name_filter=admin&owner_id=${ACME}&page=0&per_page=100&type=organization 200`,
    `POST /api/v2/organizations/${ACME}/members/auth0|erin/roles 204`,
  ]);
  assert.deepEqual(claims.id, { [`${NS}/organization`]: "acme-corp", [`${NS}/roles`]: ["admin", "member"] });
  assert.deepEqual(metadata, [["org_routing", { defaults_granted: ["acme-corp"] }]]);
  const again = await login(t, { user: erin, connection: DATABASE });
  assert.equal(again.requests.length, 2, "the next login finds a member with both roles");
  assert.deepEqual(again.claims.id[`${NS}/roles`], ["admin", "member"]);
});

test("an auto-membership newcomer gets the default roles: look-ups and one assignment", async (t) => {
  const zoe = user("waad|zoe", "zoe@contoso.example");
  const event = { user: zoe, connection: { name: "acme-azure-ad" }, ...throughOrganization("acme-corp", []) };
  const { claims, metadata, requests: made } = await login(t, event);
  assert.deepEqual(made, [
    "GET /api/v2/roles?include_totals=true&name_filter=member&page=0&per_page=100 200",
    `GET /api/v2/roles?include_totals=true&name_filter=admin&owner_id=${ACME}&page=0&per_page=100&type=organization 200`,
    `POST /api/v2/organizations/${ACME}/members/waad|zoe/roles 204`,
  ]);
  assert.deepEqual(claims.id, { [`${NS}/organization`]: "acme-corp", [`${NS}/roles`]: ["admin", "member"] });
  assert.deepEqual(metadata, [["org_routing", { defaults_granted: ["acme-corp"] }]]);
  const recorded = { ...zoe, app_metadata: { org_routing: metadata[0][1] } };
  const next = { ...event, user: recorded, ...throughOrganization("acme-corp", ["admin", "member"]) };
  assert.deepEqual((await login(t, next)).requests, []);
});

test("an absent user logging in through the organization is denied with no request", async (t) => {
  const mallory = user("auth0|mallory", "mallory@acme.com");
  const event = { user: mallory, connection: DATABASE, ...throughOrganization("acme-corp", ["member"]) };
  const { denied, claims, requests: made } = await login(t, event);
  assert.deepEqual(denied, ["access to acme-corp is not allowed"]);
  assert.deepEqual(made, []);
  assert.deepEqual(claims.id, {});
});

test("a 429 whose reset is far is not waited for: the organization claim alone", async (t) => {
  await control("PATCH", "settings", { rate_limit_rps: 0.04, rate_limit_burst: 1 });
  try {
    const { claims, logged, requests: made } = await login(t, { user: ALICE, connection: DATABASE });
    assert.deepEqual(made, [
      "GET /api/v2/users/auth0|alice/organizations?include_totals=true&page=0&per_page=100 200",
      `GET /api/v2/organizations/${ACME}/members/auth0|alice/roles?include_totals=true&page=0&per_page=100 429`,
    ]);
    assert.deepEqual(claims.id, { [`${NS}/organization`]: "acme-corp" });
    assert.deepEqual(logged, ["[org-routing] could not read roles in acme-corp: HTTP 429"]);
  } finally {
    await control("PATCH", "settings", { rate_limit_rps: null });
  }
});

test("a slow API: the request is abandoned at its timeout and not tried again", async (t) => {
  const slow = action.limits.requestTimeoutMs + 1000;
  await control("PATCH", "settings", { latency_ms: slow });
  try {
    const { claims, logged } = await login(t, { user: ALICE, connection: DATABASE });
    assert.deepEqual(claims.id, {});
    assert.deepEqual(logged, ["[org-routing] could not route auth0|alice: timed out"]);
    await new Promise((resolve) => setTimeout(resolve, slow - action.limits.requestTimeoutMs + 500));
    assert.deepEqual(await requests(), [
      "GET /api/v2/users/auth0|alice/organizations?include_totals=true&page=0&per_page=100 200",
    ]);
  } finally {
    await control("PATCH", "settings", { latency_ms: 0 });
  }
});

test("one process asked for one token in all", () => {
  assert.equal(tokenRequests, 1);
});
