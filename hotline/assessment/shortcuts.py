"""Keyboard shortcuts of the console: one table drives the inputs, the legend and grading.js.

Digits choose the outcome, letters the classification, laid out so that no key means two things
on one page (the age bands run along the keyboard's top row, youngest on the left).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline.assessment.vocabulary import AgeBand, Category, Outcome, Sex

CHOICE_KEYS: dict[str, dict[str, str]] = {
    "outcome": {
        Outcome.CONFIRMED: "1",
        Outcome.NPI: "2",
        Outcome.NOT_ILLEGAL: "3",
        Outcome.OFF_REMIT: "4",
        Outcome.UNREACHABLE: "5",
    },
    "category": {Category.A: "a", Category.B: "b", Category.C: "c"},
    "age_band": {
        AgeBand.AGE_0_2: "q",
        AgeBand.AGE_3_6: "w",
        AgeBand.AGE_7_10: "e",
        AgeBand.AGE_11_13: "r",
        AgeBand.AGE_14_15: "t",
        AgeBand.AGE_16_17: "y",
    },
    "sex": {Sex.GIRLS: "g", Sex.BOYS: "o", Sex.BOTH: "h", Sex.UNIDENTIFIABLE: "u"},
}
FLAG_KEYS = {"self_generated": "s", "commercial": "m", "ai_generated": "i"}

CLAIM_NEXT = "n"
CONFIRM = "y"
DISPUTE = "d"
UPHOLD = "k"

Legend = list[tuple[str, Promise]]

COMMON: Legend = [
    ("Ctrl+Enter", _("submit the form (also from a text field)")),
    ("Esc", _("leave a text field, so that shortcuts work again")),
]
GRADING: Legend = [
    ("1 2 3 4 5", _("outcome")),
    ("a b c", _("category")),
    ("q w e r t y", _("youngest age band, 0-2 to 16-17")),
    ("g o h u", _("girls, boys, both, unidentifiable")),
    ("s m i", _("self-generated, commercial, AI-generated (toggle)")),
    ("Enter", _("submit the grade")),
]
QUEUE: Legend = [(CLAIM_NEXT, _("claim the next case"))]
REVEAL = "v"
MEDIA: Legend = [
    ("j → ↓", _("next media item")),
    ("← ↑", _("previous media item")),
    (REVEAL, _("reveal the focused item (one at a time), or hide it again")),
    ("Esc", _("hide the revealed item; again to leave the media items")),
]
ITEM_GRADING: Legend = [
    ("a b c 2 3", _("on a focused item: category A, B, C, NPI, not illegal")),
    ("q w e r t y", _("on a focused item: youngest age band")),
    ("g o h u", _("on a focused item: sex")),
    ("s m i", _("on a focused item: flags (toggle)")),
    ("Enter", _("on a focused item: save its grade")),
]
CONFIRMING: Legend = [
    (CONFIRM, _("confirm the grade")),
    (DISPUTE, _("dispute it: type the reason, then Ctrl+Enter")),
]
RESOLVING: Legend = [(UPHOLD, _("uphold (keep) the original grade")), *GRADING]
