"""The key that signs the portal's verifiable credentials (VC-JWT, RS256), and the public keys
that verify them.

- The signing key is an RSA private key of at least 2048 bits, in PEM, from the environment:
  ``PORTAL_CREDENTIALS_SIGNING_KEY`` (the PEM itself; ``\\n`` sequences are accepted for
  one-line values) or ``PORTAL_CREDENTIALS_SIGNING_KEY_FILE`` (a path, e.g. a Docker secret).
  In the embedded mode (``DJANGO_DEBUG=1``) and in tests, without either, a key is generated
  once into ``var/credentials/signing-key.pem`` (never committed: ``/var/`` is ignored);
  ``manage.py credentials_key generate`` makes one too. In production a missing key is a
  deploy-check error (``portal.E010``).
- Retired keys stay published so that credentials they signed still verify:
  ``PORTAL_CREDENTIALS_RETIRED_KEYS`` (public keys in PEM, one after the other) or
  ``PORTAL_CREDENTIALS_RETIRED_KEYS_FILE``.
- Each key's ``kid`` is the absolute URL of its JWK (``/credentials/keys/<thumbprint>.json``,
  the RFC 7638 SHA-256 thumbprint): Open Badges 3.0 asks for a ``kid`` that dereferences to the
  public key. ``/.well-known/jwks.json`` lists the current key and every retired one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

MIN_RSA_BITS = 2048
ALGORITHM = "RS256"
_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)


class SigningKeyMissing(ImproperlyConfigured):
    """No signing key in production: credentials cannot be issued (check --deploy says so)."""


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class PublicKey:
    public: rsa.RSAPublicKey

    @property
    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 of the required members, lexicographic order, no whitespace."""
        numbers = self.public.public_numbers()
        canonical = json.dumps({"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)},
                               separators=(",", ":"), sort_keys=True)
        return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode("ascii")

    @property
    def kid(self) -> str:
        from portal.notifications.services import absolute_url

        return absolute_url(reverse("credential_key", args=[self.thumbprint]))

    def jwk(self) -> dict:
        numbers = self.public.public_numbers()
        return {"kty": "RSA", "use": "sig", "alg": ALGORITHM, "kid": self.kid,
                "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e)}


def _text(value: str) -> str:
    return value.replace("\\n", "\n").strip()


def _read(setting: str) -> str:
    value = getattr(settings, setting, "") or ""
    path = getattr(settings, f"{setting}_FILE", "") or ""
    if not value and path:
        value = Path(path).read_text()
    return _text(value)


def _check_rsa(key, where: str) -> None:
    if not isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        raise ImproperlyConfigured(f"{where}: an RSA key is required (RS256).")
    if key.key_size < MIN_RSA_BITS:
        raise ImproperlyConfigured(f"{where}: the RSA key has {key.key_size} bits; at least {MIN_RSA_BITS} are required.")


@lru_cache(maxsize=8)
def _private_from_pem(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    _check_rsa(key, "PORTAL_CREDENTIALS_SIGNING_KEY")
    return key


@lru_cache(maxsize=8)
def _publics_from_pem(pems: str) -> tuple[rsa.RSAPublicKey, ...]:
    keys = []
    for block in _PEM_BLOCK.findall(pems):
        if "PRIVATE KEY" in block:
            key = serialization.load_pem_private_key(block.encode(), password=None).public_key()
        else:
            key = serialization.load_pem_public_key(block.encode())
        _check_rsa(key, "PORTAL_CREDENTIALS_RETIRED_KEYS")
        keys.append(key)
    return tuple(keys)


def generate_private_pem(bits: int = 3072) -> str:
    """A new RSA private key in PKCS#8 PEM (3072 bits by default, above the 2048 minimum)."""
    if bits < MIN_RSA_BITS:
        raise ValueError(f"at least {MIN_RSA_BITS} bits")
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(_text(private_pem).encode(), password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def development_key_path() -> Path:
    return Path(settings.PORTAL_CREDENTIALS_DEV_KEY_DIR) / "signing-key.pem"


def _development_pem() -> str:
    """The embedded mode's key: generated once into var/, then read from there."""
    path = development_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = generate_private_pem(2048)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(pem)
        tmp.chmod(0o600)
        tmp.replace(path)  # two first requests at once: one of the two keys wins, whole
    return path.read_text()


def signing_key_configured() -> bool:
    return bool(_read("PORTAL_CREDENTIALS_SIGNING_KEY"))


def signing_private_key() -> rsa.RSAPrivateKey:
    pem = _read("PORTAL_CREDENTIALS_SIGNING_KEY")
    if not pem:
        if not (settings.DEBUG or settings.TESTING):
            raise SigningKeyMissing("PORTAL_CREDENTIALS_SIGNING_KEY is not set: credentials cannot be signed.")
        pem = _development_pem()
    return _private_from_pem(pem)


def current_key() -> PublicKey:
    return PublicKey(signing_private_key().public_key())


def retired_keys() -> list[PublicKey]:
    return [PublicKey(key) for key in _publics_from_pem(_read("PORTAL_CREDENTIALS_RETIRED_KEYS"))]


def published_keys() -> list[PublicKey]:
    """The current key first, then each retired one (a key listed twice is published once)."""
    keys, seen = [], set()
    for key in [current_key(), *retired_keys()]:
        if key.thumbprint not in seen:
            seen.add(key.thumbprint)
            keys.append(key)
    return keys


def jwks() -> dict:
    return {"keys": [key.jwk() for key in published_keys()]}


def key_by_thumbprint(thumbprint: str) -> PublicKey | None:
    return next((key for key in published_keys() if key.thumbprint == thumbprint), None)


def sign_jwt(payload: dict) -> str:
    """A compact JWS of ``payload``: header ``alg`` RS256, ``typ`` JWT, ``kid`` (the JWK's URL)."""
    private = signing_private_key()
    kid = PublicKey(private.public_key()).kid
    return jwt.encode(payload, private, algorithm=ALGORITHM, headers={"kid": kid, "typ": "JWT"})
