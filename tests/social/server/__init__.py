"""Tests of the shared comment server (both SQLite and PostgreSQL)."""
