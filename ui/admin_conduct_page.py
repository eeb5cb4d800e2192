"""Beheer gedragscode: publish a new version with a preview, and see who accepted which version."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role
from services.accounts import SessionUser
from services.conduct import (
    ConductStatus,
    check_new_conduct_text,
    conduct_statuses,
    conduct_versions,
    publish_conduct,
)
from services.errors import DomainError
from services.i18n import format_short_datetime
from ui.admin_page import confirm
from ui.conduct_markdown import conduct_markdown
from ui.frame import page_frame
from ui.i18n import _, current_locale, rejection_text
from ui.session import call_as_user, page_user


def admin_conduct_page(request: Request) -> RedirectResponse | None:
    """Show the code-of-conduct administration to administrators."""
    user = page_user(request)
    if isinstance(user, RedirectResponse):
        return user
    with page_frame(user, _("Code of conduct: versions and acceptances")):
        if user.role != Role.ADMINISTRATOR:
            ui.label(_("Only administrators can manage the code of conduct.")).classes("text-lg")
            return None
        ConductAdministration(user).build()
    return None


class ConductAdministration:
    """The editor with its preview, the list of versions and the list of acceptances."""

    def __init__(self, user: SessionUser) -> None:
        self.user = user

    def build(self) -> None:
        self.area = ui.column().classes("w-full gap-4")
        self._build_content(published=None)

    def _build_content(self, published: int | None) -> None:
        """Build the editor and both tables; after a publication, `published` is the new version's number.

        The page rebuilds this part in place instead of reloading, so the notice about the publication stays.
        """
        self.area.clear()
        versions = conduct_versions(actor_id=self.user.id)
        current = versions[0] if versions else None
        self.next_version = current.version + 1 if current else 1
        with self.area:
            if published is not None:
                ui.label(_("Version {version} of the code of conduct is published.", version=published)).classes(
                    "rounded bg-green-100 text-green-900 px-3 py-2 font-semibold"
                ).props("role=status data-testid=conduct-published").mark("conduct-published")
            ui.label(_("New version")).classes("text-xl font-bold").props("role=heading aria-level=2")
            ui.label(_("Every user has to accept the new version before they can continue working.")).classes("text-sm")
            self._editor(current.text if current else "")
            self._versions_table(versions)
            self._acceptances_table(conduct_statuses(actor_id=self.user.id), current.version if current else None)

    def _editor(self, text: str) -> None:
        with ui.row().classes("w-full gap-4 flex-nowrap items-start"):
            self.text = (
                ui.textarea(_("Text (Markdown)"), value=text)
                .props("outlined autogrow data-testid=conduct-editor")
                .classes("w-1/2")
                .mark("conduct-editor")
            )
            with ui.card().classes("w-1/2").props("flat bordered"):
                ui.label(_("Preview")).classes("font-semibold")
                self.preview = conduct_markdown(self.text.value or "").props("data-testid=conduct-preview")
                self.preview.mark("conduct-preview")
        self.text.on_value_change(lambda event: self.preview.set_content(event.value or ""))
        self.message = (ui.label().classes("text-red-800").props("role=alert data-testid=conduct-publish-error")).mark(
            "conduct-publish-error"
        )
        ui.button(_("Publish as version {version}", version=self.next_version), on_click=self._publish).props(
            "unelevated no-caps size=lg data-testid=conduct-publish"
        ).mark("conduct-publish")

    def _versions_table(self, versions: list) -> None:
        locale = current_locale()
        ui.label(_("Published versions")).classes("text-xl font-bold").props("role=heading aria-level=2")
        rows = [
            {
                "version": version.version,
                "published_at": format_short_datetime(locale, version.published_at),
                "published_by": version.published_by_name or "",
            }
            for version in versions
        ]
        columns = [
            {"name": "version", "label": _("Version"), "field": "version", "align": "left"},
            {"name": "published_at", "label": _("Published"), "field": "published_at", "align": "left"},
            {"name": "published_by", "label": _("Published by"), "field": "published_by", "align": "left"},
        ]
        ui.table(columns=columns, rows=rows, row_key="version").classes("w-full").props(
            "flat bordered data-testid=conduct-versions"
        ).mark("conduct-versions")

    def _acceptances_table(self, statuses: list[ConductStatus], current_version: int | None) -> None:
        locale = current_locale()
        ui.label(_("Acceptance per user")).classes("text-xl font-bold").props("role=heading aria-level=2")
        rows = [
            {
                "id": status.user_id,
                "name": status.name,
                "email": status.email,
                "organisation": status.organisation_name,
                "version": status.accepted_version or "",
                "accepted_at": format_short_datetime(locale, status.accepted_at),
                "current": _("yes") if current_version and status.accepted_version == current_version else _("no"),
            }
            for status in statuses
            if status.active
        ]
        columns = [
            {"name": key, "label": label, "field": key, "align": "left", "sortable": True}
            for key, label in (
                ("name", _("Name")),
                ("email", _("E-mail address")),
                ("organisation", _("Organisation")),
                ("version", _("Accepted version")),
                ("accepted_at", _("Accepted on")),
                ("current", _("Current version accepted")),
            )
        ]
        ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props(
            "flat bordered data-testid=conduct-acceptances"
        ).mark("conduct-acceptances")

    async def _publish(self) -> None:
        self.message.text = ""
        text = self.text.value or ""
        try:
            version = await call_as_user(check_new_conduct_text, text=text)
        except DomainError as error:
            self.message.text = rejection_text(error, action="code of conduct publication", user_id=self.user.id)
            return
        if version is None:
            return
        published: int | None = None

        async def publish() -> None:
            nonlocal published
            published = await call_as_user(publish_conduct, text=text)

        question = _(
            "After publishing, every user has to accept version {version} before they can continue working, "
            "also users who are logged in now.",
            version=version,
        )
        try:
            await confirm(
                _("Publish version {version}?", version=version),
                question,
                _("Publish as version {version}", version=version),
                publish,
            )
        except DomainError as error:
            self.message.text = rejection_text(error, action="code of conduct publication", user_id=self.user.id)
            return
        if published is not None:
            ui.notify(_("Version {version} of the code of conduct is published.", version=published), type="positive")
            self._build_content(published=published)
