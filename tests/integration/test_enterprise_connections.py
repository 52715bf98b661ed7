"""A customer's own SAML connection against the sandbox: the exact writes of onboarding, a
no-op's reads, a changed certificate, options the files leave out, and connections the files
do not declare."""

from copy import deepcopy
from dataclasses import replace
from pathlib import Path

import pytest

from reconciler.config.loader import load_tenant
from reconciler.config.writer import import_files, write_files
from reconciler.core.importer import import_organizations
from reconciler.core.targets import connect
from reconciler.engine.errors import PlanErrors
from reconciler.sandbox import OrgConnection, Sandbox
from tests.integration.connections import CERT_FILE, CUSTOMER, SAML, as_sent, pem, with_customer
from tests.integration.tenants import formula, generate
from tests.integration.test_applications import apply, plan_only, writes


def connection_named(sandbox: Sandbox, name: str) -> dict[str, object]:
    found = sandbox.store.connection_by_name(name)
    assert found is not None
    return found


def reads(sandbox: Sandbox) -> list[str]:
    return [c.path for c in sandbox.api_calls() if c.method == "GET"]


async def test_a_new_customer_with_its_saml_connection_is_three_writes():
    tenant = generate(orgs=1, members=1)
    desired = with_customer(tenant.desired, SAML, pem(1))
    await apply(tenant.sandbox, desired)
    conn = connection_named(tenant.sandbox, "acme-sso")
    org = tenant.sandbox.store.organization_by_name(CUSTOMER)
    assert org is not None
    # The connection, the application it is enabled for, and the organization with its link
    # inline in the create.
    assert writes(tenant.sandbox) == [
        ("POST", "/api/v2/connections"),
        ("PATCH", f"/api/v2/connections/{conn['id']}/clients"),
        ("POST", "/api/v2/organizations"),
    ]
    assert conn["enabled_clients"] == ["gen-app"]
    assert conn["options"] == {
        "signInEndpoint": "https://idp.acme.example/sso",
        "signingCert": as_sent(pem(1)),
        "domain_aliases": ["acme.example"],
    }
    link = org.connections[str(conn["id"])]
    assert link.assign_membership_on_login is True


async def test_a_no_op_writes_nothing_and_reads_within_the_model():
    tenant = generate(orgs=1, members=1)
    desired = with_customer(tenant.desired, SAML, pem(1))
    await apply(tenant.sandbox, desired)
    tenant.sandbox.reset_calls()
    assert (await plan_only(tenant.sandbox, desired)).operations == ()
    conn = connection_named(tenant.sandbox, "acme-sso")
    customer = tenant.sandbox.store.organization_by_name(CUSTOMER)
    assert customer is not None
    # docs/performance.md: the connections listing is the same one call (with options); the
    # connection's applications are one read, and naming an application reads the
    # applications; the customer's links are its only organization read.
    assert len(reads(tenant.sandbox)) == formula(1, 1, 2, 5) + 3
    assert f"/api/v2/connections/{conn['id']}/clients" in reads(tenant.sandbox)
    assert f"/api/v2/organizations/{customer.id}/enabled_connections" in reads(tenant.sandbox)
    assert "/api/v2/clients" in reads(tenant.sandbox)
    assert reads(tenant.sandbox).count("/api/v2/connections") == 1
    assert writes(tenant.sandbox) == []


async def test_a_changed_signing_certificate_is_one_patch_keeping_unmanaged_options():
    tenant = generate(orgs=1, members=1)
    desired = with_customer(tenant.desired, SAML, pem(1))
    await apply(tenant.sandbox, desired)
    conn = connection_named(tenant.sandbox, "acme-sso")
    options = conn["options"]
    assert isinstance(options, dict)
    options["signatureAlgorithm"] = "rsa-sha256"  # set in Auth0, not in the files
    rotated = replace(desired, files={CERT_FILE: as_sent(pem(2))})
    plan = await apply(tenant.sandbox, rotated)
    assert writes(tenant.sandbox) == [("PATCH", f"/api/v2/connections/{conn['id']}")]
    (row,) = plan.rows
    assert [f.field for f in row.fields] == ["options.signingCert"]
    assert str(row.fields[0].after).startswith("certificate sha256:")
    assert connection_named(tenant.sandbox, "acme-sso")["options"] == {
        "signInEndpoint": "https://idp.acme.example/sso",
        "signingCert": as_sent(pem(2)),
        "domain_aliases": ["acme.example"],
        "signatureAlgorithm": "rsa-sha256",
    }


async def test_connections_the_files_do_not_declare_are_never_written():
    tenant = generate(orgs=1, members=1)
    before = {c["name"]: deepcopy(c) for c in tenant.sandbox.store.state.connections.values()}
    desired = with_customer(tenant.desired, SAML, pem(1))
    await apply(tenant.sandbox, desired)
    after = {c["name"]: c for c in tenant.sandbox.store.state.connections.values()}
    assert {name: after[name] for name in before} == before
    conn_id = str(connection_named(tenant.sandbox, "acme-sso")["id"])
    written = [path for _, path in writes(tenant.sandbox) if path.startswith("/api/v2/connections")]
    assert written == ["/api/v2/connections", f"/api/v2/connections/{conn_id}/clients"]


async def test_an_application_removed_from_the_list_is_disabled_in_one_patch():
    tenant = generate(orgs=1, members=1)
    desired = with_customer(tenant.desired, SAML, pem(1))
    await apply(tenant.sandbox, desired)
    conn = connection_named(tenant.sandbox, "acme-sso")
    emptied = with_customer(tenant.desired, {**SAML, "applications": []}, pem(1))
    await apply(tenant.sandbox, emptied)
    assert writes(tenant.sandbox) == [("PATCH", f"/api/v2/connections/{conn['id']}/clients")]
    assert connection_named(tenant.sandbox, "acme-sso")["enabled_clients"] == []


