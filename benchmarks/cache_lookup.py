"""What a block look-up costs in a plain dict and in plone.memoize's RAM
cache: the figures behind the comment on ``_BLOCKS`` in
src/compositepage/browser/canvas.py (a design view of 1000 widgets looks up
1000 blocks).

    .venv/bin/python benchmarks/cache_lookup.py
"""

from plone.memoize import ram

import statistics
import time


KEYS = [("richtext", n, b"serial%d" % n, "en") for n in range(1000)]
MARKUP = "<li class='cp-block'></li>"


@ram.cache(lambda function, key: key)
def cached(key):
    return MARKUP


def median_ms(lookups, runs=30):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        lookups()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    blocks = {key: MARKUP for key in KEYS}
    for key in KEYS:
        cached(key)
    plain = median_ms(lambda: [blocks.get(key) for key in KEYS])
    memoized = median_ms(lambda: [cached(key) for key in KEYS])
    print(
        f"1000 hits, median of 30 runs: dict {plain:.2f} ms, ram.cache {memoized:.2f} ms"
    )


if __name__ == "__main__":
    main()
