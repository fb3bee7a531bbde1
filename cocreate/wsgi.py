import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocreate.settings")
application = get_wsgi_application()

# Everything loaded so far (modules, URL patterns, templates' loaders) lives as long as the process: moved out of
# the cyclic collector's generations, a full collection no longer walks it in the middle of a request. Without
# this the calendar's month of 2,000 posts had a p95 up to 4x its p50 (bench/bench_calendar.py --no-gc-freeze).
gc.collect()
gc.freeze()
