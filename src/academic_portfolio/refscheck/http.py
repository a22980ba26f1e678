"""Polite HTTP for the check: one client, a disk cache, a pace per service.

Only the standard library (urllib): three JSON/XML GETs per paper need no
more. The services ask to be told who calls them (a User-Agent with a
contact), to be called slowly (arXiv: one request every 3 seconds; Crossref:
``X-Rate-Limit-Limit`` requests per ``X-Rate-Limit-Interval``) and to be left
alone for ``Retry-After`` seconds after a 429. Every answer worth keeping is
cached on disk with its time, so a rerun within the expiry asks nothing.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT = 20.0  # seconds for a whole answer (not each read): slower is as good as down
MAX_WAIT = 120.0  # the longest Retry-After we sit through before giving up on a service
# The largest answer read: a record is a few kB, DBLP's ten hits some tens of
# kB; anything near this is not an answer about one paper.
MAX_BYTES = 2_000_000
CHUNK = 65536
# The cache's bounds: files older than the expiry are removed, and the oldest
# go first when the folder holds more than this.
MAX_CACHE_BYTES = 50_000_000
RETRIES = 2  # how many times a 429 or a 503 is asked again (after waiting)
# Answers that say something about the record and can be reused: found, not
# found, moved. A 429 or 5xx says something about the moment only.
CACHED_STATUSES = {200, 301, 302, 303, 307, 308, 404, 410}


class ServiceError(Exception):
    """A service that could not be asked: unreachable, refusing or talking nonsense.

    The message is a full sentence that names the service. *unreachable* is
    True when no connection could be made at all (the network is down, or the
    name does not resolve): that, for every service, is how an offline machine
    looks. *not_cached* is True when ``--offline`` found no answer in the cache:
    nothing was asked, nothing failed."""

    def __init__(self, message: str, *, unreachable: bool = False, not_cached: bool = False):
        super().__init__(message)
        self.unreachable = unreachable
        self.not_cached = not_cached


def malformed(service: str, why: str) -> ServiceError:
    """The error of an answer that cannot be read: the service's own exit status."""
    return ServiceError(f"{service} gave an answer that cannot be read ({why}).")


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller: a 301 is what a link check reports."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


@dataclass
class Cache:
    """Answers on disk (one JSON file per URL), valid for *max_age* seconds."""

    folder: Path
    max_age: float
    clock: Callable[[], float] = time.time

    def path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def get(self, key: str) -> Response | None:
        """The answer saved under *key* ("GET <url>"), if younger than max_age."""
        try:
            saved = json.loads(self.path(key).read_text("utf-8"))
            if saved["key"] != key or self.clock() - saved["time"] > self.max_age:
                return None
            return Response(saved["url"], saved["status"], saved["headers"], saved["body"].encode())
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: ask again

    def forget(self, key: str) -> None:
        """Remove the answer saved under *key*: it could not be read, so a
        rerun must ask again (the service may have been fixed meanwhile)."""
        self.path(key).unlink(missing_ok=True)

    def prune(self, limit: int = MAX_CACHE_BYTES) -> None:
        """Remove expired answers, then the oldest until the folder holds at most *limit* bytes."""
        try:
            files = sorted(self.folder.glob("*.json"), key=lambda f: f.stat().st_mtime)
            sizes = {f: f.stat().st_size for f in files}
        except OSError:
            return
        total, now = sum(sizes.values()), self.clock()
        for file in files:
            if total <= limit and now - file.stat().st_mtime <= self.max_age:
                continue
            file.unlink(missing_ok=True)
            total -= sizes[file]

    def put(self, key: str, response: Response) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        saved = {
            "key": key,
            "url": response.url,
            "time": self.clock(),
            "status": response.status,
            "headers": response.headers,
            "body": response.body.decode("utf-8", "replace"),
        }
        self.path(key).write_text(json.dumps(saved), "utf-8")


