"""Incident timeline generator: YAML incident records to a searchable static site."""

__version__ = "0.1.0"
