"""Test support: an S3 look-alike on loopback that misbehaves on purpose, for the retry tests.
Not part of sparkify.

    s3_faulty.py PORT FOLDER [DELAY_MS]   serves FOLDER as bucket "faulty" (unsigned requests)

A key holding "throttle" is answered 503 SlowDown twice before its bytes; a key holding "drop"
has its connection closed half-way through the body on the first GET. A key holding "cut" is
answered with its body cut at the line boundary nearest half-way and a Content-Length that
matches the cut body (a proxy or a truncated store would look like this): on the first GET
for "cutonce", on every GET for "cutalways". A key holding "stall" is never answered: the
connection is accepted and the request read, then nothing is sent. GET /_attempts returns
how many GETs each key received, as JSON. DELAY_MS holds each object's answer back that long,
as S3's first-byte latency would (scripts/bench-s3).
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse
from xml.sax.saxutils import escape

PORT, FOLDER = int(sys.argv[1]), sys.argv[2]
DELAY = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0
attempts = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without this, Nagle and delayed ACKs add 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/_attempts":
            with lock:
                return self.send(200, json.dumps(attempts).encode(), "application/json")
        parts = unquote(url.path).lstrip("/").split("/", 1)
        if parts[0] != "faulty":
            return self.send(404, b"<Error><Code>NoSuchBucket</Code><Message>no</Message></Error>")
        if len(parts) == 1 or parts[1] == "":
            prefix = parse_qs(url.query).get("prefix", [""])[0]
            keys = []
            for root, _, files in os.walk(FOLDER):
                for name in files:
                    key = os.path.relpath(os.path.join(root, name), FOLDER)
                    if key.startswith(prefix):
                        keys.append((key, os.path.getsize(os.path.join(root, name))))
            items = "".join(f"<Contents><Key>{escape(k)}</Key><Size>{s}</Size><ETag>&quot;{abs(hash(k)):032x}&quot;</ETag></Contents>"
                            for k, s in sorted(keys))
            return self.send(200, f"<ListBucketResult><IsTruncated>false</IsTruncated>{items}</ListBucketResult>".encode())
        key = parts[1]
        path = os.path.join(FOLDER, key)
        if not os.path.isfile(path):
            return self.send(404, b"<Error><Code>NoSuchKey</Code><Message>no</Message></Error>")
        with lock:
            attempts[key] = attempts.get(key, 0) + 1
            attempt = attempts[key]
        body = open(path, "rb").read()
        if DELAY:
            time.sleep(DELAY)
        if "throttle" in key and attempt <= 2:
            return self.send(503, b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
        if "stall" in key:
            time.sleep(3600)
            return
        if ("cutonce" in key and attempt == 1) or "cutalways" in key:
            cut = body.rfind(b"\n", 0, len(body) // 2) + 1
            return self.send(200, body[:cut], "application/json")
        if "drop" in key and attempt == 1:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send(200, body, "application/json")


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
