"""Password hashing with argon2id through passlib (the maintained `libpass` fork).

The cost is OWASP's minimum for argon2id (19 MiB memory, 2 passes, 1 lane; OWASP Password
Storage Cheat Sheet). Every login costs one hash, and a higher cost would let a burst of logins
starve the pages of a small server of CPU. A stored hash that is weaker than this (less memory,
fewer passes, or not argon2id) is replaced at the next successful login. A stronger one is kept.
"""

from passlib.context import CryptContext
from passlib.hash import argon2

MEMORY_COST_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1

_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=MEMORY_COST_KIB,
    argon2__rounds=TIME_COST,
    argon2__parallelism=PARALLELISM,
)
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


def is_weaker_than_policy(password_hash: str) -> bool:
    """Return whether `password_hash` is not argon2id or uses less memory or fewer passes than the policy."""
    parsed = argon2.from_string(password_hash)
    return parsed.type != "id" or parsed.memory_cost < MEMORY_COST_KIB or parsed.rounds < TIME_COST


def verify_and_update(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Check `password`; returns whether it matches and, when the stored hash is weaker, a new hash."""
    if not verify_password(password, password_hash):
        return False, None
    assert password_hash is not None
    return True, hash_password(password) if is_weaker_than_policy(password_hash) else None
