from django.apps import AppConfig


class WorkersConfig(AppConfig):
    """Registers the Celery tasks in every process (web too), so that tasks sent by name from the domain
    resolve to their definitions: in the embedded mode they then run in-process instead of being dropped."""

    name = "workers"
    label = "workers"

    def ready(self) -> None:
        import workers.tasks  # noqa: F401
