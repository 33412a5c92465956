import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Sign-in tests post many passwords; the production hasher would spend half a second on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
