"""Settings of the benchmarks' servers: the project's, with static files served plainly (nothing collected).

The benchmarks measure filings and final POSTs, not static files; this spares a collectstatic
and keeps a page that names a static file from failing for want of a manifest.
"""

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
