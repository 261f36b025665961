"""Encryption at rest: the keyring (Fernet keys) and the key file of the embedded setup."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.config import SettingsError

if TYPE_CHECKING:
    from bot.config import Settings

KEY_FILE_NAME = "secret.key"


class KeyringError(Exception):
    """A stored value could not be decrypted with any key of the keyring."""


class Keyring:
    """Fernet keys: the first one encrypts, every one of them decrypts."""

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        """Build a keyring from Fernet keys (urlsafe base64, 32 bytes), primary key first."""
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self._fernets = [Fernet(key) for key in keys]
        self._multi = MultiFernet(self._fernets)

    @staticmethod
    def generate_key() -> str:
        """Return a new random Fernet key as text."""
        return Fernet.generate_key().decode("ascii")

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        """Keys from HEMMAPLAN_SECRET_KEY, else the key file of the embedded SQLite setup."""
        keys = [part.strip() for part in settings.secret_key.split(",") if part.strip()]
        if keys:
            try:
                return cls(keys)
            except ValueError:
                raise SettingsError(
                    "HEMMAPLAN_SECRET_KEY: not a comma-separated list of Fernet keys"
                ) from None
        if settings.uses_embedded_database:
            key_file = settings.data_dir / KEY_FILE_NAME
            if not key_file.exists():
                _refuse_new_key_beside_data(key_file, settings.embedded_database_path)
            return cls([load_or_create_key_file(key_file)])
        raise SettingsError(
            "HEMMAPLAN_SECRET_KEY: required with PostgreSQL (one or more comma-separated "
            "Fernet keys; make one with: python -c "
            '"from bot.storage.crypto import Keyring; print(Keyring.generate_key())")'
        )

    @property
    def key_count(self) -> int:
        """How many keys the keyring holds."""
        return len(self._fernets)

    def encrypt(self, data: bytes) -> bytes:
        """Encrypt with the primary key."""
        return self._multi.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        """Decrypt with whichever key fits; raise KeyringError if none does."""
        try:
            return self._multi.decrypt(token)
        except InvalidToken:
            raise KeyringError("stored value does not decrypt with any configured key") from None

    def rotate(self, token: bytes) -> bytes:
        """Re-encrypt a token with the primary key."""
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise KeyringError("stored value does not decrypt with any configured key") from None


def _refuse_new_key_beside_data(key_file: Path, database: Path) -> None:
    """A lost key file must not be replaced while the database holds data the old key wrote."""
    # Imported here: the check reads the models, which import this module.
    from bot.storage.key_check import embedded_database_holds_data

    if embedded_database_holds_data(database):
        raise SettingsError(
            f"HEMMAPLAN_SECRET_KEY: the key file {key_file} is missing but {database} holds "
            "encrypted data; restore the key file (a new key could not read that data)"
        )


def load_or_create_key_file(path: Path) -> str:
    """Read the key file, creating it (mode 0600, directory 0700) on first use."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Keyring.generate_key()
    try:
        # O_EXCL: if two processes start at once, only one writes and the other reads its key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise SettingsError(f"HEMMAPLAN_SECRET_KEY: key file {path} is empty")
    return key
