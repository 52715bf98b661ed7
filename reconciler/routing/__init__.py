"""Routing rules: who lands in which organization at login."""
