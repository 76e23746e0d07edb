"""cProfile of one anonymous GET through the real Zope WSGI application (run by
``zconsole run`` on a copy of the benchmark database)."""

from ZPublisher.WSGIPublisher import publish_module

import base64
import cProfile
import io
import os
import pstats
import time


def get(path):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        # Plone themes "localhost" and not "127.0.0.1".
        "SERVER_NAME": os.environ.get("BENCH_PROFILE_HOST", "localhost"),
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "HTTP_ACCEPT": "text/html",
    }
    user = os.environ.get("BENCH_PROFILE_USER")
    if user:
        environ["HTTP_AUTHORIZATION"] = (
            "Basic " + base64.b64encode(user.encode()).decode()
        )
    status = []
    body = b"".join(publish_module(environ, lambda s, h, e=None: status.append(s)))
    return status[0], body


def main():
    path = os.environ["BENCH_PROFILE_PATH"]
    for _ in range(5):
        get(path)
    start = time.perf_counter()
    status, body = get(path)
    plain_ms = (time.perf_counter() - start) * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    get(path)
    profiler.disable()
    out = io.StringIO()
    out.write(
        f"{path}: {status}, {len(body)} bytes, {plain_ms:.1f} ms without the profiler\n\n"
    )
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    with open(os.environ["BENCH_PROFILE_OUT"], "w") as target:
        target.write(out.getvalue())


main()
