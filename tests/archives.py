"""Zip archives written by hand, for tests of hostile uploads: a member that expands to 1 GiB is
a deflate stream of zeros repeated, about 1 MB and no time to build. Also a memory probe."""

import io
import struct
import tracemalloc
import zipfile
import zlib

MiB = 1024 * 1024
DOCX_MEMBERS = [
    ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    ("_rels/.rels", b"<Relationships/>"),
]


def deflated_zeros(prefix: bytes, mebibytes: int) -> bytes:
    """A raw deflate stream of `prefix` then `mebibytes` MiB of zeros. After a full flush the
    compressor starts afresh, so one compressed MiB of zeros can be repeated as often as wanted."""
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH) if prefix else b""
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_mebibyte = block.compress(bytes(MiB)) + block.flush(zlib.Z_FULL_FLUSH)
    return out + one_mebibyte * mebibytes + head.flush()


def zeros_crc(prefix: bytes, mebibytes: int) -> int:
    crc = zlib.crc32(prefix)
    for _ in range(mebibytes):
        crc = zlib.crc32(bytes(MiB), crc)
    return crc


def raw_zip(entries) -> bytes:
    """A ZIP archive from (name, method, crc, data as stored, declared uncompressed size)."""
    body = io.BytesIO()
    directory = io.BytesIO()
    for name, method, crc, data, size in entries:
        encoded = name.encode()
        offset = body.tell()
        fields = (20, 0, 0, method, 0, 0x5A21, crc, len(data), size, len(encoded), 0)
        body.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields) + encoded + data)
        directory.write(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                0,
                20,
                0,
                0,
                method,
                0,
                0x5A21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    count = len(entries)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, directory.tell(), body.tell(), 0)
    return body.getvalue() + directory.getvalue() + end


def stored(name: str, data: bytes):
    return (name, zipfile.ZIP_STORED, zlib.crc32(data), data, len(data))


def zeros_member(name: str, mebibytes: int, prefix: bytes = b"", declared: int | None = None):
    size = len(prefix) + mebibytes * MiB
    return (
        name,
        zipfile.ZIP_DEFLATED,
        zeros_crc(prefix, mebibytes),
        deflated_zeros(prefix, mebibytes),
        size if declared is None else declared,
    )


def docx_with(*members) -> bytes:
    return raw_zip([stored(name, data) for name, data in DOCX_MEMBERS] + list(members))


def peak_memory_of(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak
