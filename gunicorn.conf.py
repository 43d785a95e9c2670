"""Gunicorn settings, read from the working directory by every gunicorn started in the repo
(`make run`, the production command in the README, the live-server tests and benchmarks).

Threaded workers, because the console is served straight to browsers by `make run`. A sync
worker serves one socket at a time and waits up to `timeout` seconds for a request on it, and
browsers open speculative connections they may never use: two such sockets stalled both sync
workers for 30 seconds and froze the console (seen as a flaky browser test). A gthread worker
parks idle sockets in its poller and keeps its threads for requests that arrive.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("JIESU_GUNICORN_THREADS", "4"))

# Access-log lines without rating-link tokens or phone numbers (R8.3): see jiesu/core/logs.py.
logger_class = "jiesu.core.logs.GunicornLogger"

# Gunicorn 24+ opens a control socket at one fixed path per user; the test suite runs several
# servers at once, which would take each other's socket. Nothing in Jiesu uses it.
control_socket_disable = True

# The master imports the app once (jiesu/wsgi.py: the URLconf, the engine's reader and the engine
# built from the database's rules, then every connection closed) and forks its workers from it:
# each worker serves at once instead of spending seconds building its own copy, the model files
# and dictionaries are shared copy-on-write, and a slow load on a busy machine cannot run into
# gunicorn's worker timeout (a worker's boot counts against it). Code changes need a restart.
preload_app = True
