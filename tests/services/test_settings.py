import pytest
from pydantic import ValidationError

from services.settings import Settings


def test_demo_secret_rejected_outside_demo(monkeypatch):
    monkeypatch.setenv("BIEBVOUCHER_DEMO", "false")

    with pytest.raises(ValidationError, match="BIEBVOUCHER_STORAGE_SECRET"):
        Settings()


def test_production_with_own_secret(monkeypatch):
    monkeypatch.setenv("BIEBVOUCHER_DEMO", "false")
    monkeypatch.setenv("BIEBVOUCHER_STORAGE_SECRET", "a-long-random-secret-from-the-operator")

    settings = Settings()

    assert not settings.demo
    assert "a-long-random" not in repr(settings)


def test_default_database_is_sqlite_in_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("BIEBVOUCHER_DATA_DIR", str(tmp_path))

    assert Settings().resolved_database_url == f"sqlite:///{tmp_path.resolve()}/biebvoucher.sqlite3"


@pytest.mark.parametrize("name", ["BIEBVOUCHER_MAX_VOUCHERS_PER_REQUEST", "BIEBVOUCHER_VALIDITY_DAYS"])
def test_limits_must_be_positive(monkeypatch, name):
    monkeypatch.setenv(name, "0")

    with pytest.raises(ValidationError):
        Settings()
