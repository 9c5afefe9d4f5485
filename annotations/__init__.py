"""Atelier's domain: organisations, accounts, projects and everything a contribution goes through."""
