"""The LLM client keeps the key to itself and never hangs or crashes a run: no key-carrying
redirects, redacted errors, a total deadline, a reply size cap, malformed HTTP as a counted
error, Retry-After honoured, a null answer reported."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mmimigue.emotion.llm_client import ChatClient, LLMRequestError

KEY = 'sk-test-SECRET-123456'
MESSAGES = [dict(role='user', content='hi')]


def _completion(text):
    return dict(choices=[dict(message=dict(role='assistant', content=text))])


class Server:
    """``handle(handler)`` answers each POST; every request's headers are recorded."""

    def __init__(self, handle):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get('Content-Length', 0)))
                outer.requests.append(dict(self.headers))
                handle(self)

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}/v1'
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def _reply(h, status, body, headers=()):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    h.send_response(status)
    for k, v in headers:
        h.send_header(k, v)
    h.send_header('Content-Length', str(len(data)))
    h.end_headers()
    h.wfile.write(data)


@pytest.fixture
def serve():
    servers = []

    def make(handle):
        servers.append(Server(handle))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def test_a_redirect_to_another_host_is_not_followed_with_the_key(serve):
    other = serve(lambda h: _reply(h, 200, _completion('stolen')))
    first = serve(lambda h: _reply(h, 307, b'', [('Location', other.url + '/chat/completions')]))
    client = ChatClient(first.url, api_key=KEY, max_retries=0)
    with pytest.raises(LLMRequestError, match='redirected') as e:
        client.chat(MESSAGES)
    assert other.requests == [] and KEY not in str(e.value)
    assert first.requests[0]['Authorization'] == f'Bearer {KEY}'


def test_server_error_bodies_are_redacted(serve):
    srv = serve(lambda h: _reply(h, 401, dict(error=f'invalid key Bearer {KEY} (sent {KEY})')))
    with pytest.raises(LLMRequestError, match='HTTP 401') as e:
        ChatClient(srv.url, api_key=KEY, max_retries=0).chat(MESSAGES)
    assert KEY not in str(e.value) and '***' in str(e.value)


def test_total_deadline_bounds_a_slow_server(serve):
    def slow(h):
        time.sleep(0.6)
        _reply(h, 503, b'{}')

    srv = serve(slow)
    client = ChatClient(srv.url, timeout=5, max_retries=10, backoff=0.01, total_timeout=1.0)
    start = time.monotonic()
    with pytest.raises(LLMRequestError):
        client.chat(MESSAGES)
    assert time.monotonic() - start < 2.5 and client.num_requests <= 3


def test_oversized_answers_are_refused(serve):
    srv = serve(lambda h: _reply(h, 200, _completion('x' * 200_000)))
    with pytest.raises(LLMRequestError, match='larger than 100000 bytes'):
        ChatClient(srv.url, max_retries=0, max_reply_bytes=100_000).chat(MESSAGES)


