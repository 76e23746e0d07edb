"""Checks of addresses that editors type: links and embeds."""

from urllib.parse import unquote
from urllib.parse import urlsplit

import re


_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
LINK_SCHEMES = ("http", "https", "mailto")


def is_safe_link(url):
    """Whether ``url`` may be a link's href: http(s), mailto or a site path."""
    if not isinstance(url, str) or not url or _UNSAFE.search(url):
        return False
    if url.startswith("/") and not url.startswith("//"):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme == "mailto":
        return bool(parts.path)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _split_https(url):
    if not isinstance(url, str) or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if (
        parts.scheme != "https"
        or not parts.hostname
        or parts.username
        or parts.password
    ):
        return None
    # Browsers resolve "." and ".." (also written %2e) before loading: such a
    # path could leave the allowed prefix, so it is not accepted at all.
    segments = unquote(parts.path).replace("\\", "/").split("/")
    if any(segment in (".", "..") for segment in segments):
        return None
    return parts.hostname.lower(), port, parts.path or "/", parts


def is_valid_provider(prefix):
    """Whether an allow-list entry is usable: https with a host."""
    return _split_https(prefix) is not None


def embed_allowed(url, allowlist):
    """Whether ``url`` falls under one of the allowed provider prefixes.

    Compared part by part (scheme, host, port, path prefix) rather than as
    text, so ``https://player.example.com.evil.test/`` never passes for
    ``https://player.example.com/``.
    """
    target = _split_https(url)
    if target is None:
        return False
    host, port, path, _ = target
    for prefix in allowlist or ():
        allowed = _split_https(prefix)
        if allowed is None:
            continue
        allowed_host, allowed_port, allowed_path, _ = allowed
        # The prefix ends at a "/" boundary: /video/ allows /video/1, and
        # /embed.html allows only itself.
        boundary = allowed_path if allowed_path.endswith("/") else allowed_path + "/"
        if (
            host == allowed_host
            and port == allowed_port
            and (path == allowed_path or path.startswith(boundary))
        ):
            return True
    return False


# Page addresses of videos, as editors copy them, and their embed addresses.
VIDEO_PAGES = (
    (
        re.compile(
            r"https://(?:www\.|m\.)?youtube\.com/watch\?(?:.*&)?v=([A-Za-z0-9_-]{6,20})(?:&.*)?"
        ),
        "https://www.youtube-nocookie.com/embed/{}",
    ),
    (
        re.compile(r"https://youtu\.be/([A-Za-z0-9_-]{6,20})(?:\?.*)?"),
        "https://www.youtube-nocookie.com/embed/{}",
    ),
    (
        re.compile(r"https://(?:www\.)?vimeo\.com/(\d{1,12})(?:[/?#].*)?"),
        "https://player.vimeo.com/video/{}",
    ),
)


def embed_address(url, allowlist):
    """The embed address of a video's page address (YouTube, Vimeo), when
    the allow-list lets it show; else None.  For a message that says what
    to paste instead; an address is never changed behind the editor's back."""
    for page, embed in VIDEO_PAGES:
        found = page.fullmatch(url or "")
        if found is not None:
            address = embed.format(found.group(1))
            return address if embed_allowed(address, allowlist) else None
    return None
