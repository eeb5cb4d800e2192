"""Password hashing with argon2id through passlib (the maintained `libpass` fork).

The cost is RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), above OWASP's
minimum for argon2id (19 MiB, 2 passes, 1 lane). A stored hash made with other parameters is
replaced at the next successful login (`verify_and_update`).
"""

from passlib.context import CryptContext

MEMORY_COST_KIB = 64 * 1024
TIME_COST = 3
PARALLELISM = 4

_context = CryptContext(
    schemes=["argon2"],
    deprecated="auto",
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
    return verify_and_update(password, password_hash)[0]


def verify_and_update(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Check `password`; returns whether it matches and, if the hash's cost is outdated, a new hash."""
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False, None
    return _context.verify_and_update(password, password_hash)
