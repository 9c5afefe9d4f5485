"""Celery tasks: thin adapters that load by id, call one service and map errors."""
