// The generated post-login Action against the shared vectors, with a fake event, api and
// Management API client on a virtual clock. Run by `make test-action`, which generates the
// Action into a temporary folder named by ROUTING_ACTION_DIR (Node's built-in test runner, no
// packages; post_login_sdk.test.js runs it with the real auth0 package against the sandbox).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const actionDir = process.env.ROUTING_ACTION_DIR;
if (!actionDir) {
  throw new Error("set ROUTING_ACTION_DIR to the folder of the generated post_login.js");
}
const actionFile = path.join(actionDir, "post_login.js");
const action = require(actionFile);
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "vectors.json"), "utf8"));
const LIMITS = action.limits;

const SECRETS = {
  ROUTING_DOMAIN: "tenant.example",
  ROUTING_CLIENT_ID: "routing-client",
  ROUTING_CLIENT_SECRET: "not-a-real-secret",
};
const TENANT_ROLES = ["admin", "member", "viewer"];
const ORG_OWNED_ROLES = { "acme-corp": ["admin"] }; // as in tenant/organizations/acme-corp.yaml
const PAGE = { per_page: 100 };
const T0 = 1_800_000_000_000; // the virtual clock's start, a whole second
const LATENCY_MS = 20; // of every fake request without a fault

const orgId = (name) => `org_${name}`;
const roleId = (org, name) =>
  (ORG_OWNED_ROLES[org] || []).includes(name) ? `rol_${org}_${name}` : `rol_${name}`;

