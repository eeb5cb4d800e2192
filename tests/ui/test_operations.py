"""Operator routes: /healthz, /metrics with its access rule, request ids and the latency histogram."""

from datetime import timedelta

import httpx
import pytest
from nicegui import core
from nicegui.testing import User
from prometheus_client import REGISTRY

from services import db
from services.clock import utc_now
from services.settings import get_settings
from tests.factories import make_outbox_mail

OUTSIDE_CLIENT = ("203.0.113.7", 40000)  # an address from the documentation range, not loopback


def _client(address: tuple[str, int] = ("127.0.0.1", 40000)) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(core.app, client=address), base_url="http://test")


async def test_healthz_ok(user: User):
    async with _client() as client:
        response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "mail_queue": "ok", "stuck_mails": 0}


async def test_healthz_reports_stuck_mail(user: User):
    make_outbox_mail(utc_now() - timedelta(minutes=20))
    make_outbox_mail(utc_now() - timedelta(minutes=1))  # due, but not yet overdue

    async with _client() as client:
        response = await client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "mail_queue": "stuck", "stuck_mails": 1}
    assert "someone@example.test" not in response.text


async def test_healthz_reports_unreachable_database(user: User, tmp_path):
    async with _client() as client:
        await client.get("/healthz")
        db.configure(f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}")
        response = await client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "database": "unreachable",
        "mail_queue": "unknown",
        "stuck_mails": None,
    }


async def test_metrics_open_to_loopback(user: User):
    async with _client() as client:
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert "biebvoucher_vouchers_redeemed_total" in response.text
    assert "biebvoucher_open_clients" in response.text
    assert "biebvoucher_http_request_duration_seconds_bucket" in response.text


async def test_metrics_rejected_from_outside(user: User):
    async with _client(OUTSIDE_CLIENT) as client:
        response = await client.get("/metrics")

    assert response.status_code == 403
    assert "biebvoucher_" not in response.text


@pytest.mark.parametrize(("header", "expected"), [("Bearer s3cret-token", 200), ("Bearer wrong", 403), ("", 403)])
async def test_metrics_token_from_outside(user: User, monkeypatch, header, expected):
    monkeypatch.setenv("BIEBVOUCHER_METRICS_TOKEN", "s3cret-token")
    get_settings.cache_clear()

    async with _client(OUTSIDE_CLIENT) as client:
        response = await client.get("/metrics", headers={"Authorization": header} if header else {})

    assert response.status_code == expected


async def test_request_gets_request_id(user: User):
    async with _client() as client:
        generated = await client.get("/healthz")
        forwarded = await client.get("/healthz", headers={"X-Request-ID": "proxy-42"})
        rejected = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})

    assert len(generated.headers["x-request-id"]) == 16
    assert forwarded.headers["x-request-id"] == "proxy-42"
    assert rejected.headers["x-request-id"] != "bad id\nwith newline"
    assert len(rejected.headers["x-request-id"]) == 16


async def test_request_latency_labelled_by_route(user: User):
    # Without a login the page redirects to /login, which is a 303.
    labels = {"method": "GET", "route": "/vouchers/{voucher_id}", "status": "303"}
    before = REGISTRY.get_sample_value("biebvoucher_http_request_duration_seconds_count", labels) or 0

    async with _client() as client:
        await client.get("/vouchers/1")

    assert REGISTRY.get_sample_value("biebvoucher_http_request_duration_seconds_count", labels) == before + 1
