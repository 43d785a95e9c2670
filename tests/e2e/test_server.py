"""The served console stays responsive when browsers hold idle connections open.

Browsers open speculative connections they may never send a request on. With gunicorn's sync
workers each such socket took a whole worker for `timeout` (30 s): two of them froze the console
and a browser test waited in vain. gunicorn.conf.py picks threaded workers; this checks it.
"""

import socket
import urllib.request


def test_idle_connections_do_not_take_the_workers(live_server_url):
    url, _ = live_server_url
    host, port = url.removeprefix("http://").split(":")
    # More idle sockets than the server has workers (2): a sync server answers nothing now.
    idle = [socket.create_connection((host, int(port))) for _ in range(4)]
    try:
        with urllib.request.urlopen(f"{url}/login/", timeout=10) as response:
            assert response.status == 200
            assert "登录" in response.read().decode()
    finally:
        for s in idle:
            s.close()
