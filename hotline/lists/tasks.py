"""Background publishing: one task per list, so that the schedule can run each on its own."""

from django_tasks import task

from hotline.lists.models import ListName
from hotline.lists.publishing import publish


@task()
def publish_list_task(name: str) -> int:
    """Publish the list if it changed; the version members can now read."""
    return publish(name).version


@task()
def publish_hashes_task() -> int:
    return publish(ListName.HASHES).version


@task()
def publish_urls_task() -> int:
    return publish(ListName.URLS).version


@task()
def publish_keywords_task() -> int:
    return publish(ListName.KEYWORDS).version
