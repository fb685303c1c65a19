"""Kyu's own HTTP API under ``/_kyu``: health, clock control and inspection for tests."""