@dataclass
class Client:
    """GETs that identify themselves, wait their turn per service and use the cache.

    *offline* answers from the cache only. *sleep* and *clock* are the real
    ones except in tests, which record the waits instead of making them."""

    user_agent: str
    cache: Cache | None = None
    offline: bool = False
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time  # the date, to read Retry-After's date form
    timeout: float = TIMEOUT  # seconds for one whole answer
    max_bytes: int = MAX_BYTES
    intervals: dict[str, float] = field(default_factory=dict)  # per pace key, seconds
    default_interval: float = 0.0  # for a pace key not in intervals (a link's host)
    last_call: dict[str, float] = field(default_factory=dict)
    asked: int = 0  # requests that went to the network (the tests count them)

    def get(self, url: str, pace: str, accept: str = "*/*", method: str = "GET") -> Response:
        """The answer to *method* of *url*, following no redirect; raise ServiceError
        when there is none to be had (network, 429 after waiting, 5xx)."""
        key, who = f"{method} {url}", pace.removeprefix("link:")
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            return cached
        if self.offline:
            raise ServiceError(f"The answer of {who} to {url} is not in the cache (asked offline).",
                               not_cached=True)  # fmt: skip
        for attempt in range(RETRIES + 1):
            self.wait_turn(pace)
            response = self.fetch(url, accept, method, who)
            self.learn_pace(pace, response)
            if response.status not in (429, 503) or attempt == RETRIES:
                break
            self.sleep(self.retry_after(response, who))
        if response.status in CACHED_STATUSES and self.cache:
            self.cache.put(key, response)  # forget() takes it back if it cannot be read
        if response.status == 429:
            raise ServiceError(f"{who} refuses more requests for now (HTTP 429 Too Many Requests).")
        if response.status >= 500:
            raise ServiceError(f"{who} answers with a server error (HTTP {response.status}).")
        return response

    def forget(self, url: str, method: str = "GET") -> None:
        """Drop the cached answer to *url*: the caller could not read it."""
        if self.cache:
            self.cache.forget(f"{method} {url}")

    def wait_turn(self, pace: str) -> None:
        interval = self.intervals.get(pace, self.default_interval)
        last = self.last_call.get(pace)
        if last is not None and interval > 0:
            remaining = interval - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self.last_call[pace] = self.clock()

    def learn_pace(self, pace: str, response: Response) -> None:
        """Follow Crossref's X-Rate-Limit-* headers: N requests per interval."""
        limit, interval = (
            response.header("x-rate-limit-limit"),
            response.header("x-rate-limit-interval"),
        )
        seconds = re.fullmatch(r"(\d+)s", interval or "")
        if limit and limit.isdigit() and int(limit) > 0 and seconds:
            wanted = int(seconds[1]) / int(limit)
            self.intervals[pace] = max(self.intervals.get(pace, 0.0), wanted)

    def retry_after(self, response: Response, who: str) -> float:
        """Retry-After in seconds, given as seconds or as an HTTP date; more
        than MAX_WAIT gives up on the service, a date past waits nothing."""
        value = (response.header("retry-after") or "").strip()
        seconds = retry_seconds(value, self.wall())
        if seconds > MAX_WAIT:
            raise ServiceError(
                f"{who} refuses more requests for now (HTTP {response.status}) and asks us "
                f"to wait {seconds:.0f} s: run the check again later."
            )
        return seconds

    def fetch(self, url: str, accept: str, method: str, who: str) -> Response:
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        request = urllib.request.Request(url, headers=headers, method=method)
        opener = urllib.request.build_opener(NoRedirect)
        self.asked += 1
        deadline = time.monotonic() + self.timeout  # real time: the answer's, not the pace's
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                body = self.read_body(answer, deadline, who)
                return Response(url, answer.status, lower_keys(answer.headers), body)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            body = (
                self.read_body(error, deadline, who)
                if getattr(error, "fp", None) is not None
                else b""
            )
            return Response(url, error.code, lower_keys(error.headers), body)
        except http.client.HTTPException as error:  # a connection cut mid-answer
            raise ServiceError(f"{who} broke off its answer ({error!r}).") from None
        except TimeoutError:
            raise slow(who, self.timeout) from None
        except OSError as error:  # URLError, refused, unreachable, timed out
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise slow(who, self.timeout) from None
            raise ServiceError(f"{who} cannot be reached ({reason}).", unreachable=True) from None

    def read_body(self, answer, deadline: float, who: str) -> bytes:
        """The body, read in chunks against one deadline for the whole answer
        (a server trickling a byte at a time would reset a per-read timeout)
        and at most max_bytes long."""
        declared = (answer.headers or {}).get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_large(who, self.max_bytes)
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise slow(who, self.timeout)
            set_read_timeout(answer, remaining)
            chunk = answer.read1(CHUNK) if hasattr(answer, "read1") else answer.read(CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise too_large(who, self.max_bytes)
            chunks.append(chunk)


def slow(who: str, seconds: float) -> ServiceError:
    return ServiceError(f"{who} did not answer in full within {seconds:g} s.")


def too_large(who: str, limit: int) -> ServiceError:
    return ServiceError(f"{who} sent an answer larger than {limit // 1_000_000} MB: not read.")


def set_read_timeout(answer, seconds: float) -> None:
    """Make the next read of *answer* wait at most *seconds*: its socket's
    timeout (an HTTPError wraps the response, which wraps a buffered socket file)."""
    layer = answer
    for _ in range(4):
        sock = getattr(getattr(layer, "raw", None), "_sock", None)
        if sock is not None:
            sock.settimeout(max(seconds, 0.001))
            return
        layer = getattr(layer, "fp", None)
        if layer is None:
            return


def retry_seconds(value: str, now: float) -> float:
    """Retry-After's seconds: "120" or an HTTP date ("Wed, 21 Oct 2015 07:28:00
    GMT", RFC 9110); a missing or unreadable value counts as MAX_WAIT."""
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return MAX_WAIT
    if when.tzinfo is None:
        return MAX_WAIT
    return max(0.0, when.timestamp() - now)


def lower_keys(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in (headers or {}).items()}
