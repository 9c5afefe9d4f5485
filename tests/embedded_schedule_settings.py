"""The embedded mode's settings with every scheduled task due every two seconds, for the test that runs the
embedded worker and beat as `make run` starts them (tests/test_embedded_schedule.py)."""

from atelier.settings import *  # noqa: F403
from atelier.settings import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {name: {**entry, "schedule": 2.0} for name, entry in CELERY_BEAT_SCHEDULE.items()}
