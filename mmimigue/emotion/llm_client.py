"""Minimal client for any OpenAI-compatible ``/v1/chat/completions`` endpoint (stdlib only).

Environment variables (read by :meth:`ChatClient.from_env`):

- ``MMIMIGUE_LLM_URL``: base URL (``https://api.openai.com/v1``, ``http://127.0.0.1:8000/v1``)
  or the full ``.../chat/completions`` endpoint. Required.
- ``MMIMIGUE_LLM_API_KEY``: bearer token; falls back to ``OPENAI_API_KEY``; may be empty for
  local servers.
- ``MMIMIGUE_LLM_MODEL``: model name. Defaults to ``gpt-3.5-turbo`` (the paper's model).
"""
import json
import os
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
                 request_options: Optional[Dict[str, Any]] = None) -> None:
        if not url:
            raise ValueError(f'no LLM endpoint: set {URL_ENV} (e.g. https://api.openai.com/v1)')
        self.url = chat_completions_url(url)
        self.api_key = api_key or ''
        self.model = model
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
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

    def _request(self, body: bytes) -> Dict:
        headers = {'Content-Type': 'application/json'}
        if self.api_key:
            headers['Authorization'] = f'Bearer {self.api_key}'
        req = urllib.request.Request(self.url, data=body, headers=headers, method='POST')
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            return json.loads(resp.read().decode('utf-8'))

    def _wait(self, attempt: int, retry_after: Optional[str] = None) -> None:
        delay = self.backoff * (2 ** attempt)
        if retry_after:
            try:
                delay = float(retry_after)
            except ValueError:
                pass
        self.num_retries += 1
        time.sleep(min(max(delay, 0.0), self.max_backoff))

    def chat(self, messages: Sequence[Dict[str, str]], **options) -> str:
        """Send ``messages`` and return ``choices[0].message.content``.

        Raises:
            LLMRequestError: on a non-retryable HTTP status, an answer without text, or when
                the retries are used up.
        """
        payload = dict(model=self.model, messages=list(messages), **self.request_options,
                       **options)
        body = json.dumps(payload).encode('utf-8')
        last_error = ''
        for attempt in range(self.max_retries + 1):
            self.num_requests += 1
            try:
                data = self._request(body)
            except urllib.error.HTTPError as e:
                detail = e.read()[:300].decode('utf-8', 'replace') if e.fp else ''
                last_error = f'HTTP {e.code} from {self.url}: {detail}'
                if e.code in RETRY_STATUS and attempt < self.max_retries:
                    self._wait(attempt, e.headers.get('Retry-After') if e.headers else None)
                    continue
                raise LLMRequestError(last_error) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
                last_error = f'{type(e).__name__} talking to {self.url}: {e}'
                if attempt < self.max_retries:
                    self._wait(attempt)
                    continue
                raise LLMRequestError(last_error) from None
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                last_error = f'{self.url} answered with invalid JSON ({e})'
                if attempt < self.max_retries:
                    self._wait(attempt)
                    continue
                raise LLMRequestError(last_error) from None
            return self._content(data)
        raise LLMRequestError(last_error or 'no attempt made')  # max_retries < 0

    def _content(self, data: Dict) -> str:
        try:
            content = data['choices'][0]['message']['content']
        except (KeyError, IndexError, TypeError):
            raise LLMRequestError(f'{self.url}: response has no choices[0].message.content: '
                                  f'{str(data)[:300]}') from None
        if isinstance(content, list):  # content parts
            content = ''.join(p.get('text', '') for p in content if isinstance(p, dict))
        return '' if content is None else str(content)

