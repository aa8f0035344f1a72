"""Minimal client for any OpenAI-compatible ``/v1/chat/completions`` endpoint (stdlib only).

Environment variables (read by :meth:`ChatClient.from_env`):

- ``MMIMIGUE_LLM_URL``: base URL (``https://api.openai.com/v1``, ``http://127.0.0.1:8000/v1``)
  or the full ``.../chat/completions`` endpoint. Required.
- ``MMIMIGUE_LLM_API_KEY``: bearer token; falls back to ``OPENAI_API_KEY``; may be empty for
  local servers.
- ``MMIMIGUE_LLM_MODEL``: model name. Defaults to ``gpt-3.5-turbo`` (the paper's model).
"""
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Sequence

URL_ENV = 'MMIMIGUE_LLM_URL'
KEY_ENV = 'MMIMIGUE_LLM_API_KEY'
MODEL_ENV = 'MMIMIGUE_LLM_MODEL'
DEFAULT_MODEL = 'gpt-3.5-turbo'
RETRY_STATUS = (408, 409, 425, 429, 500, 502, 503, 504)


class LLMRequestError(RuntimeError):
    """A chat request failed for good (after retries, or with a non-retryable status)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are refused: following one would send the Bearer key to wherever the server
    points (another host included)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise LLMRequestError(f'{req.full_url} redirected ({code}) to {newurl}; mmimigue does '
                              f'not follow redirects with your key. Set {URL_ENV} to the final '
                              'endpoint if you trust it.')


_OPENER = urllib.request.build_opener(_NoRedirect)
_URL_USERINFO_RE = re.compile(r'(\w+://)[^/@\s]+@')
MIN_SECRET_FRAGMENT = 6  # a shorter piece of the key could be ordinary text
_SECRET_RE = re.compile(r'(Bearer\s+)\S+|\b(sk-[A-Za-z0-9_\-]{6,})')


def chat_completions_url(url: str) -> str:
    """Append ``/chat/completions`` unless ``url`` already ends with it."""
    url = url.rstrip('/')
    return url if url.endswith('/chat/completions') else f'{url}/chat/completions'


class ChatClient:
    """Sends chat messages and returns the first choice's text.

    Args:
        url: Base URL or full chat-completions endpoint.
        api_key: Bearer token; no ``Authorization`` header when empty.
        model: Model name sent in the request.
        timeout: Seconds per HTTP request.
        max_retries: Extra attempts after a timeout, connection error or a retryable status
            (408/409/425/429/5xx).
        backoff: First wait in seconds; doubles each retry (``Retry-After`` is honoured up to
            ``max_backoff``).
        max_backoff: Longest single wait.
        total_timeout: Seconds one :meth:`chat` call may take in all, retries and waits
            included (a server trickling bytes cannot hold a run forever).
        max_reply_bytes: Largest answer read; a longer one is an error.
        request_options: Extra body fields (``temperature``, ``max_tokens``, ...).
    """

    def __init__(self,
                 url: str,
                 api_key: Optional[str] = None,
                 model: str = DEFAULT_MODEL,
                 timeout: float = 60.0,
                 max_retries: int = 3,
                 backoff: float = 1.0,
                 max_backoff: float = 30.0,
                 total_timeout: float = 300.0,
                 max_reply_bytes: int = 4 << 20,
                 request_options: Optional[Dict[str, Any]] = None) -> None:
        if not url:
            raise ValueError(f'no LLM endpoint: set {URL_ENV} (e.g. https://api.openai.com/v1)')
        self.url = chat_completions_url(url)  # userinfo kept for the request, never printed
        self.shown_url = _URL_USERINFO_RE.sub(r'\1***@', self.url)
        self.api_key = api_key or ''
        self.model = model
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.total_timeout = total_timeout
        self.max_reply_bytes = max_reply_bytes
        self.request_options = dict(request_options or {})
        self.num_requests = 0
        self.num_retries = 0

    @classmethod
    def from_env(cls, **kwargs) -> 'ChatClient':
        """Build from ``MMIMIGUE_LLM_URL`` / ``MMIMIGUE_LLM_API_KEY`` / ``MMIMIGUE_LLM_MODEL``.

        Raises:
            ValueError: if ``MMIMIGUE_LLM_URL`` is unset.
        """
        url = os.environ.get(URL_ENV, '')
        if not url:
            raise ValueError(f'set {URL_ENV} to an OpenAI-compatible endpoint (e.g. '
                             f'https://api.openai.com/v1) and {KEY_ENV} to its key')
        key = os.environ.get(KEY_ENV) or os.environ.get('OPENAI_API_KEY', '')
        kwargs.setdefault('model', os.environ.get(MODEL_ENV) or DEFAULT_MODEL)
        return cls(url, api_key=key, **kwargs)

    def redact(self, text: str) -> str:
        """``text`` without the API key, any fragment of it of 6 or more characters (a server's
        message cut in the middle of an echoed key) or a URL's user and password."""
        text = text.replace(self.url, self.shown_url)
        text = _URL_USERINFO_RE.sub(r'\1***@', text)
        key = self.api_key
        if key:
            text = text.replace(key, '***')
            for length in range(len(key) - 1, MIN_SECRET_FRAGMENT - 1, -1):
                for start in range(len(key) - length + 1):
                    part = key[start:start + length]
                    if part in text:
                        text = text.replace(part, '***')
        return _SECRET_RE.sub(lambda m: (m.group(1) + '***') if m.group(1) else '***', text)

    def _read(self, resp, deadline: float) -> bytes:
        """The body, read as it arrives (``read1``) with the socket's timeout set to what is
        left of the deadline before each read: a server trickling bytes is cut at the deadline,
        not after one more 64 KiB."""
        sock = getattr(getattr(getattr(resp, 'fp', None), 'raw', None), '_sock', None)
        chunks, size = [], 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f'the answer took longer than {self.total_timeout:.0f}s')
            if sock is not None:
                sock.settimeout(max(min(left, self.timeout), 0.001))
            chunk = resp.read1(65536) if hasattr(resp, 'read1') else resp.read(65536)
            if not chunk:
                return b''.join(chunks)
            size += len(chunk)
            if size > self.max_reply_bytes:
                raise LLMRequestError(f'{self.shown_url}: answer larger than {self.max_reply_bytes} '
                                      'bytes; refusing it (max_reply_bytes)')
            chunks.append(chunk)

    def _request(self, body: bytes, deadline: float) -> Dict:
        headers = {'Content-Type': 'application/json'}
        if self.api_key:
            headers['Authorization'] = f'Bearer {self.api_key}'
        req = urllib.request.Request(self.url, data=body, headers=headers, method='POST')
        timeout = max(min(self.timeout, deadline - time.monotonic()), 0.001)
        with _OPENER.open(req, timeout=timeout) as resp:
            return json.loads(self._read(resp, deadline).decode('utf-8'))

    def _wait(self, attempt: int, retry_after: Optional[str] = None,
              deadline: Optional[float] = None) -> None:
        delay = self.backoff * (2 ** attempt)
        if retry_after:
            try:
                delay = float(retry_after)
            except ValueError:
                pass
        self.num_retries += 1
        delay = min(max(delay, 0.0), self.max_backoff)
        if deadline is not None:
            if time.monotonic() + delay > deadline:
                raise LLMRequestError(f'{self.shown_url}: no answer within the total_timeout of '
                                      f'{self.total_timeout:.0f}s (retries included)')
        time.sleep(delay)

    def chat(self, messages: Sequence[Dict[str, str]], **options) -> str:
        """Send ``messages`` and return ``choices[0].message.content``.

        Every failure (HTTP status, timeout, connection or protocol error such as a bad status
        line or a cut-off body, invalid JSON, redirect, oversized answer, ``content: null``)
        is an :class:`LLMRequestError` whose message never contains the API key.

        Raises:
            LLMRequestError: on a non-retryable failure, an answer without text, when the
                retries are used up or ``total_timeout`` passes.
        """
        payload = dict(model=self.model, messages=list(messages), **self.request_options,
                       **options)
        body = json.dumps(payload).encode('utf-8')
        last_error = ''
        deadline = time.monotonic() + self.total_timeout
        for attempt in range(self.max_retries + 1):
            self.num_requests += 1
            retry_after = None
            try:
                data = self._request(body, deadline)
            except LLMRequestError as e:
                raise LLMRequestError(self.redact(str(e))) from None
            except urllib.error.HTTPError as e:
                # redact the whole (bounded) body first, then cut: a cut never splits the key
                detail = self.redact(e.read(65536).decode('utf-8', 'replace') if e.fp else '')
                last_error = self.redact(f'HTTP {e.code} from {self.shown_url}: {detail[:300]}')
                if e.code not in RETRY_STATUS:
                    raise LLMRequestError(last_error) from None
                retry_after = e.headers.get('Retry-After') if e.headers else None
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError,
                    http.client.HTTPException) as e:  # BadStatusLine, IncompleteRead, ...
                last_error = self.redact(f'{type(e).__name__} talking to {self.shown_url}: {e}')
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                last_error = f'{self.shown_url} answered with invalid JSON ({e})'
            else:
                return self._content(data)
            if attempt < self.max_retries:
                self._wait(attempt, retry_after, deadline)
                continue
            raise LLMRequestError(last_error)
        raise LLMRequestError(last_error or 'no attempt made')  # max_retries < 0

    def _content(self, data: Dict) -> str:
        try:
            content = data['choices'][0]['message']['content']
        except (KeyError, IndexError, TypeError):
            raise LLMRequestError(self.redact(f'{self.shown_url}: response has no '
                                              f'choices[0].message.content: {str(data)[:300]}')
                                  ) from None
        if isinstance(content, list):  # content parts
            content = ''.join(p.get('text', '') for p in content if isinstance(p, dict))
        if content is None:  # e.g. a refusal or a tool call: no text to parse
            raise LLMRequestError(f'{self.shown_url}: the answer has no text (content is null)')
        return str(content)

