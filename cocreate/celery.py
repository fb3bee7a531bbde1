import os

from celery import Celery

import cocreate.broker  # noqa: F401  (registers the embedded broker's transport, cocreatefs://)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocreate.settings")

app = Celery("cocreate")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("cocreate.tasks",)


def _ensure_filesystem_broker_folders() -> None:
    """The embedded broker is a folder; kombu expects it to exist."""
    from django.conf import settings

    if str(settings.CELERY_BROKER_URL).startswith("cocreatefs://"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


app.on_after_configure.connect(lambda sender, **kwargs: _ensure_filesystem_broker_folders(), weak=False)
