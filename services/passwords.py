"""Password hashing with argon2id through passlib (the maintained `libpass` fork)."""

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")
# Verified against when an e-mail address is unknown, so both outcomes take about as long.
_DUMMY_HASH = _context.hash("timing-equaliser-not-a-real-password")


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password`."""
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Return whether `password` matches; with no hash, spend the same time and return False."""
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False
    return _context.verify(password, password_hash)
