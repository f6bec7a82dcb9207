"""Test support: a Redshift look-alike in front of moto's server, for what moto skips.
Not part of sparkify.

    redshift_states.py PORT MOTO_URL [capacity]

Every request is passed to moto, except:
- after CreateCluster, DescribeClusters answers `creating` twice before moto's `available`;
- after DeleteCluster, the cluster answers `deleting` twice before moto deletes it;
- with "capacity", CreateCluster is refused with InsufficientClusterCapacity (after the role
  and the security group were made: a failure half-way);
- with "throttle", the first two DescribeClusters are answered 400 Throttling;
- with "slow", the cluster stays `creating` for ten thousand describes (a Ctrl-C test);
- with "lingering", DeleteSecurityGroup is answered DependencyViolation twice (the deleted
  cluster's network interfaces linger, as EC2 documents), then passed on;
- with "hardware", the cluster is `hardware-failure` once made.
GET /_calls returns every Action seen, in order, as JSON.
"""
import json
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

PORT, MOTO = int(sys.argv[1]), sys.argv[2].rstrip("/")
CAPACITY = len(sys.argv) > 3 and sys.argv[3] == "capacity"
THROTTLE = [2 if len(sys.argv) > 3 and sys.argv[3] == "throttle" else 0]
CREATING = 10_000 if len(sys.argv) > 3 and sys.argv[3] == "slow" else 2
LINGERING = [2 if len(sys.argv) > 3 and sys.argv[3] == "lingering" else 0]
HARDWARE = len(sys.argv) > 3 and sys.argv[3] == "hardware"
lock = threading.Lock()
calls = []
creating = {}   # identifier -> describes left that say "creating"
deleting = {}   # identifier -> (describes left that say "deleting", the pending DeleteCluster request)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self, body):
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        request = urllib.request.Request(MOTO + self.path, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def do_GET(self):
        if self.path == "/_calls":
            with lock:
                return self.send(200, json.dumps(calls).encode())
        status, body = self.forward(None)
        self.send(status, body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        form = parse_qs(body.decode())
        action = form.get("Action", [""])[0]
        identifier = form.get("ClusterIdentifier", [""])[0]
        with lock:
            calls.append(action)
        if action == "DescribeClusters" and THROTTLE[0] > 0:
            with lock:
                THROTTLE[0] -= 1
            return self.send(400, b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                                  b"<Message>Rate exceeded</Message></Error></ErrorResponse>")
        if action == "CreateCluster" and CAPACITY:
            return self.send(400, b"<ErrorResponse><Error><Type>Sender</Type><Code>InsufficientClusterCapacity</Code>"
                                  b"<Message>There is not enough capacity for the requested node type.</Message></Error></ErrorResponse>")
        if action == "DeleteSecurityGroup" and LINGERING[0] > 0:
            with lock:
                LINGERING[0] -= 1
            return self.send(400, b"<Response><Errors><Error><Code>DependencyViolation</Code>"
                                  b"<Message>resource sg has a dependent object</Message></Error></Errors></Response>")
        if action == "DeleteCluster":
            status, answer = self.forward(body)   # moto answers with the cluster, then forgets it
            with lock:
                deleting[identifier] = [2, answer]
            return self.send(status, answer.replace(b"<ClusterStatus>available</ClusterStatus>", b"<ClusterStatus>deleting</ClusterStatus>"))
        if action == "DescribeClusters" and identifier in deleting:
            with lock:
                left, answer = deleting[identifier]
                if left > 0:
                    deleting[identifier][0] -= 1
                    xml = answer.replace(b"DeleteClusterResponse", b"DescribeClustersResponse").replace(b"DeleteClusterResult", b"DescribeClustersResult")
                    xml = xml.replace(b"<Cluster>", b"<Clusters><Cluster>").replace(b"</Cluster>", b"</Cluster></Clusters>")
                    xml = xml.replace(b"<ClusterStatus>available</ClusterStatus>", b"<ClusterStatus>deleting</ClusterStatus>")
                    return self.send(200, xml)
                del deleting[identifier]
        status, answer = self.forward(body)
        if action == "CreateCluster" and status == 200:
            with lock:
                creating[identifier] = CREATING
        if action == "DescribeClusters" and creating.get(identifier, 0) > 0:
            with lock:
                creating[identifier] -= 1
            answer = answer.replace(b"<ClusterStatus>available</ClusterStatus>", b"<ClusterStatus>creating</ClusterStatus>")
        elif action == "DescribeClusters" and HARDWARE:
            answer = answer.replace(b"<ClusterStatus>available</ClusterStatus>", b"<ClusterStatus>hardware-failure</ClusterStatus>")
        self.send(status, answer)


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
