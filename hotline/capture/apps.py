from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "hotline.capture"
    label = "capture"
