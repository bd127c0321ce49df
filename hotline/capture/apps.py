from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "hotline.capture"
    label = "capture"

    def ready(self) -> None:
        from hotline.capture import holds
        from hotline.capture.requests import dispatch_capture_requests
        from hotline.capture.retention import HOLDS
        from hotline.capture.tasks import periodic_jobs
        from hotline.core.schedule import Dispatcher, register, register_dispatcher

        # Retention refuses to run until every model pointing at evidence has its hold.
        HOLDS.update(
            {"capture.Capture": holds.capture_warcs, "capture.MediaItem": holds.capture_media}
        )
        for job in periodic_jobs():
            register(job)
        register_dispatcher(Dispatcher("capture-requests", dispatch_capture_requests))