function virtualClock() {
  let now = T0;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A page of the auth0 SDK (one page: every fake list is shorter than per_page). */
function page(items) {
  return { data: items, hasNextPage: () => false, getNextPage: () => assert.fail("no next page") };
}

/** Applies the faults of a vector to one request on the virtual clock. */
function faultPlan(faults = []) {
  const used = new Map();
  return (name) => {
    const fault = faults.find(
      (candidate) =>
        (candidate.call === name || candidate.call === "*") &&
        (candidate.times === undefined || (used.get(candidate) || 0) < candidate.times),
    );
    if (fault !== undefined) used.set(fault, (used.get(fault) || 0) + 1);
    return fault;
  };
}

/** The outcome of one fake request: its latency, then a timeout, a status or success. */
function respond(clock, fault, timeoutMs) {
  const latency = fault && fault.latency_ms !== undefined ? fault.latency_ms : LATENCY_MS;
  if (latency > timeoutMs) {
    clock.advance(timeoutMs);
    const error = new Error(`timed out after ${timeoutMs} ms`);
    error.name = "TimeoutError";
    throw error;
  }
  clock.advance(latency);
  if (fault && fault.status !== undefined) {
    const reset = Math.ceil((clock.now() + (fault.reset_in_ms || 0)) / 1000);
    const error = new Error(`Status code: ${fault.status}`);
    error.statusCode = fault.status;
    error.rawResponse = { headers: new Headers({ "x-ratelimit-reset": String(reset) }) };
    throw error;
  }
}

/** A fake Management API client shaped like the auth0 package's, recording every call. */
function fakeManagement(memberships, { clock, fault, failures = {} }) {
  const calls = [];
  const options = [];
  const request = (name, requestOptions, ...args) => {
    calls.push([name, ...args]);
    options.push({ name, at: clock.now(), ...requestOptions });
    assert.equal(requestOptions.maxRetries, 0, `${name}: the SDK must not retry on its own`);
    const timeoutMs = requestOptions.timeoutInSeconds * 1000;
    assert.ok(timeoutMs <= LIMITS.requestTimeoutMs, `${name}: timeout ${timeoutMs} ms`);
    respond(clock, fault(name), timeoutMs);
    if (failures[name]) throw new Error(failures[name]);
  };
  const roles = TENANT_ROLES.map((name) => ({ id: `rol_${name}`, name }));
  for (const [org, names] of Object.entries(ORG_OWNED_ROLES)) {
    for (const name of names) roles.push({ id: roleId(org, name), name, owner_id: orgId(org) });
  }
  return {
    calls,
    options,
    users: {
      organizations: {
        list: async (userId, query, requestOptions) => {
          request("users.organizations.list", requestOptions, userId, query);
          return page(Object.keys(memberships).map((name) => ({ id: orgId(name), name })));
        },
      },
    },
    organizations: {
      getByName: async (name, requestOptions) => {
        request("organizations.getByName", requestOptions, name);
        return { id: orgId(name), name };
      },
      members: {
        create: async (id, body, requestOptions) => {
          request("organizations.members.create", requestOptions, id, body);
        },
        roles: {
          list: async (id, userId, query, requestOptions) => {
            request("organizations.members.roles.list", requestOptions, id, userId, query);
            const names = memberships[id.slice("org_".length)];
            return page(names.map((name) => ({ id: `rol_${name}`, name })));
          },
          assign: async (id, userId, body, requestOptions) => {
            request("organizations.members.roles.assign", requestOptions, id, userId, body);
          },
        },
      },
    },
    roles: {
      list: async (query, requestOptions) => {
        request("roles.list", requestOptions, query);
        const filter = query.name_filter.toLowerCase();
        return page(
          roles.filter(
            (role) =>
              role.name.toLowerCase().includes(filter) &&
              (query.owner_id === undefined || role.owner_id === query.owner_id),
          ),
        );
      },
    },
  };
}

/** Auth0's api.cache: values with an expiry, on the virtual clock. */
function fakeCache(clock, entries = new Map()) {
  const sets = [];
  return {
    sets,
    entries,
    get: (key) => {
      const found = entries.get(key);
      return found && found.expires_at > clock.now() ? found : undefined;
    },
    set: (key, value, { ttl }) => {
      sets.push({ key, value, ttl });
      entries.set(key, { value, expires_at: clock.now() + ttl });
      return { type: "success" };
    },
  };
}

function fakeApi(clock, cache = fakeCache(clock)) {
  const claims = { id: {}, access: {} };
  const denied = [];
  const metadata = [];
  const token = (into) => ({
    setCustomClaim: (name, value) => {
      into[name] = value;
    },
  });
  return {
    claims,
    denied,
    metadata,
    cache,
    idToken: token(claims.id),
    accessToken: token(claims.access),
    access: { deny: (reason) => denied.push(reason) },
    user: { setAppMetadata: (key, value) => metadata.push([key, value]) },
  };
}

/** The event Auth0 builds for a vector's login. */
function eventOf(login, secrets = SECRETS) {
  const event = { user: login.user, connection: { name: login.connection }, secrets };
  if (typeof login.organization === "string") {
    const name = login.organization;
    event.organization = { id: orgId(name), name, display_name: name, metadata: {} };
    event.authorization = { roles: (login.memberships || {})[name] || [] };
  }
  return event;
}

/** A fresh process of the Action: its dependencies on a new virtual clock. */
function freshProcess({ fault = faultPlan(), management, memberships = {}, failures, tokenStatus = 200 }) {
  const clock = virtualClock();
  const fake = management || fakeManagement(memberships, { clock, fault, failures });
  const tokenRequests = [];
  const clients = [];
  action.setDependencies({
    now: clock.now,
    sleep: async (ms) => clock.advance(ms),
    timeoutSignal: (ms) => ({ timeoutMs: ms }),
    fetch: async (url, init) => {
      tokenRequests.push({ url, body: new URLSearchParams(init.body), at: clock.now() });
      assert.ok(init.signal.timeoutMs <= LIMITS.requestTimeoutMs);
      respond(clock, fault("oauth.token"), init.signal.timeoutMs);
      const access_token = `token-${tokenRequests.length}`;
      return {
        ok: tokenStatus === 200,
        status: tokenStatus,
        headers: new Headers(),
        json: async () => ({ access_token, expires_in: 86400, token_type: "Bearer" }),
      };
    },
    ManagementClient: () =>
      function ManagementClient(options) {
        clients.push(options);
        return fake;
      },
  });
  return { clock, fake, tokenRequests, clients };
}

/** Run the Action once in a fresh process; returns what it did and how long it took. */
async function run(t, login, options = {}) {
  const logged = [];
  t.mock.method(console, "log", (...args) => logged.push(args.join(" ")));
  const proc = freshProcess({ memberships: login.memberships || {}, ...options });
  const api = fakeApi(proc.clock);
  const started = proc.clock.now();
  await action.onExecutePostLogin(eventOf(login, options.secrets), api);
  const elapsed = proc.clock.now() - started;
  return { ...proc, calls: proc.fake.calls, api, claims: api.claims, logged, elapsed };
}

/** The Management API calls a decision needs, in order. */
function expectedCalls(login, expected) {
  const userId = login.user.user_id;
  if (expected.organization === null) return [];
  const org = expected.organization;
  const inOrganization = typeof login.organization === "string";
  if (expected.outcome === "member" && inOrganization) return [];
  const memberships = ["users.organizations.list", userId, PAGE];
  if (expected.outcome === "member") {
    return [memberships, ["organizations.members.roles.list", orgId(org), userId, PAGE]];
  }
  const owned = ORG_OWNED_ROLES[org] || [];
  const lookups = expected.grant.map((name) => [
    "roles.list",
    owned.includes(name)
      ? { name_filter: name, per_page: 100, type: "organization", owner_id: orgId(org) }
      : { name_filter: name, per_page: 100 },
  ]);
  const assign = expected.grant.length
    ? [
        [
          "organizations.members.roles.assign",
          orgId(org),
          userId,
          { roles: expected.grant.map((name) => roleId(org, name)) },
        ],
      ]
    : [];
  if (inOrganization) return [...lookups, ...assign];
  return [
    memberships,
    ["organizations.getByName", org],
    ["organizations.members.create", orgId(org), { members: [userId] }],
    ...lookups,
    ...assign,
  ];
}

function claimsOf({ organization, roles }) {
  if (organization === null) return {};
  const claims = { [`${vectors.namespace}/organization`]: organization };
  if (roles !== null) claims[`${vectors.namespace}/roles`] = roles;
  return claims;
}

test("there are at least 30 vectors", () => {
  assert.ok(vectors.cases.length >= 30);
});

for (const vector of vectors.cases) {
  test(`decision: ${vector.name}`, () => {
    assert.deepEqual(action.route(action.routes, vector.login), vector.expected);
  });

  test(`login: ${vector.name}`, async (t) => {
    const { calls, claims, logged, elapsed, api, tokenRequests } = await run(t, vector.login, {
      fault: faultPlan(vector.faults),
    });
    const expected = vector.expected;
    assert.ok(elapsed <= LIMITS.budgetMs, `took ${elapsed} ms of a ${LIMITS.budgetMs} ms budget`);
    assert.ok(logged.every((line) => !line.includes(SECRETS.ROUTING_CLIENT_SECRET)));
    assert.deepEqual(api.denied.length, expected.outcome === "blocked" && vector.login.organization ? 1 : 0);
    if (vector.degraded) {
      assert.deepEqual(claims.id, claimsOf(vector.degraded));
      assert.deepEqual(claims.access, claimsOf(vector.degraded));
      return;
    }
    const wanted = expectedCalls(vector.login, expected);
    const retried = (vector.faults || []).filter((fault) => fault.times !== undefined);
    const once = calls.filter(
      (call, i) => !(retried.some((fault) => fault.call === call[0]) && i > 0 && call[0] === calls[i - 1][0]),
    );
    assert.deepEqual(once, wanted);
    assert.equal(tokenRequests.length, wanted.length > 0 ? 1 : 0);
    assert.deepEqual(claims.id, claimsOf(expected));
    assert.deepEqual(claims.access, claimsOf(expected));
    const remembered = expected.outcome === "join" && expected.grant.length > 0;
    assert.deepEqual(
      api.metadata,
      remembered ? [["org_routing", { defaults_granted: [expected.organization] }]] : [],
    );
  });
}

/** Whether the Action's matcher matches each text, within states × (length + 1) steps. */
function matchesWithinBound(matcher, texts) {
  return texts.map((text) => {
    const { matched, steps } = matcher.match(text);
    const bound = matcher.states * (Array.from(text).length + 1);
    assert.ok(steps <= bound, `${JSON.stringify(text)}: ${steps} steps, more than ${bound}`);
    return matched;
  });
}

for (const spec of vectors.patterns) {
  test(`pattern ${spec.pattern} matches as in Python, in linear steps`, () => {
    const matcher = action.compilePattern(spec.pattern);
    assert.ok(matcher.states <= action.patternLimits.maxStates);
    assert.deepEqual(matchesWithinBound(matcher, spec.matches), spec.matches.map(() => true));
    assert.deepEqual(matchesWithinBound(matcher, spec.misses), spec.misses.map(() => false));
  });
}

test("the Action refuses a pattern whose NFA is over the cap, at the count that passes it", () => {
  assert.throws(
    () => action.compilePattern("a{1000}b{1000}"),
    /^Error: at character 9: the pattern needs more than 2000 states to match$/,
  );
});

test("values over the Action's length cap never match, counted in code points", () => {
  const anything = action.compilePattern(".*");
  const cap = action.patternLimits.maxValueLength;
  assert.equal(anything.match("\u{1f600}".repeat(cap)).matched, true);
  assert.deepEqual(anything.match("\u{1f600}".repeat(cap + 1)), { matched: false, steps: 0 });
  assert.deepEqual(anything.match("a".repeat(cap + 1)), { matched: false, steps: 0 });
});

test("an adversarial value costs the Action states × (length + 1) steps at most", () => {
  const matcher = action.compilePattern("(?:a|a)*(?:b|b|b)*\\w*\\w*\\w*\\w*\\w*\\w*!");
  const value = "a".repeat(500) + "b".repeat(499) + "?";
  const { matched, steps } = matcher.match(value);
  assert.equal(matched, false);
  assert.ok(steps > value.length, `only ${steps} steps`);
  assert.ok(steps <= matcher.states * (value.length + 1));
});

test("the routing table is data: no markup or line separators reach the source", () => {
  const source = fs.readFileSync(actionFile, "utf8");
  assert.ok(!source.includes("</"));
  assert.ok(!source.includes("\u2028") && !source.includes("\u2029"));
  assert.equal(action.routes.namespace, vectors.namespace);
  assert.deepEqual(action.routes.secrets, {
    domain: "ROUTING_DOMAIN",
    clientId: "ROUTING_CLIENT_ID",
    clientSecret: "ROUTING_CLIENT_SECRET",
  });
});

test("the budget is well inside the 20 s Auth0 gives an execution", () => {
  assert.ok(LIMITS.budgetMs <= 10000);
  assert.ok(LIMITS.requestTimeoutMs < LIMITS.budgetMs);
  assert.ok(LIMITS.retries <= 1);
  assert.ok(LIMITS.maxWaitMs + LIMITS.requestTimeoutMs <= LIMITS.budgetMs);
});

const ERIN = {
  user: { user_id: "auth0|erin", email: "erin@acme.com", email_verified: true },
  connection: "Username-Password-Authentication",
  memberships: {},
};
const ALICE = {
  user: { user_id: "auth0|alice", email: "alice@acme.com", email_verified: true },
  connection: "Username-Password-Authentication",
  memberships: { "acme-corp": ["admin"] },
};

test("users no rule admits cost no Management API call and no token", async (t) => {
  const login = { ...ERIN, user: { user_id: "auth0|x", email: "x@nowhere.example" } };
  const { calls, clients, claims, tokenRequests } = await run(t, login);
  assert.equal(clients.length, 0);
  assert.equal(tokenRequests.length, 0);
  assert.deepEqual(calls, []);
  assert.deepEqual(claims.id, {});
});

test("the token is requested with the client credentials for the Management API", async (t) => {
  const { tokenRequests, clients } = await run(t, ALICE);
  assert.equal(tokenRequests.length, 1);
  const [{ url, body }] = tokenRequests;
  assert.equal(url, "https://tenant.example/oauth/token");
  assert.deepEqual(Object.fromEntries(body), {
    grant_type: "client_credentials",
    client_id: "routing-client",
    client_secret: "not-a-real-secret",
    audience: "https://tenant.example/api/v2/",
  });
  assert.equal(clients.length, 1);
  assert.equal(clients[0].domain, "tenant.example");
  assert.equal(clients[0].maxRetries, 0);
  assert.equal(clients[0].token(), "token-1");
});

test("a warm login in the same process asks for no token and builds no client", async (t) => {
  t.mock.method(console, "log", () => {});
  const proc = freshProcess({ memberships: ALICE.memberships });
  for (let i = 0; i < 3; i += 1) {
    const api = fakeApi(proc.clock); // each execution may get an empty api.cache
    await action.onExecutePostLogin(eventOf(ALICE), api);
    assert.deepEqual(api.claims.id["https://app.example/roles"], ["admin"]);
  }
  assert.equal(proc.tokenRequests.length, 1);
  assert.equal(proc.clients.length, 1);
  assert.equal(proc.fake.calls.length, 6);
});

test("a new process takes the token from api.cache", async (t) => {
  t.mock.method(console, "log", () => {});
  const first = freshProcess({ memberships: ALICE.memberships });
  const entries = new Map();
  const cache = fakeCache(first.clock, entries);
  await action.onExecutePostLogin(eventOf(ALICE), fakeApi(first.clock, cache));
  assert.equal(first.tokenRequests.length, 1);
  assert.equal(cache.sets.length, 1);
  const [{ key, value, ttl }] = cache.sets;
  assert.equal(key, "org-routing:management-token:routing-client");
  assert.equal(value, "token-1");
  assert.ok(ttl > 0 && ttl <= 24 * 3600 * 1000, `ttl ${ttl}`);
  const second = freshProcess({ memberships: ALICE.memberships });
  const api = fakeApi(second.clock, fakeCache(second.clock, entries));
  await action.onExecutePostLogin(eventOf(ALICE), api);
  assert.equal(second.tokenRequests.length, 0);
  assert.equal(second.clients[0].token(), "token-1");
  assert.deepEqual(api.claims.id["https://app.example/roles"], ["admin"]);
});

test("an expired token is renewed, once", async (t) => {
  t.mock.method(console, "log", () => {});
  const proc = freshProcess({ memberships: ALICE.memberships });
  await action.onExecutePostLogin(eventOf(ALICE), fakeApi(proc.clock));
  proc.clock.advance(86400 * 1000);
  await action.onExecutePostLogin(eventOf(ALICE), fakeApi(proc.clock));
  await action.onExecutePostLogin(eventOf(ALICE), fakeApi(proc.clock));
  assert.equal(proc.tokenRequests.length, 2);
});

test("a token too long for api.cache is kept in the process only", async (t) => {
  const logged = [];
  t.mock.method(console, "log", (line) => logged.push(line));
  const proc = freshProcess({ memberships: ALICE.memberships });
  const fetchToken = async () => ({
    ok: true,
    status: 200,
    headers: new Headers(),
    json: async () => ({ access_token: "x".repeat(5000), expires_in: 86400 }),
  });
  action.setDependencies({ fetch: fetchToken });
  const api = fakeApi(proc.clock);
  await action.onExecutePostLogin(eventOf(ALICE), api);
  assert.equal(api.cache.sets.length, 0);
  assert.ok(logged.some((line) => line.includes("longer than api.cache keeps")));
  assert.deepEqual(api.claims.id["https://app.example/roles"], ["admin"]);
});

test("a refused token request names the status, never the secret, and sets no claims", async (t) => {
  const { claims, logged, calls } = await run(t, ALICE, { tokenStatus: 401 });
  assert.deepEqual(calls, []);
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, [
    "[org-routing] could not get a Management API token: HTTP 401",
  ]);
});

