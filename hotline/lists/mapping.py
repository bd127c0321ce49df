"""The one table that maps a hotline grade to the classifications members and partners use.

Hotline grades media in the UK scheme (category A, B or C; an age band; flags). Members ask for:

- the **INTERPOL baseline** ("worst of the worst", recognised as illegal in any country): a real
  child, apparently prepubescent, in a sexual act or with focus on the anal or genital region;
- the **US industry classification** (A1, A2, B1, B2): A a prepubescent child, B a pubescent
  one; 1 a sex act, 2 a lascivious exhibition.

Assumptions, because our grades do not record everything those schemes ask:

1. Prepubescent means the age bands 0-2, 3-6, 7-10 and 11-13; pubescent means 14-15 and 16-17.
   11-13 is on the edge; we count it prepubescent because INTERPOL's baseline is about apparent
   age under 13 and analysts grade the youngest apparent age.
2. Categories A (penetrative or sadistic activity) and B (non-penetrative sexual activity) are a
   sex act (industry "1"); category C (other indecent images, such as posing) is a lascivious
   exhibition (industry "2").
3. The baseline takes categories A and B of a prepubescent child, and never category C (which
   may or may not focus on the genitals: a grade does not say) nor AI-generated imagery (the
   baseline is about real children).
4. A grade without an age band is treated as pubescent: the less severe class, never a guess
   that makes an entry look worse than analysts said.
5. NPI and "not illegal" grades are not listed at all, so they map to nothing.
"""

from dataclasses import dataclass

from hotline.assessment.vocabulary import AgeBand, GradeCategory

LISTED_CATEGORIES = (GradeCategory.A, GradeCategory.B, GradeCategory.C)

PREPUBESCENT_AGE_BANDS = frozenset(
    {AgeBand.AGE_0_2, AgeBand.AGE_3_6, AgeBand.AGE_7_10, AgeBand.AGE_11_13}
)
SEX_ACT_CATEGORIES = frozenset({GradeCategory.A, GradeCategory.B})


@dataclass(frozen=True)
class Classification:
    interpol_baseline: bool
    industry: str


def classify(category: str, age_band: str, ai_generated: bool) -> Classification | None:
    """How partners' schemes name a grade; None for a category the lists do not take."""
    if category not in LISTED_CATEGORIES:
        return None
    prepubescent = age_band in PREPUBESCENT_AGE_BANDS
    sex_act = category in SEX_ACT_CATEGORIES
    industry = ("A" if prepubescent else "B") + ("1" if sex_act else "2")
    baseline = prepubescent and sex_act and not ai_generated
    return Classification(interpol_baseline=baseline, industry=industry)
