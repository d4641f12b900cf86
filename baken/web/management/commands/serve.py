"""``baken serve``: Baken through uvicorn (HTTP and websockets) with no client addresses logged."""

import uvicorn
from django.core.management.base import BaseCommand


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
            server_header=False,
            log_config=None,
        )
