"""The Settings dialog and one module per page, listed in its PAGES table."""
