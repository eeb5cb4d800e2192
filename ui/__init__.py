"""NiceGUI pages and dialogs; each page calls services and shows their result or error."""