test("a member logging in through an organization costs no token and no call", async (t) => {
  const login = { ...ALICE, organization: "acme-corp" };
  const { calls, tokenRequests, clients, claims } = await run(t, login);
  assert.deepEqual(calls, []);
  assert.equal(tokenRequests.length, 0);
  assert.equal(clients.length, 0);
  assert.deepEqual(claims.id, {
    "https://app.example/organization": "acme-corp",
    "https://app.example/roles": ["admin"],
  });
});

test("an absent user in an organization login is denied with no call", async (t) => {
  const login = {
    user: { user_id: "auth0|mallory", email: "mallory@acme.com", email_verified: true },
    connection: "Username-Password-Authentication",
    memberships: { "acme-corp": ["member"] },
    organization: "acme-corp",
  };
  const { api, calls, claims, logged } = await run(t, login);
  assert.deepEqual(api.denied, ["access to acme-corp is not allowed"]);
  assert.deepEqual(calls, []);
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, ["[org-routing] auth0|mallory is absent from acme-corp: login denied"]);
});

test("a newcomer whose roles cannot be assigned is not recorded, so the next login tries again", async (t) => {
  const login = {
    user: { user_id: "waad|zoe", email: "zoe@contoso.example", email_verified: true },
    connection: "acme-azure-ad",
    memberships: {},
    organization: "acme-corp",
  };
  const failures = { "organizations.members.roles.assign": "400 Bad Request" };
  const { api, claims } = await run(t, login, { failures });
  assert.deepEqual(api.metadata, []);
  assert.deepEqual(claims.id, {
    "https://app.example/organization": "acme-corp",
    "https://app.example/roles": [],
  });
});

