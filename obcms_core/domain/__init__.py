"""Entities' vocabularies and pure rules: no framework or database imports."""
