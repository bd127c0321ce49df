"""A python-threatexchange extension that fetches a hotline's hash list for HMA or the CLI.

    $ threatexchange config extensions add hotline_exchange
    $ threatexchange config collab edit hotline "Hotline hashes" --create \
        --url https://hotline.example/
    $ TX_HOTLINE_KEY=<member key> threatexchange fetch

This package is client-side: it never imports Django, so it runs wherever python-threatexchange
does.
"""

from threatexchange.extensions.manifest import ThreatExchangeExtensionManifest

from .api import (
    HotlineCheckpoint,
    HotlineCollabConfig,
    HotlineCredentials,
    HotlineGrade,
    HotlineSignalExchangeAPI,
    HotlineSignalMetadata,
)
from .client import HotlineHashEntry

TX_MANIFEST = ThreatExchangeExtensionManifest(apis=(HotlineSignalExchangeAPI,))

__all__ = [
    "TX_MANIFEST",
    "HotlineCheckpoint",
    "HotlineCollabConfig",
    "HotlineCredentials",
    "HotlineGrade",
    "HotlineHashEntry",
    "HotlineSignalExchangeAPI",
    "HotlineSignalMetadata",
]
