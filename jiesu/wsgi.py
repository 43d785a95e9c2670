import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
application = get_wsgi_application()

# Import every view (the URLconf: seconds, with pinyin and PDF libraries), load the decision
# engine's reader (model files, jieba's dictionary) and build the engine from the database's
# rules now, before a worker accepts a connection, instead of inside its first request. Under
# gunicorn this runs once in the master (gunicorn.conf.py: preload_app) and the workers fork.
from django.db import connections  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from jiesu.dispatch.runtime import warm_up_engine  # noqa: E402
from jiesu.engine.reader import warm_up  # noqa: E402

get_resolver().url_patterns  # noqa: B018  (the property imports the URLconf)
warm_up()
warm_up_engine()
# Opened in the importing thread, whose connection no request would ever close (and no forked
# worker may share).
connections.close_all()
