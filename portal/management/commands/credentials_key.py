"""Signing keys of the verifiable credentials: make one, print a public key, show what is published.

    manage.py credentials_key generate [--bits 3072] [--output PATH]   a new private key (PEM)
    manage.py credentials_key public                                    the current key's public PEM
    manage.py credentials_key show                                      kid, size of each published key

Rotation: append the output of ``public`` to the retired keys, then install the new key
(README, "Certificates learners can carry").
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand, CommandError

from portal import credential_keys


class Command(BaseCommand):
    help = "Generate, print or list the signing keys of the verifiable credentials."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="Print (or write) a new RSA private key in PEM.")
        generate.add_argument("--bits", type=int, default=3072)
        generate.add_argument("--output", help="Write the key to this file (mode 600) instead of printing it.")
        sub.add_parser("public", help="Print the current signing key's public key (PEM), to retire it later.")
        sub.add_parser("show", help="List the published keys: kid and size.")

    def handle(self, *args, action: str, **options):
        if action == "generate":
            try:
                pem = credential_keys.generate_private_pem(options["bits"])
            except ValueError as exc:
                raise CommandError(f"--bits: {exc}") from exc
            if options["output"]:
                path = Path(options["output"])
                if path.exists():
                    raise CommandError(f"{path} exists: a key is never overwritten.")
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write(pem)
                self.stderr.write(f"Written to {path}.")
            else:
                self.stdout.write(pem, ending="")
        elif action == "public":
            key = credential_keys.signing_private_key().public_key()
            self.stdout.write(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(), ending="")
        else:
            current = credential_keys.current_key()
            for key in credential_keys.published_keys():
                state = "current" if key.thumbprint == current.thumbprint else "retired"
                self.stdout.write(f"{state}\t{key.public.key_size} bits\t{key.kid}")
