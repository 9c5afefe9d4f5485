"""Reads, with the visibility rules (`*_visible_to(actor)`) kept in one place."""
