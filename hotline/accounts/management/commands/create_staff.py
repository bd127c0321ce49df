"""`hotline create-staff USERNAME --role ROLE [--email E]`: a new account with a one-time
printed password; its owner sets up an authenticator app at first sign-in."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from hotline.accounts.models import Role, User
from hotline.audit.log import record

PASSWORD_BYTES = 18  # 24 URL-safe characters, 144 random bits


class Command(BaseCommand):
    help = "Create a staff account with a random password, printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, role: str, email: str, **options: Any) -> None:
        check_account_details(username, role, email)
        password = secrets.token_urlsafe(PASSWORD_BYTES)
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username, email=email, password=password, role=role
                )
                record("account.created", target=user, detail={"role": role, "via": "command"})
        except IntegrityError as error:
            raise CommandError(f"An account named {username!r} already exists.") from error
        self.stdout.write(f"Created {user.get_role_display()} account {username!r}.")
        self.stdout.write(f"Password (shown only this once): {password}")
        self.stdout.write("At first sign-in they will set up an authenticator app.")


def check_account_details(username: str, role: str, email: str) -> None:
    if role not in Role.values:
        raise CommandError(f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.")
    try:
        User.username_validator(username)
        if email:
            validate_email(email)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
    if User.objects.filter(username=username).exists():
        raise CommandError(f"An account named {username!r} already exists.")
