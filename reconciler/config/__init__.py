"""YAML -> model: the tenant loader with `file:line:col` errors and the checks across files."""

from reconciler.config.errors import ConfigError, ConfigErrors
from reconciler.config.loader import load_tenant
from reconciler.config.tenants import TenantNotFoundError, resolve_tenant

__all__ = ["ConfigError", "ConfigErrors", "TenantNotFoundError", "load_tenant", "resolve_tenant"]
