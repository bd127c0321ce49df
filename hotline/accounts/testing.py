"""For tests and benchmarks: a client signed in as a staff member, second factor verified."""

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.accounts.models import User


def verified_client(user: User) -> Client:
    """A client signed in as `user` with the second factor already verified."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client
