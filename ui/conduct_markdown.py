"""The code of conduct as Markdown, with headings kept smaller than the page title."""

from nicegui import ui

# NiceGUI styles Markdown h1 at 3rem and h2 at 2.25rem (nicegui.css, 3.18), larger than the
# page title (text-2xl, 1.5rem). The doubled class outranks NiceGUI's `.nicegui-markdown h1`.
CONDUCT_MARKDOWN_CSS = """
.nicegui-markdown.conduct-markdown h1 {
  font-size: 1.25rem; line-height: 1.75rem; font-weight: 700; margin: 1rem 0 0.5rem;
}
.nicegui-markdown.conduct-markdown h2 {
  font-size: 1.125rem; line-height: 1.75rem; font-weight: 700; margin: 0.75rem 0 0.25rem;
}
.nicegui-markdown.conduct-markdown h3,
.nicegui-markdown.conduct-markdown h4,
.nicegui-markdown.conduct-markdown h5,
.nicegui-markdown.conduct-markdown h6 {
  font-size: 1rem; line-height: 1.5rem; font-weight: 600; margin: 0.5rem 0 0.25rem;
}
"""


def conduct_markdown(text: str) -> ui.markdown:
    """Add a Markdown element for code-of-conduct text, with the smaller heading sizes."""
    ui.add_css(CONDUCT_MARKDOWN_CSS)
    return ui.markdown(text).classes("conduct-markdown")
