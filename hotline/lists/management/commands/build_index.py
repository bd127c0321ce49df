import resource
import time
from typing import Any

from django.core.management.base import BaseCommand

from hotline.lists.matching import build_index


class Command(BaseCommand):
    help = (
        "Build the matching index of the published hash list as each web process does, printing "
        "progress, the time taken and the memory used: a check of what matching costs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rss_before = _peak_rss_mib()
        started = time.perf_counter()
        index = build_index(self.stdout.write)
        elapsed = time.perf_counter() - started
        digests = sum(len(table) for table in index.digests.values())
        self.stdout.write(
            f"hash list version {index.version}: {index.entries} entries, {len(index)} PDQ "
            f"hashes, {digests} digests, built in {elapsed:.2f} s"
        )
        self.stdout.write(
            f"index arrays {index.nbytes / 2**20:.1f} MiB; process peak memory "
            f"{_peak_rss_mib():.0f} MiB (before the build {rss_before:.0f} MiB)"
        )


def _peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
