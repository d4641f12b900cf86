from django.core.management.base import BaseCommand

from baken.accounts.permissions import matrix_markdown


class Command(BaseCommand):
    help = "Print the role × permission matrix (the table in docs/permissions.md)."

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="(default) Markdown table")

    def handle(self, *args, **options):
        self.stdout.write(matrix_markdown(), ending="")
