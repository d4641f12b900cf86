"""``baken serve``: Baken through uvicorn (HTTP and websockets) with no client addresses logged."""

import os

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Baken over HTTP and websockets through the ASGI server (uvicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--proxy-headers",
            action="store_true",
            help="Trust X-Forwarded-* from the proxy (set FORWARDED_ALLOW_IPS).",
        )

    def handle(self, *args, **options):
        if options["workers"] > 1 and not settings.REDIS_URL:
            raise CommandError(
                "Several workers need REDIS_URL: without it each worker has its own chat layer, "
                "cache and rate limits, and a counsellor on one never sees a visitor on another."
            )
        forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
        if options["proxy_headers"] and "FORWARDED_ALLOW_IPS" not in os.environ:
            self.stderr.write(
                "Trusting X-Forwarded-For from 127.0.0.1 only. If the proxy runs on another "
                "host, set FORWARDED_ALLOW_IPS to its address, or every visitor shares one rate "
                "limit and one block (docs/deploy.md)."
            )
        uvicorn.run(
            "baken.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            ws="websockets-sansio",
            lifespan="off",
            # uvicorn's access log writes the client's address; Baken's own request log
            # (baken.lib.middleware) writes the same lines without it.
            access_log=False,
            proxy_headers=options["proxy_headers"],
            forwarded_allow_ips=forwarded_allow_ips,
            server_header=False,
            log_config=None,
        )
