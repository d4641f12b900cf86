"""Private files in S3-compatible object storage (django-storages' S3 backend).

boto3 comes with Baken's optional ``s3`` extra (``pip install 'baken[s3]'``). Nothing imports
this module: ``settings.STORAGES`` names it by its dotted path when ``BAKEN_STORAGE=s3``, so
Baken runs without boto3 on the local-disk default.
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from baken.lib.storage import NoPublicUrl


class PrivateS3Storage(S3Storage):
    """Objects without a public ACL, never overwritten, and without a URL: not even a signed
    one, because a signed URL is readable by whoever holds it."""

    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        raise NoPublicUrl("Private files have no URL; they are served through an audited view.")
