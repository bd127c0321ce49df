from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "hotline.assessment"
    label = "assessment"

    def ready(self) -> None:
        from hotline.assessment.pregrading import pregrade_on_capture
        from hotline.capture.signals import capture_recorded

        capture_recorded.connect(pregrade_on_capture, dispatch_uid="assessment.pregrade")