test("a missing secret is logged by name and nothing is assigned", async (t) => {
  const secrets = { ...SECRETS, ROUTING_CLIENT_ID: "" };
  const { calls, claims, logged, clients } = await run(t, ERIN, { secrets });
  assert.equal(clients.length, 0);
  assert.deepEqual(calls, []);
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, [
    "[org-routing] the secret ROUTING_CLIENT_ID is not set: no organization is assigned",
  ]);
});

test("a 5xx is tried once more, then the login goes on without claims", async (t) => {
  const fault = faultPlan([{ call: "users.organizations.list", status: 503 }]);
  const { calls, claims, logged } = await run(t, ERIN, { fault });
  assert.deepEqual(
    calls.map(([name]) => name),
    ["users.organizations.list", "users.organizations.list"],
  );
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, ["[org-routing] could not route auth0|erin: HTTP 503"]);
});

test("a failed join sets no claims and never throws", async (t) => {
  const fault = faultPlan([{ call: "organizations.members.create", status: 429, reset_in_ms: 30000 }]);
  const { calls, claims, logged } = await run(t, ERIN, { fault });
  assert.deepEqual(
    calls.map(([name]) => name),
    ["users.organizations.list", "organizations.getByName", "organizations.members.create"],
  );
  assert.deepEqual(claims.id, {});
  assert.deepEqual(claims.access, {});
  assert.deepEqual(logged, ["[org-routing] could not route auth0|erin: HTTP 429"]);
});

