"""Reading stored files the same way on local disk and on an S3-compatible object store.

Uploads are never served by the store: every download goes through a permission-checked view
that streams the bytes (no public bucket, no presigned redirect). On S3 a byte range is read
with a ranged GET, so a video's Range request or a type sniff never downloads the whole object.
"""

from __future__ import annotations

from collections.abc import Iterator

CHUNK = 64 * 1024


def _s3_client_and_key(storage, name: str):
    """(boto3 client, bucket, key) when the storage is django-storages' S3Storage, else None."""
    if not hasattr(storage, "bucket_name") or not hasattr(storage, "connection"):
        return None
    from storages.utils import clean_name

    key = storage._normalize_name(clean_name(name))  # how S3Storage itself names the object
    return storage.connection.meta.client, storage.bucket_name, key


def exists(field_file) -> bool:
    return bool(field_file) and field_file.storage.exists(field_file.name)


def size(field_file) -> int:
    return field_file.storage.size(field_file.name)


def iter_range(field_file, start: int, end: int) -> Iterator[bytes]:
    """The bytes ``start``..``end`` (inclusive) of a stored file, in chunks."""
    length = end - start + 1
    s3 = _s3_client_and_key(field_file.storage, field_file.name)
    if s3 is not None:
        client, bucket, key = s3
        body = client.get_object(Bucket=bucket, Key=key, Range=f"bytes={start}-{end}")["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()
        return
    handle = field_file.storage.open(field_file.name, "rb")
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def read_head(field_file, count: int) -> bytes:
    """The first ``count`` bytes (fewer for a smaller file)."""
    total = size(field_file)
    if total == 0:
        return b""
    return b"".join(iter_range(field_file, 0, min(count, total) - 1))
