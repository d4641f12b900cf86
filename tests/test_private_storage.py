"""Documents and photos go to the private storage: owner-only on disk, no URL, S3 by setting."""

from __future__ import annotations

import pytest

from tests.test_settings_startup import run_baken


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BAKEN_STORAGE": "ftp"}, "BAKEN_STORAGE"),
        ({"BAKEN_STORAGE": "s3"}, "baken[s3]"),  # boto3 is an optional extra, absent here
    ],
)
def test_a_wrong_storage_setting_stops_start_up_and_says_what_to_do(tmp_path, env, named):
    result = run_baken(tmp_path, "check", **env)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_private_files_are_owner_only_and_have_no_url(tmp_path, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from baken.lib.storage import NoPublicUrl, private_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "baken.lib.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    storage = private_storage()
    assert storage is storages["private"]
    name = storage.save("case-documents/2026/12/x.pdf.enc", ContentFile(b"gAAAA"))
    path = tmp_path / "private" / name
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    with pytest.raises(NoPublicUrl):
        storage.url(name)
