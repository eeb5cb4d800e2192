"""Application settings, read once from `BIEBVOUCHER_*` environment variables or `.env`."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.tariffs import DEFAULT_TARIFFS, Tariffs

DEMO_STORAGE_SECRET = "demo-storage-secret-not-for-production"  # noqa: S105  (rejected outside demo mode)


class Settings(BaseSettings):
    """Every setting of the application; see README.md for the full list."""

    model_config = SettingsConfigDict(env_prefix="BIEBVOUCHER_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("data")
    database_url: str = ""
    storage_secret: SecretStr = SecretStr(DEMO_STORAGE_SECRET)
    demo: bool = True
    log_level: str = "INFO"
    # "json" writes one JSON object per log line, for log collectors.
    log_format: Literal["text", "json"] = "text"
    # Bearer token that lets other hosts read /metrics; empty means only this host (loopback) may.
    metrics_token: SecretStr = SecretStr("")

    max_vouchers_per_request: int = Field(default=10, ge=1)
    max_open_vouchers_per_organisation: int = Field(default=25, ge=0)
    validity_days: int | None = Field(default=None, ge=1)
    # Days after reimbursement, withdrawal or expiry until the holder's details are removed.
    retention_days: int = Field(default=90, ge=0)

    # A JSON list in the environment; see services/tariffs.py for the form.
    tariffs: Tariffs = Field(default_factory=lambda: list(DEFAULT_TARIFFS))

    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)

    # Without an SMTP host, mail is written as .eml files to `data_dir/outbox` (the demo).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    mail_sender: str = "biebvoucher <noreply@biebvoucher.invalid>"
    # The address users reach the app at, for links in mail; defaults to http://host:port.
    public_url: str = ""
    # Proxies whose X-Forwarded-For header is believed, so throttles and logs see the real client.
    forwarded_allow_ips: str = "127.0.0.1"

    @model_validator(mode="after")
    def _reject_demo_secret_in_production(self) -> "Settings":
        # A known storage secret lets anyone forge NiceGUI's signed session cookie.
        if not self.demo and self.storage_secret.get_secret_value() == DEMO_STORAGE_SECRET:
            raise ValueError("BIEBVOUCHER_STORAGE_SECRET must be set when BIEBVOUCHER_DEMO is false")
        return self

    @property
    def resolved_public_url(self) -> str:
        """Return the base address for links in mail, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def resolved_database_url(self) -> str:
        """Return the configured database URL, or the SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'biebvoucher.sqlite3').resolve()}"


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read on first use."""
    return Settings()
