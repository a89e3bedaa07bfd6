"""Gunicorn settings for the web service (`gunicorn --config docker/gunicorn.conf.py 'app:create_app()'`).

Sync workers: a request is a short transaction (one engine step, one commit), CPU-bound in
SpiffWorkflow and the ORM, so one process per request in flight is the simple, robust choice.
Each worker holds its own database pool (DONDOC_DB_POOL_SIZE); the scheduler runs elsewhere, as
its own process, never inside the web workers.
"""

import multiprocessing
import os

bind = os.environ.get("DONDOC_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# "-" is stdout; an empty value switches the access log off (benchmarks).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory: a container's overlay filesystem can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
