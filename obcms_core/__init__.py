"""OBCMS Planning & Budgeting Workbench: domain package (model, persistence, rules, services)."""

__version__ = "0.1.0"
