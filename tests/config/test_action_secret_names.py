"""A secret of the post-login Action may not name a variable of the management credentials:
deploying the Action would send the Management API's own secret to Auth0 as the Action's."""

from pathlib import Path

import pytest

from reconciler.config.errors import ConfigErrors
from reconciler.config.loader import load_tenant
from tests.config.tenant_files import write_tenant

CLAIMS = "claims:\n  namespace: https://claims.example\n"


def errors_of(tmp_path: Path, tenant: str) -> list[str]:
    write_tenant(tmp_path, {"tenant.yaml": tenant})
    with pytest.raises(ConfigErrors) as raised:
        load_tenant(tmp_path)
    return [str(error).removeprefix(f"{tmp_path}/") for error in raised.value.errors]


def test_an_action_secret_named_like_the_management_client_secret_is_refused(tmp_path):
    tenant = f"domain: sandbox\n{CLAIMS}action:\n  client_secret_env: AUTH0_CLIENT_SECRET\n"
    assert errors_of(tmp_path, tenant) == [
        'tenant.yaml:5:22: action.client_secret_env: "AUTH0_CLIENT_SECRET" is the variable of '
        "credentials.client_secret_env: an Action secret must not name a variable of the "
        "management credentials (deploying would send its value to Auth0)"
    ]


def test_the_credentials_names_tenant_yaml_gives_are_the_ones_refused(tmp_path):
    tenant = (
        "domain: sandbox\ncredentials:\n  client_id_env: MGMT_ID\n  client_secret_env: MGMT_KEY\n"
        f"{CLAIMS}action:\n  domain_env: MGMT_KEY\n  client_id_env: AUTH0_TOKEN\n"
    )
    assert errors_of(tmp_path, tenant) == [
        'tenant.yaml:8:15: action.domain_env: "MGMT_KEY" is the variable of '
        "credentials.client_secret_env: an Action secret must not name a variable of the "
        "management credentials (deploying would send its value to Auth0)",
        'tenant.yaml:9:18: action.client_id_env: "AUTH0_TOKEN" is the variable of a management '
        "token: an Action secret must not name a variable of the management credentials "
        "(deploying would send its value to Auth0)",
    ]


def test_a_default_action_secret_that_the_credentials_take_is_refused_at_the_action(tmp_path):
    tenant = (
        "domain: sandbox\ncredentials:\n  client_secret_env: ORG_ROUTING_CLIENT_SECRET\n"
        f"{CLAIMS}action: {{}}\n"
    )
    (message,) = errors_of(tmp_path, tenant)
    assert message.startswith(
        'tenant.yaml:6:9: action.client_secret_env: "ORG_ROUTING_CLIENT_SECRET" is the variable '
        "of credentials.client_secret_env: "
    )


def test_action_secrets_of_their_own_are_valid(tmp_path):
    write_tenant(tmp_path, {"tenant.yaml": f"domain: sandbox\n{CLAIMS}action: {{}}\n"})
    assert load_tenant(tmp_path).tenant.action is not None
