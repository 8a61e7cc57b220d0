"""The HTTP API under /api/v1/ (Django REST framework): thin views over the services and
selectors, scoped by `cases_visible_to`, with errors in Vietnamese and English."""
