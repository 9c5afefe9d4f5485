from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    label = "annotations"
    verbose_name = "Atelier"
    default_auto_field = "django.db.models.BigAutoField"
