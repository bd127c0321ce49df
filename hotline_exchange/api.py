"""The SignalExchangeAPI through which python-threatexchange and HMA fetch a hotline's hash list.

The first fetch downloads the latest version of the list; each later fetch asks only for what
changed after the version held in the checkpoint, and an entry the hotline removed is deleted
from the fetched state. Records are keyed by the hotline's stable entry id, so a removal needs
nothing but the id.
"""

import typing as t
from dataclasses import dataclass, field

from threatexchange.exchanges import auth
from threatexchange.exchanges import fetch_state as state
from threatexchange.exchanges.collab_config import CollaborationConfigWithDefaults
from threatexchange.exchanges.signal_exchange_api import SignalExchangeAPI
from threatexchange.signal_type.md5 import VideoMD5Signal
from threatexchange.signal_type.pdq.signal import PdqSignal
from threatexchange.signal_type.sha256 import VideoSHA256Signal
from threatexchange.signal_type.signal_base import SignalType

from .client import HotlineAuthError, HotlineHashEntry, HotlineListClient, ListChanges

API_NAME = "hotline"

# pytx names its exact-digest types after videos, but they match any file's bytes.
DIGEST_SIGNALS: tuple[tuple[str, type[SignalType]], ...] = (
    ("pdq", PdqSignal),
    ("md5", VideoMD5Signal),
    ("sha256", VideoSHA256Signal),
)


@dataclass
class _HotlineCollabRequiredFields:
    url: str = field(metadata={"help": "the hotline's address, e.g. https://hotline.example/"})


@dataclass
class HotlineCollabConfig(CollaborationConfigWithDefaults, _HotlineCollabRequiredFields):
    """A hotline to fetch from, and which of its hash lists."""

    api: str = field(init=False, default=API_NAME)
    list_name: str = field(
        default="hashes", metadata={"help": "the hash list's name at the hotline"}
    )


@dataclass
class HotlineCheckpoint(state.FetchCheckpointBase):
    """The list version the fetched state is at; the next fetch asks for changes after it."""

    version: int


Delta = state.FetchDelta[str, HotlineHashEntry, HotlineCheckpoint]


@dataclass(frozen=True)
class HotlineGrade:
    """How the hotline graded the image behind one entry, in its own and partners' schemes."""

    entry_id: str
    category: str | None
    age_band: str | None
    sex: str | None
    self_generated: bool | None
    commercial: bool | None
    ai_generated: bool | None
    interpol_baseline: bool | None
    industry: str | None

    @classmethod
    def of(cls, entry: HotlineHashEntry) -> "HotlineGrade":
        return cls(
            entry.id,
            entry.category,
            entry.age_band,
            entry.sex,
            entry.self_generated,
            entry.commercial,
            entry.ai_generated,
            entry.interpol_baseline,
            entry.industry,
        )

    def tags(self) -> set[str]:
        """The grade as pytx tags, e.g. {"category:A", "age_band:3-6", "industry:A1"}."""
        labels = {
            "category": self.category,
            "age_band": self.age_band,
            "sex": self.sex,
            "industry": self.industry,
        }
        flags = {"self_generated", "commercial", "ai_generated", "interpol_baseline"}
        tags = {f"{name}:{value}" for name, value in labels.items() if value}
        return tags | {name for name in flags if getattr(self, name)}


@dataclass
class HotlineSignalMetadata(state.FetchedSignalMetadata):
    """Every hotline grade behind one signal (several entries may share a PDQ hash)."""

    grades: list[HotlineGrade]

    def get_as_opinions(self) -> t.Sequence[state.SignalOpinion]:
        # Entries reach the list only after a second analyst confirmed the grade.
        positive = state.SignalOpinionCategory.POSITIVE_CLASS
        return [state.SignalOpinion(False, positive, grade.tags()) for grade in self.grades]


@dataclass
class HotlineCredentials(auth.CredentialHelper):
    """A member key of the hotline, with the `hashes` scope."""

    ENV_VARIABLE: t.ClassVar[str] = "TX_HOTLINE_KEY"
    FILE_NAME: t.ClassVar[str] = "~/.tx_hotline_key"

    key: str

    @classmethod
    def _from_str(cls, s: str) -> "HotlineCredentials":
        return cls(s.strip())

    def _are_valid(self) -> bool:
        return bool(self.key)


class HotlineSignalExchangeAPI(
    auth.SignalExchangeWithAuth[HotlineCollabConfig, HotlineCredentials],
    SignalExchangeAPI[
        HotlineCollabConfig, HotlineCheckpoint, HotlineSignalMetadata, str, HotlineHashEntry
    ],
):
    """Fetches one hash list of one hotline, incrementally, with a member key."""

    def __init__(self, collab: HotlineCollabConfig, client: HotlineListClient) -> None:
        super().__init__()
        self.collab = collab
        self.client = client

    @classmethod
    def get_name(cls) -> str:
        return API_NAME

    @staticmethod
    def get_config_cls() -> type[HotlineCollabConfig]:
        return HotlineCollabConfig

    @staticmethod
    def get_checkpoint_cls() -> type[HotlineCheckpoint]:
        return HotlineCheckpoint

    @staticmethod
    def get_record_cls() -> type[HotlineSignalMetadata]:
        return HotlineSignalMetadata

    @staticmethod
    def get_credential_cls() -> type[HotlineCredentials]:
        return HotlineCredentials

    @classmethod
    def for_collab(
        cls, collab: HotlineCollabConfig, credentials: HotlineCredentials | None = None
    ) -> "HotlineSignalExchangeAPI":
        credentials = credentials or HotlineCredentials.get(cls)
        return cls(collab, HotlineListClient(collab.url, credentials.key, collab.list_name))

    def fetch_iter(
        self,
        supported_signal_types: t.Sequence[type[SignalType]],
        checkpoint: HotlineCheckpoint | None,
    ) -> t.Iterator[Delta]:
        try:
            changes = self._changes(checkpoint)
        except HotlineAuthError as refused:
            raise auth.SignalExchangeAPIInvalidAuthException(type(self), str(refused)) from None
        # Built from the plain class: an instance of the subscripted alias would carry the alias,
        # which the CLI's pickled state cannot hold.
        yield state.FetchDelta(dict(changes.entries), HotlineCheckpoint(changes.version))

    def _changes(self, checkpoint: HotlineCheckpoint | None) -> ListChanges:
        if checkpoint is None:
            return self.client.full()
        return self.client.since(checkpoint.version)

    @classmethod
    def naive_convert_to_signal_type(
        cls,
        signal_types: t.Sequence[type[SignalType]],
        collab: HotlineCollabConfig,
        fetched: t.Mapping[str, HotlineHashEntry],
    ) -> dict[type[SignalType], dict[str, HotlineSignalMetadata]]:
        wanted = [(name, kind) for name, kind in DIGEST_SIGNALS if kind in signal_types]
        signals: dict[type[SignalType], dict[str, HotlineSignalMetadata]] = {}
        for entry in fetched.values():
            for name, kind in wanted:
                value = getattr(entry, name)
                if value:
                    by_value = signals.setdefault(kind, {})
                    metadata = by_value.setdefault(value.lower(), HotlineSignalMetadata([]))
                    metadata.grades.append(HotlineGrade.of(entry))
        return signals
