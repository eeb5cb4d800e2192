import pytest
from passlib.hash import argon2

from services.passwords import hash_password, is_weaker_than_policy, verify_and_update, verify_password


def test_hash_uses_owasp_minimum_cost():
    parsed = argon2.from_string(hash_password("a long enough password"))

    assert parsed.type == "id"
    assert parsed.memory_cost >= 19 * 1024
    assert parsed.rounds >= 2
    assert parsed.parallelism >= 1


@pytest.mark.parametrize(
    ("settings", "weaker"),
    [
        ({"memory_cost": 8 * 1024, "rounds": 2}, True),
        ({"memory_cost": 19 * 1024, "rounds": 1}, True),
        ({"type": "i", "memory_cost": 19 * 1024, "rounds": 2}, True),
        ({"memory_cost": 19 * 1024, "rounds": 2}, False),
        ({"memory_cost": 64 * 1024, "rounds": 3, "parallelism": 4}, False),
    ],
)
def test_weaker_hash_detected(settings, weaker):
    stored = argon2.using(parallelism=settings.pop("parallelism", 1), **settings).hash("password")

    assert is_weaker_than_policy(stored) is weaker


def test_weak_hash_upgraded():
    weak = argon2.using(memory_cost=8 * 1024, rounds=1, parallelism=1).hash("password")

    matches, new_hash = verify_and_update("password", weak)

    assert matches
    assert new_hash is not None
    assert not is_weaker_than_policy(new_hash)
    assert verify_password("password", new_hash)


def test_wrong_password_gives_no_new_hash():
    weak = argon2.using(memory_cost=8 * 1024, rounds=1, parallelism=1).hash("password")

    assert verify_and_update("wrong", weak) == (False, None)


def test_missing_hash_never_matches():
    assert verify_and_update("password", None) == (False, None)
