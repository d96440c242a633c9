"""Persistence and file I/O: SQLAlchemy tables, engines, spreadsheet readers."""