def _raw_server(reply: bytes):
    """A TCP server that answers every connection with ``reply`` and closes it."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(8)

    def run():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(reply)
            conn.close()

    threading.Thread(target=run, daemon=True).start()
    return sock, f'http://127.0.0.1:{sock.getsockname()[1]}/v1'


@pytest.mark.parametrize('reply', [
    b'garbage that is not HTTP\r\n\r\n',                                     # BadStatusLine
    b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"choices": [',          # IncompleteRead
])
def test_malformed_http_is_a_request_error_not_a_crash(reply):
    sock, url = _raw_server(reply)
    try:
        client = ChatClient(url, max_retries=1, backoff=0.01)
        with pytest.raises(LLMRequestError):
            client.chat(MESSAGES)
        assert client.num_requests == 2  # retried once, then reported
    finally:
        sock.close()


def test_retry_after_is_honoured(serve):
    replies = [(429, b'{}', [('Retry-After', '1')]), (200, _completion('ok'), [])]
    srv = serve(lambda h: _reply(h, *replies.pop(0)))
    client = ChatClient(srv.url, max_retries=2, backoff=0.01)
    start = time.monotonic()
    assert client.chat(MESSAGES) == 'ok'
    assert time.monotonic() - start >= 0.9  # the server's 1 s, not the 0.01 s backoff


def test_a_null_answer_is_an_error(serve):
    srv = serve(lambda h: _reply(h, 200, _completion(None)))
    with pytest.raises(LLMRequestError, match='content is null'):
        ChatClient(srv.url, max_retries=0).chat(MESSAGES)


def test_answers_are_saved_as_they_come_and_a_rerun_resumes():
    from mmimigue.emotion.llm_reasoning import reason_about_videos
    answer = ('text-only: win 0.8, lose 0.2\ntext+micro-gestures: win 0.7, lose 0.3')
    videos = [dict(video_id=f'{i:04d}', emotion=1, timeline=[], segments=None) for i in range(4)]
    asked, saved = [], []

    def dies_on_the_third(messages):
        asked.append(messages)
        if len(asked) == 3:
            raise KeyboardInterrupt  # the run is killed
        return answer

    with pytest.raises(KeyboardInterrupt):
        reason_about_videos(dies_on_the_third, videos, on_record=saved.append)
    assert [r['video_id'] for r in saved] == ['0000', '0001']
    asked.clear()
    result = reason_about_videos(lambda m: asked.append(m) or answer, videos, done=saved)
    assert len(asked) == 2  # only the two videos without an answer
    assert [r['video_id'] for r in result['records']] == ['0000', '0001', '0002', '0003']
    assert result['summary']['text_only']['accuracy'] == 1.0


def test_a_rerun_with_other_inputs_asks_again():
    """Saved answers are reused only for the same prompt, transcript, timeline and model."""
    from mmimigue.emotion.llm_reasoning import reason_about_videos
    answer = 'text-only: win 0.8, lose 0.2\ntext+micro-gestures: win 0.7, lose 0.3'
    videos = [dict(video_id='0001', emotion=1, timeline=['00:01 Folding arms'], segments=None)]
    first = reason_about_videos(lambda m: answer, videos, model='gpt-a')['records']
    asked = []
    again = dict(videos[0], timeline=['00:01 Scratching head'])  # another clip model's output
    reason_about_videos(lambda m: asked.append(m) or answer, [again], done=first, model='gpt-a')
    assert len(asked) == 1
    reason_about_videos(lambda m: asked.append(m) or answer, videos, done=first, model='gpt-b')
    assert len(asked) == 2  # another model
    reason_about_videos(lambda m: asked.append(m) or answer, videos, done=first, model='gpt-a')
    assert len(asked) == 2  # the same inputs: reused


def test_a_key_cut_by_the_server_message_and_url_passwords_are_redacted(serve):
    key = 'abcdefghijklmnopqrstuvwx'  # no sk- prefix: only the key itself can find it
    body = ('x' * 290 + key).encode()  # a 300-byte cut would keep 10 of its 24 characters
    srv = serve(lambda h: _reply(h, 500, body))
    url = srv.url.replace('http://', 'http://user:hunter2@')
    with pytest.raises(LLMRequestError) as e:
        ChatClient(url, api_key=key, max_retries=0).chat(MESSAGES)
    text = str(e.value)
    assert 'abcdefghij' not in text and 'hunter2' not in text and '***@' in text
    assert ChatClient(url, api_key=key).redact(f'key {key[3:15]} !') == 'key *** !'


def test_a_trickled_answer_is_cut_at_the_deadline(serve):
    def trickle(h):
        h.send_response(200)
        h.send_header('Content-Length', '1000')
        h.end_headers()
        for _ in range(200):
            h.wfile.write(b' ')
            h.wfile.flush()
            time.sleep(0.1)

    srv = serve(trickle)
    client = ChatClient(srv.url, timeout=5, max_retries=0, total_timeout=1.0)
    start = time.monotonic()
    with pytest.raises(LLMRequestError, match='longer than|timed out|total_timeout'):
        client.chat(MESSAGES)
    assert time.monotonic() - start < 2.0


def test_a_video_id_never_reads_a_transcript_outside_its_folder(tmp_path):
    from mmimigue.emotion.llm_inputs import transcript_path
    (tmp_path / 'secret.json').write_text('{}')
    (tmp_path / 'transcripts').mkdir()
    with pytest.raises(ValueError, match='not a plain name'):
        transcript_path(str(tmp_path / 'transcripts'), '../secret')
    assert transcript_path(str(tmp_path / 'transcripts'), '0001') is None
