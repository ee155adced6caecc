"""The only way WeasyPrint may read a file.

Templates, stylesheets, illustrations and logos are read through
:class:`SandboxedFetcher`, which serves ``file:`` URLs under a few allowed
folders (the project's templates/ and assets/, and the clinic's own folder)
and refuses everything else (other files, http, https, ftp) by stopping the
render with an error that names the URL.

``data:`` URLs are served when they hold a picture (:data:`DATA_IMAGE_TYPES`):
design tools embed a logo's PNG in its SVG that way, and the bytes are in the
URL itself, so nothing is read from the disk or the network. A ``data:``
stylesheet, font or page is refused like any other URL.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Media types a ``data:`` URL may carry: paths.DATA_IMAGE_TYPES. An SVG inside
# one is fetched through this same fetcher, so whatever it refers to is
# sandboxed too.
from .paths import DATA_IMAGE_TYPES, short_url

#: Largest picture a data: URL may hold, decoded.
MAX_DATA_BYTES = 20 * 1024 * 1024
_SPACE = re.compile(r"\s+")


class ForbiddenURL(FatalURLFetchingError):
    """WeasyPrint asked for a URL outside the allowed folders."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused to read {short_url(url)}: {reason}")
        self.url = short_url(url)
        self.reason = reason


def data_url_bytes(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a ``data:`` URL holding a picture.

    Raises :class:`ForbiddenURL` for any other media type, for broken
    base64 and for pictures over :data:`MAX_DATA_BYTES`.
    """
    header, comma, payload = url[len("data:"):].partition(",")
    if not comma:
        raise ForbiddenURL(url, "a data: URL needs a comma before its data")
    parameters = [part.strip().lower() for part in header.split(";")]
    media_type = parameters[0] or "text/plain"
    if media_type not in DATA_IMAGE_TYPES:
        raise ForbiddenURL(url, f"a data: URL may hold only a picture "
                                f"({', '.join(DATA_IMAGE_TYPES)}), not {media_type}")
    if "base64" in parameters[1:]:
        # Editors wrap long base64 lines; some leave the padding out.
        encoded = _SPACE.sub("", unquote(payload))
        try:
            data = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ForbiddenURL(url, "its base64 data is broken") from None
    else:
        data = unquote_to_bytes(payload)
    if len(data) > MAX_DATA_BYTES:
        raise ForbiddenURL(url, f"the picture is larger than {MAX_DATA_BYTES // 2**20} MB")
    return media_type, data


class SandboxedFetcher(URLFetcher):
    """A URL fetcher that reads only files below ``allowed`` folders; no network."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self.allowed = [folder.resolve() for folder in allowed]
        #: Every file served, for the build's record of what a PDF was made from.
        self.served: set[Path] = set()

    def path_for(self, url: str) -> Path:
        """Return the local file for ``url``, or raise :class:`ForbiddenURL`."""
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ForbiddenURL(url, f"{parts.scheme or 'relative'} URLs are not allowed "
                                    "(no network; data: URLs only for pictures)")
        if parts.netloc not in ("", "localhost"):
            raise ForbiddenURL(url, "file URLs on another host are not allowed")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed):
            allowed = ", ".join(str(folder) for folder in self.allowed)
            raise ForbiddenURL(url, f"only files under {allowed} may be read")
        if not path.is_file():
            raise ForbiddenURL(url, "file not found")
        return path

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            media_type, data = data_url_bytes(url)
            return URLFetcherResponse(url, data, {"Content-Type": media_type})
        path = self.path_for(url)
        self.served.add(path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
