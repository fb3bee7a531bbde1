"""Channel credentials, encrypted at rest with Fernet.

Keys come from CHANNEL_CREDENTIAL_KEYS (comma separated, newest first): MultiFernet encrypts with the first
and decrypts with any, so a key is rotated by putting a new one in front and running
`manage.py rotate_channel_credentials`. Without the setting a key is derived from SECRET_KEY (fine for the
demo and tests; production sets its own keys so that rotating SECRET_KEY does not lose the credentials).
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsUnreadable(Exception):
    """The stored credentials cannot be decrypted with any configured key."""


def _fernet() -> MultiFernet:
    keys = [key.encode() for key in settings.CHANNEL_CREDENTIAL_KEYS]
    if not keys:
        digest = hashlib.sha256(b"cocreate channel credentials|" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest)]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_credentials(credentials: dict) -> str:
    return _fernet().encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def decrypt_credentials(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise CredentialsUnreadable("The channel's credentials cannot be decrypted with the configured keys.") from None


def rotate_credentials(token: str) -> str:
    """Re-encrypt with the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else token
