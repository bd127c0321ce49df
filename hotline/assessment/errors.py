"""Why the assessment process refused an action. A refusal always leaves everything unchanged."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


class AssessmentRefused(Exception):
    """A rule of the assessment process said no; `message` tells the analyst why."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ClaimHeldByAnother(AssessmentRefused):
    """Another analyst holds the case; nobody else may view its form or act on it."""

    def __init__(self, holder: str, since: datetime) -> None:
        self.holder = holder
        self.since = since
        when = formats.date_format(timezone.localtime(since), "DATETIME_FORMAT")
        super().__init__(
            _("%(holder)s is working on this case (claimed %(since)s). Nothing was changed.")
            % {"holder": holder, "since": when}
        )


class ClaimRequired(AssessmentRefused):
    """Nobody holds the case: claiming it first is what keeps two analysts apart."""

    def __init__(self) -> None:
        super().__init__(_("Claim this case before acting on it. Nothing was changed."))


class AlreadyDecided(AssessmentRefused):
    """The case moved on (for example a second submission of the same form)."""


class NotAllowed(AssessmentRefused):
    """The rules of the process exclude this person from this step."""

    status = 403


class InvalidGrade(AssessmentRefused):
    """A grade or reason that breaks the grading rules; `problems` maps field to message."""

    status = 400

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems.values()))
