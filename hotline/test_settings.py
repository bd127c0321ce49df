"""Settings for the test suite: the real settings with fast password hashing and inline tasks."""

import os
import tempfile

os.environ.setdefault("HOTLINE_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("HOTLINE_VAR_DIR", tempfile.mkdtemp(prefix="hotline-test-"))

from hotline.settings import *  # noqa: F403
from hotline.settings import STATIC_ROOT, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# WhiteNoise warns about a missing static root; tests serve from the finders instead.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Hundreds of intake tests file reports naming example.com; capture tests turn this on.
HOTLINE_CAPTURE_ON_REPORT = False

# Hosting look-ups never leave the machine in tests; RDAP tests turn it on against local servers.
HOTLINE_TAKEDOWN_RDAP = False
