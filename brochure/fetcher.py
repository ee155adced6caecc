"""The only way WeasyPrint may read a file.

Templates, stylesheets, illustrations and logos are read through
:class:`SandboxedFetcher`, which serves ``file:`` URLs under a few allowed
folders (the project's templates/ and assets/, and the clinic's own folder)
and refuses everything else (other files, http, https, data) by stopping the
render with an error that names the URL.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class ForbiddenURL(FatalURLFetchingError):
    """WeasyPrint asked for a URL outside the allowed folders."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused to read {url}: {reason}")
        self.url = url
        self.reason = reason


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
                                    "(no network, no data: URLs)")
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
        path = self.path_for(url)
        self.served.add(path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
