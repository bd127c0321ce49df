"""How hotline_exchange turns fetched hash list entries into python-threatexchange signals."""

from threatexchange.exchanges.fetch_state import SignalOpinionCategory
from threatexchange.signal_type.md5 import VideoMD5Signal
from threatexchange.signal_type.pdq.signal import PdqSignal
from threatexchange.signal_type.sha256 import VideoSHA256Signal

from hotline_exchange import (
    TX_MANIFEST,
    HotlineCollabConfig,
    HotlineHashEntry,
    HotlineSignalExchangeAPI,
)
from hotline_exchange.client import HotlineListClient

PDQ = "f" * 64
COLLAB = HotlineCollabConfig(name="Hotline hashes", url="https://hotline.example/")


def entry(id_: str, **fields) -> HotlineHashEntry:
    values = {"md5": id_ * 32, "pdq": PDQ, "category": "A", "age_band": "3-6", **fields}
    return HotlineHashEntry.from_json({"id": id_, **values})


def test_the_manifest_offers_the_hotline_api():
    assert TX_MANIFEST.apis == (HotlineSignalExchangeAPI,)
    assert HotlineSignalExchangeAPI.get_name() == "hotline"
    assert COLLAB.api == "hotline"


def test_entries_sharing_a_pdq_become_one_signal_with_both_grades():
    fetched = {"1": entry("1"), "2": entry("2", category="C", commercial=True)}
    signals = HotlineSignalExchangeAPI.naive_convert_to_signal_type(
        [PdqSignal, VideoMD5Signal], COLLAB, fetched
    )
    [pdq_metadata] = signals[PdqSignal].values()
    opinions = pdq_metadata.get_as_opinions()
    assert [opinion.category for opinion in opinions] == [SignalOpinionCategory.POSITIVE_CLASS] * 2
    assert {"category:A", "age_band:3-6"} <= opinions[0].tags
    assert {"category:C", "commercial"} <= opinions[1].tags
    assert set(signals[VideoMD5Signal]) == {"1" * 32, "2" * 32}


def test_only_the_signal_types_asked_for_are_produced():
    signals = HotlineSignalExchangeAPI.naive_convert_to_signal_type(
        [VideoSHA256Signal], COLLAB, {"1": entry("1")}
    )
    assert signals == {}


def test_a_removal_deletes_the_fetched_record():
    state = {"1": entry("1"), "2": entry("2")}
    HotlineSignalExchangeAPI.naive_fetch_merge(state, {"1": None, "3": entry("3")})
    assert sorted(state) == ["2", "3"]


def test_unknown_fields_of_a_newer_hotline_are_ignored():
    assert entry("1", new_field="sample").md5 == "1" * 32


def test_the_client_sends_the_member_key_as_a_bearer_token():
    client = HotlineListClient("https://hotline.example", "hlm_sample.key")
    assert client._http.headers["Authorization"] == "Bearer hlm_sample.key"
    assert str(client._http.base_url) == "https://hotline.example/api/v1/lists/"
