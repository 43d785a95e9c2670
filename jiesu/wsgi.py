import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
application = get_wsgi_application()

# Each worker loads the decision engine's reader (model files, jieba's dictionary) now, before it
# accepts a connection, instead of inside its first request.
from jiesu.engine.reader import warm_up  # noqa: E402

warm_up()
