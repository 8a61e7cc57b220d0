"""The API under load: gunicorn on PostgreSQL (server), many clients with tokens doing what
agencies and committees do (clients), and afterwards the check that every accepted transition
is in the database once (verdict). `manage.py loadtest` runs them in a scratch database."""
