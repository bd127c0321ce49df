from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "hotline.lists"
    label = "lists"

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from hotline.core.schedule import PeriodicJob, register
        from hotline.lists import tasks

        register(
            PeriodicJob(
                "publish-hash-list",
                lambda: timedelta(hours=settings.HOTLINE_LIST_HASHES_PUBLISH_HOURS),
                tasks.publish_hashes_task,
            )
        )
        register(
            PeriodicJob(
                "publish-url-list",
                lambda: timedelta(hours=settings.HOTLINE_LIST_URLS_PUBLISH_HOURS),
                tasks.publish_urls_task,
            )
        )
        register(
            PeriodicJob(
                "publish-keyword-list",
                lambda: timedelta(days=settings.HOTLINE_LIST_KEYWORDS_PUBLISH_DAYS),
                tasks.publish_keywords_task,
            )
        )