test("a 429 without a reset waits the longest allowed and tries once more", async (t) => {
  const fault = faultPlan([{ call: "users.organizations.list", status: 429, times: 1 }]);
  const logged = [];
  t.mock.method(console, "log", (line) => logged.push(line));
  const proc = freshProcess({ memberships: ALICE.memberships, fault });
  const original = proc.fake.users.organizations.list;
  proc.fake.users.organizations.list = async (...args) => {
    try {
      return await original(...args);
    } catch (error) {
      error.rawResponse = { headers: new Headers() };
      throw error;
    }
  };
  const api = fakeApi(proc.clock);
  await action.onExecutePostLogin(eventOf(ALICE), api);
  const [first, second] = proc.fake.options;
  assert.equal(first.name, "users.organizations.list");
  assert.equal(second.name, "users.organizations.list");
  assert.equal(second.at - first.at, LATENCY_MS + LIMITS.maxWaitMs);
  assert.deepEqual(api.claims.id["https://app.example/roles"], ["admin"]);
});

test("an error message holding a secret is logged without it", async (t) => {
  const failures = { "users.organizations.list": "bad request for not-a-real-secret\nforged line" };
  const { logged } = await run(t, ERIN, { failures });
  assert.deepEqual(logged, ["[org-routing] could not route auth0|erin: bad request for [redacted] forged line"]);
});