async def test_a_connection_marked_absent_is_deleted_only_under_the_policy():
    tenant = generate(orgs=1, members=1)
    desired = with_customer(tenant.desired, SAML, pem(1))
    await apply(tenant.sandbox, desired)
    absent = with_customer(tenant.desired, {**SAML, "absent": True}, pem(1))
    with pytest.raises(PlanErrors, match=r"policy\.prune_connections"):
        await plan_only(tenant.sandbox, absent)
    policy = absent.tenant.policy.model_copy(update={"prune_connections": True})
    pruning = replace(absent, tenant=absent.tenant.model_copy(update={"policy": policy}))
    conn_id = connection_named(tenant.sandbox, "acme-sso")["id"]
    await apply(tenant.sandbox, pruning)
    assert writes(tenant.sandbox) == [("DELETE", f"/api/v2/connections/{conn_id}")]
    assert tenant.sandbox.store.connection_by_name("acme-sso") is None


async def test_a_strategy_that_differs_from_auth0s_is_a_plan_error():
    tenant = generate(orgs=1, members=1)
    okta = {
        "strategy": "okta",
        "options": {"domain": "acme.okta.com", "client_id": "abc", "client_secret_env": "X"},
    }
    desired = with_customer(tenant.desired, okta, pem(1))
    org = desired.organizations[CUSTOMER]
    renamed = org.model_copy(
        update={"enterprise_connections": {"corp-ad": org.enterprise_connections["acme-sso"]}}  # type: ignore[index]
    )
    clash = replace(desired, organizations={**desired.organizations, CUSTOMER: renamed})
    with pytest.raises(PlanErrors, match="is a waad connection in Auth0, not okta"):
        await plan_only(tenant.sandbox, clash)


def customer_made_connection(sandbox: Sandbox) -> str:
    """A SAML connection as a customer's admin makes it through self-service SSO, linked to
    its organization `acme`; returns the organization's id."""
    store = sandbox.store
    conn = store.create_connection(
        "acme-idp",
        "samlp",
        options={
            "signInEndpoint": "https://idp.acme.example/sso",
            "signingCert": as_sent(pem(7)),
            "domain_aliases": ["acme.example"],
            "signatureAlgorithm": "rsa-sha256",
        },
        show_as_button=True,
    )
    org = store.create_organization(
        CUSTOMER, "Acme", enabled_connections=[OrgConnection(conn["id"], True, True)]
    )
    return org.id


async def test_a_customer_made_connection_is_adopted_by_import_then_planned_as_no_change(
    tmp_path: Path,
):
    tenant = generate(orgs=0, members=0)
    org_id = customer_made_connection(tenant.sandbox)
    directory = tmp_path / "tenant"
    directory.mkdir()
    (directory / "tenant.yaml").write_text("domain: sandbox\n")
    (directory / "sandbox.yaml").write_text("{}\n")
    empty = load_tenant(directory)
    async with connect(empty, sandbox=tenant.sandbox) as session:
        imported = await import_organizations(
            session, empty, (CUSTOMER,), every=False, adopt_connections=True
        )
    write_files(
        import_files(directory, {}, imported.organizations, {}, force=False, others=imported.files)
    )
    assert (directory / "certs" / "acme-idp.pem").read_text() == pem(7)
    text = (directory / "organizations" / "acme.yaml").read_text()
    assert text.split("\n", 2)[2] == (
        "name: acme\n"
        "display_name: Acme\n"
        "enterprise_connections:\n"
        "  acme-idp:\n"
        "    strategy: samlp\n"
        "    show_as_button: true\n"
        "    is_domain_connection: false\n"
        "    options:\n"
        "      domain_aliases: [acme.example]\n"
        "      sign_in_endpoint: https://idp.acme.example/sso\n"
        "      signing_cert_file: certs/acme-idp.pem\n"
        "    link:\n"
        "      assign_membership_on_login: true\n"
        "      show_as_button: true\n"
    )
    loaded = load_tenant(directory)
    tenant.sandbox.reset_calls()
    assert (await plan_only(tenant.sandbox, loaded)).operations == ()
    # The organizations listing, the connections with their options, the organization's links.
    assert reads(tenant.sandbox) == [
        "/api/v2/organizations",
        "/api/v2/connections",
        f"/api/v2/organizations/{org_id}/enabled_connections",
    ]


async def test_without_adoption_or_when_ignored_a_customer_connection_stays_a_link(
    tmp_path: Path,
):
    tenant = generate(orgs=0, members=0)
    customer_made_connection(tenant.sandbox)
    base = with_customer(tenant.desired, SAML, pem(1))
    ignoring = base.tenant.policy.model_copy(update={"ignored_connections": ["acme-*"]})
    for adopt, desired in (
        (False, base),
        (True, replace(base, tenant=base.tenant.model_copy(update={"policy": ignoring}))),
    ):
        files = replace(desired, organizations={})
        async with connect(files, sandbox=tenant.sandbox) as session:
            imported = await import_organizations(
                session, files, (CUSTOMER,), every=False, adopt_connections=adopt
            )
        org = imported.organizations[CUSTOMER]
        assert org.enterprise_connections is None
        assert imported.files == {}
        if adopt:
            assert org.connections is None  # ignored: left out, and never removed
        else:
            assert [c.name for c in org.connections or []] == ["acme-idp"]
