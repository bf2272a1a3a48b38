"""A ready upload scanner for ClamAV (see UPLOAD_SCANNER in rial_site/uploads.py).

clamd_scan streams the file to a clamd daemon with its INSTREAM command over a TCP or Unix
socket (no client library, no shared file system): `zINSTREAM\\0`, then chunks each preceded by
its length as a 4-byte big-endian integer, then a zero length; clamd answers
`stream: OK\\0` or `stream: <signature> FOUND\\0` (or `... ERROR\\0`).

Enable it with UPLOAD_SCANNER=rial_site.antivirus.clamd_scan and CLAMD_ADDRESS
(`tcp://host:3310`, `host:3310`, `unix:///run/clamav/clamd.ctl` or an absolute socket path).
clamd's StreamMaxLength (25 MB by default) must be at least UPLOAD_MAX_BYTES, or large
files are refused as unscannable.
"""

import socket
import struct

from django.conf import settings

from .uploads import InfectedUpload

CHUNK_SIZE = 64 * 1024


class ClamdError(Exception):
    """clamd could not be reached or did not give a verdict; the upload is refused."""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("unix://") or address.startswith("/"):
        path = address.removeprefix("unix://")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError:
            sock.close()
            raise
        return sock
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    if not host or not port.isdigit():
        raise ClamdError(f"CLAMD_ADDRESS={address!r} is neither tcp://host:port nor unix:///path")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def clamd_instream(data_chunks, address: str | None = None, timeout: float | None = None) -> str:
    """Send the chunks to clamd with INSTREAM and return its answer (e.g. "stream: OK")."""
    address = address or settings.CLAMD_ADDRESS
    timeout = settings.CLAMD_TIMEOUT if timeout is None else timeout
    try:
        with _connect(address, timeout) as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                for chunk in data_chunks:
                    for start in range(0, len(chunk), CHUNK_SIZE):
                        piece = chunk[start : start + CHUNK_SIZE]
                        sock.sendall(struct.pack("!L", len(piece)) + piece)
                sock.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError):
                # clamd hangs up once a stream passes StreamMaxLength; its answer says so.
                pass
            reply = _read_reply(sock)
    except OSError as error:
        raise ClamdError(f"clamd at {address} did not answer: {error}") from error
    if not reply:
        raise ClamdError(f"clamd at {address} closed the connection without a verdict")
    return reply


def clamd_scan(uploaded) -> None:
    """UPLOAD_SCANNER for ClamAV: returns when clamd finds the file clean, raises InfectedUpload
    when it finds something and ClamdError when it gives no verdict."""
    uploaded.seek(0)
    reply = clamd_instream(uploaded.chunks(CHUNK_SIZE))
    verdict = reply.split(":", 1)[1].strip() if reply.startswith("stream:") else reply
    if verdict == "OK":
        return
    if verdict.endswith(" FOUND"):
        raise InfectedUpload(verdict.removesuffix(" FOUND").strip())
    raise ClamdError(f"clamd answered {reply!r}")
