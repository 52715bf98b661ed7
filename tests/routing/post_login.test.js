// The generated post-login Action against the shared vectors, with a fake event, api and
// Management API client. Run by `make test-action`, which generates the Action into a
// temporary folder named by ROUTING_ACTION_DIR (Node's built-in test runner, no packages).
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

const SECRETS = {
  ROUTING_DOMAIN: "tenant.example",
  ROUTING_CLIENT_ID: "routing-client",
  ROUTING_CLIENT_SECRET: "not-a-real-secret",
};
const TENANT_ROLES = ["admin", "member", "viewer"];
const ORG_OWNED_ROLES = { "acme-corp": ["admin"] }; // as in tenant/organizations/acme-corp.yaml
const PAGE = { per_page: 100 };

const orgId = (name) => `org_${name}`;
const roleId = (org, name) =>
  (ORG_OWNED_ROLES[org] || []).includes(name) ? `rol_${org}_${name}` : `rol_${name}`;

/** A page of the auth0 SDK: async iterable over its items. */
function page(items) {
  return {
    data: items,
    async *[Symbol.asyncIterator]() {
      yield* items;
    },
  };
}

/** A fake Management API client shaped like the auth0 package's, recording every call. */
function fakeManagement(memberships, failures = {}) {
  const calls = [];
  const record = (name, ...args) => {
    calls.push([name, ...args]);
    if (failures[name]) throw new Error(failures[name]);
  };
  const roles = TENANT_ROLES.map((name) => ({ id: `rol_${name}`, name }));
  for (const [org, names] of Object.entries(ORG_OWNED_ROLES)) {
    for (const name of names) roles.push({ id: roleId(org, name), name, owner_id: orgId(org) });
  }
  return {
    calls,
    users: {
      organizations: {
        list: async (userId, query) => {
          record("users.organizations.list", userId, query);
          return page(Object.keys(memberships).map((name) => ({ id: orgId(name), name })));
        },
      },
    },
    organizations: {
      getByName: async (name) => {
        record("organizations.getByName", name);
        return { id: orgId(name), name };
      },
      members: {
        create: async (id, body) => {
          record("organizations.members.create", id, body);
        },
        roles: {
          list: async (id, userId, query) => {
            record("organizations.members.roles.list", id, userId, query);
            const names = memberships[id.slice("org_".length)];
            return page(names.map((name) => ({ id: `rol_${name}`, name })));
          },
          assign: async (id, userId, body) => {
            record("organizations.members.roles.assign", id, userId, body);
          },
        },
      },
    },
    roles: {
      list: async (query) => {
        record("roles.list", query);
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

function fakeApi() {
  const claims = { id: {}, access: {} };
  const token = (into) => ({
    setCustomClaim: (name, value) => {
      into[name] = value;
    },
  });
  return { claims, idToken: token(claims.id), accessToken: token(claims.access) };
}

function eventOf(login, secrets = SECRETS) {
  return { user: login.user, connection: { name: login.connection }, secrets };
}

/** Run the Action with fakes; returns the calls, the claims and what was logged. */
async function run(t, login, { failures = {}, secrets = SECRETS, factory } = {}) {
  const logged = [];
  t.mock.method(console, "log", (...args) => logged.push(args.join(" ")));
  const management = fakeManagement(login.memberships, failures);
  let built = 0;
  action.setManagementClientFactory(
    factory ||
      ((credentials) => {
        built += 1;
        assert.deepEqual(credentials, {
          domain: "tenant.example",
          clientId: "routing-client",
          clientSecret: "not-a-real-secret",
        });
        return management;
      }),
  );
  const api = fakeApi();
  await action.onExecutePostLogin(eventOf(login, secrets), api);
  return { calls: management.calls, claims: api.claims, logged, built };
}

/** The Management API calls a decision needs, in order. */
function expectedCalls(login, expected) {
  const userId = login.user.user_id;
  if (expected.organization === null) return [];
  const org = expected.organization;
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
  return [
    memberships,
    ["organizations.getByName", org],
    ["organizations.members.create", orgId(org), { members: [userId] }],
    ...lookups,
    ...assign,
  ];
}

function expectedClaims(expected) {
  if (expected.organization === null) return {};
  return {
    [`${vectors.namespace}/organization`]: expected.organization,
    [`${vectors.namespace}/roles`]: expected.roles,
  };
}

test("there are at least 30 vectors", () => {
  assert.ok(vectors.cases.length >= 30);
});

for (const vector of vectors.cases) {
  test(`decision: ${vector.name}`, () => {
    assert.deepEqual(action.route(action.routes, vector.login), vector.expected);
  });

  test(`login: ${vector.name}`, async (t) => {
    const { calls, claims, logged } = await run(t, vector.login);
    assert.deepEqual(calls, expectedCalls(vector.login, vector.expected));
    assert.deepEqual(claims.id, expectedClaims(vector.expected));
    assert.deepEqual(claims.access, expectedClaims(vector.expected));
    assert.ok(logged.every((line) => !line.includes(SECRETS.ROUTING_CLIENT_SECRET)));
  });
}

for (const spec of vectors.patterns) {
  test(`pattern ${spec.pattern} compiles and matches as in Python`, () => {
    const regex = new RegExp(`^(?:${spec.pattern})$`, "su");
    assert.deepEqual(
      spec.matches.map((text) => regex.test(text)),
      spec.matches.map(() => true),
    );
    assert.deepEqual(
      spec.misses.map((text) => regex.test(text)),
      spec.misses.map(() => false),
    );
  });
}

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

const ERIN = {
  user: { user_id: "auth0|erin", email: "erin@acme.com", email_verified: true },
  connection: "Username-Password-Authentication",
  memberships: {},
};

test("users no rule admits cost no Management API call", async (t) => {
  const login = { ...ERIN, user: { user_id: "auth0|x", email: "x@nowhere.example" } };
  const { calls, built, claims } = await run(t, login);
  assert.equal(built, 0);
  assert.deepEqual(calls, []);
  assert.deepEqual(claims.id, {});
});

test("a missing secret is logged by name and nothing is assigned", async (t) => {
  const secrets = { ...SECRETS, ROUTING_CLIENT_ID: "" };
  const { calls, claims, logged, built } = await run(t, ERIN, { secrets });
  assert.equal(built, 0);
  assert.deepEqual(calls, []);
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, [
    "[org-routing] the secret ROUTING_CLIENT_ID is not set: no organization is assigned",
  ]);
});

test("a failed membership read is logged and the login goes on without claims", async (t) => {
  const failures = { "users.organizations.list": "503 Service Unavailable" };
  const { calls, claims, logged } = await run(t, ERIN, { failures });
  assert.equal(calls.length, 1);
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, ["[org-routing] could not route auth0|erin: 503 Service Unavailable"]);
});

test("a failed join sets no claims and never throws", async (t) => {
  const failures = { "organizations.members.create": "429 Too Many Requests" };
  const { calls, claims, logged } = await run(t, ERIN, { failures });
  assert.deepEqual(
    calls.map(([name]) => name),
    ["users.organizations.list", "organizations.getByName", "organizations.members.create"],
  );
  assert.deepEqual(claims.id, {});
  assert.deepEqual(claims.access, {});
  assert.deepEqual(logged, ["[org-routing] could not route auth0|erin: 429 Too Many Requests"]);
});

test("a role that cannot be looked up is skipped; the claim lists the roles granted", async (t) => {
  const management = fakeManagement({});
  const list = management.roles.list;
  management.roles.list = async (query) => {
    if (query.name_filter === "admin") throw new Error("500 Internal Server Error");
    return list(query);
  };
  const { claims, logged } = await run(t, ERIN, { factory: () => management });
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
  const { claims } = await run(t, ERIN, { failures });
  assert.deepEqual(claims.id, {
    "https://app.example/organization": "acme-corp",
    "https://app.example/roles": [],
  });
});

test("a member whose roles cannot be read gets the organization claim only", async (t) => {
  const login = { ...ERIN, memberships: { "acme-corp": ["admin"] } };
  const failures = { "organizations.members.roles.list": "503 Service Unavailable" };
  const { claims, logged } = await run(t, login, { failures });
  assert.deepEqual(claims.id, { "https://app.example/organization": "acme-corp" });
  assert.deepEqual(claims.access, { "https://app.example/organization": "acme-corp" });
  assert.ok(logged[0].includes("could not read roles in acme-corp"));
});

test("a client that cannot be built is logged, not thrown", async (t) => {
  const factory = () => {
    throw new Error("Cannot find module 'auth0'");
  };
  const { claims, logged } = await run(t, ERIN, { factory });
  assert.deepEqual(claims.id, {});
  assert.deepEqual(logged, ["[org-routing] could not route auth0|erin: Cannot find module 'auth0'"]);
});