test("a role that cannot be looked up is skipped; the claim lists the roles granted", async (t) => {
  const clock = virtualClock();
  const management = fakeManagement({}, { clock, fault: faultPlan() });
  const list = management.roles.list;
  management.roles.list = async (query, options) => {
    if (query.name_filter === "admin") throw new Error("500 Internal Server Error");
    return list(query, options);
  };
  const { claims, logged } = await run(t, ERIN, { management });
  assert.deepEqual(management.calls.at(-1), [
    "organizations.members.roles.assign",
    "org_acme-corp",
    "auth0|erin",
    { roles: ["rol_member"] },
  ]);
  assert.deepEqual(claims.id["https://app.example/roles"], ["member"]);
  assert.ok(logged[0].includes("could not look up role admin: 500 Internal Server Error"));
});

test("a failed role assignment leaves the member with no roles in the claim", async (t) => {
  const failures = { "organizations.members.roles.assign": "400 Bad Request" };
  const { claims, api } = await run(t, ERIN, { failures });
  assert.deepEqual(claims.id, {
    "https://app.example/organization": "acme-corp",
    "https://app.example/roles": [],
  });
  assert.deepEqual(api.metadata, []);
});

test("a member whose roles cannot be read gets the organization claim only", async (t) => {
  const failures = { "organizations.members.roles.list": "503 Service Unavailable" };
  const { claims, logged } = await run(t, ALICE, { failures });
  assert.deepEqual(claims.id, { "https://app.example/organization": "acme-corp" });
  assert.deepEqual(claims.access, { "https://app.example/organization": "acme-corp" });
  assert.ok(logged[0].includes("could not read roles in acme-corp"));
});

test("requests past the budget are skipped and logged", async (t) => {
  const fault = faultPlan([{ call: "*", latency_ms: 2900 }]);
  const { calls, claims, logged, elapsed } = await run(t, ALICE, { fault });
  assert.deepEqual(
    calls.map(([name]) => name),
    ["users.organizations.list", "organizations.members.roles.list"],
  );
  assert.ok(elapsed <= LIMITS.budgetMs);
  assert.deepEqual(claims.id, { "https://app.example/organization": "acme-corp" });
  assert.ok(logged.some((line) => line.includes("could not read roles in acme-corp: timed out")));
});

test("a client that cannot be built is logged, not thrown", async (t) => {
  const logged = [];
  t.mock.method(console, "log", (line) => logged.push(line));
  freshProcess({});
  action.setDependencies({
    ManagementClient: () => {
      throw new Error("Cannot find module 'auth0'");
    },
  });
  const api = fakeApi(virtualClock());
  await action.onExecutePostLogin(eventOf(ERIN), api);
  assert.deepEqual(api.claims.id, {});
  assert.deepEqual(logged, [
    "[org-routing] could not get a Management API token: Cannot find module 'auth0'",
  ]);
});
