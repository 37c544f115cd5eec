"""Modules that ``mypy --strict`` must accept (``accepted``) or reject line by line
(``rejected``); see ``tests/sdk/test_typing.py``."""
