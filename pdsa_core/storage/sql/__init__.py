"""Versioned SQL migrations of the PostgreSQL workspace schema (NNN_name.sql, applied in order)."""
