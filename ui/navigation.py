"""The header's page navigation: a row of buttons on wide screens, a menu button with a drop-down list below 1024 px."""

from nicegui import ui

from services.accounts import SessionUser
from ui.i18n import _

# Below this width (a portrait tablet) the buttons do not fit beside the logo, language choice and
# account menu, so they move into a list that the menu button opens under the header. 1024 px is
# also where Quasar's `md` breakpoint starts, which the overview's hidden columns use.
NAVIGATION_CSS = """
.main-nav { display: flex; align-items: center; gap: 4px; }
.q-btn.main-nav-toggle { display: none; }
@media (max-width: 1023.98px) {
  .q-btn.main-nav-toggle { display: inline-flex; }
  .main-nav {
    display: none; position: absolute; top: 100%; left: 0; right: 0;
    flex-direction: column; align-items: stretch; padding: 8px 16px;
    background: var(--q-primary); box-shadow: 0 6px 12px rgb(0 0 0 / 0.25);
  }
  .main-nav.main-nav--open { display: flex; }
  .main-nav .q-btn { min-height: 48px; }
  .main-nav .q-btn__content { justify-content: flex-start; }
}
"""

# Closes the open list on a tap or click outside it and on Escape anywhere, as a drop-down menu does.
# The toggle button is left out because its own click handler already closes the list.
CLOSE_ON_OUTSIDE_SCRIPT = """
<script>
(() => {
  const isOpen = () => document.getElementById("main-nav")?.classList.contains("main-nav--open");
  document.addEventListener("pointerdown", (event) => {
    if (!isOpen() || event.target.closest("#main-nav, .main-nav-toggle")) return;
    emitEvent("main-nav-close");
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) emitEvent("main-nav-close");
  });
})();
</script>
"""


def main_navigation(user: SessionUser) -> None:
    """Add the navigation buttons the user's role may use, and the menu button that shows them on narrow screens.

    Each button exists once, so tests find the same `data-testid` and marker at every width.
    """
    ui.add_css(NAVIGATION_CSS)
    ui.add_body_html(CLOSE_ON_OUTSIDE_SCRIPT)
    toggle = ui.button(icon="menu").props("flat round color=white data-testid=nav-menu aria-expanded=false")
    toggle.props["aria-label"] = _("Menu")
    toggle.props["aria-controls"] = "main-nav"
    toggle.classes("main-nav-toggle").mark("nav-menu")

    with ui.element("nav").classes("main-nav").props("id=main-nav") as panel:
        _navigation_button(_("Voucher overview"), "/", "nav-overview")
        if user.organisation_is_library or user.role == "administrator":
            _navigation_button(_("Check voucher code"), "/check", "nav-check")
        _navigation_button(_("Dashboard"), "/dashboard", "nav-dashboard")
        if user.role == "administrator":
            _navigation_button(_("Reimbursement"), "/admin/reimbursement", "nav-reimbursement")
            _navigation_button(_("Administration"), "/admin", "nav-admin")

    def set_open(is_open: bool) -> None:
        if is_open:
            panel.classes(add="main-nav--open")
        else:
            panel.classes(remove="main-nav--open")
        toggle.props(f"aria-expanded={'true' if is_open else 'false'}")

    toggle.on_click(lambda: set_open("main-nav--open" not in panel.classes))
    ui.on("main-nav-close", lambda: set_open(False))


def _navigation_button(label: str, path: str, test_id: str) -> None:
    ui.button(label, on_click=lambda: ui.navigate.to(path)).props(
        f"flat no-caps color=white data-testid={test_id}"
    ).mark(test_id)
