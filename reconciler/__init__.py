"""Declarative GitOps reconciler for Auth0 Organizations."""

__version__ = "0.1.0"
