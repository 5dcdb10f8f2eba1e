import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.seeding import CURATORS_GROUP


class Command(BaseCommand):
    help = (
        "Create the first staff account (superuser) with a generated password printed once and "
        "a verified primary e-mail address. Does nothing if the account exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@portal.localhost")

    @transaction.atomic
    def handle(self, *args, email: str, **options):
        User = get_user_model()
        email = email.lower()
        if User.objects.filter(email=email).exists():
            self.stdout.write(f"Staff account {email} already exists (password unchanged; "
                              f"use `manage.py changepassword {email}` to reset it).")
            return
        password = secrets.token_urlsafe(15)
        user = User.objects.create_superuser(email=email, password=password, first_name="Admin", last_name="Portail")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        group = Group.objects.filter(name=CURATORS_GROUP).first()
        if group:
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS("Staff account created — this password is shown only once:"))
        self.stdout.write(f"    e-mail:   {email}\n    password: {password}")
