"""Requests that arrive together: the same form posted from several clients at one moment."""

from concurrent.futures import ThreadPoolExecutor

from django.db import connections


def post_at_once(clients, url, data) -> list:
    """POST the same form from each client in its own thread (its own database connection), all
    at the same moment; the responses, or the exception a request raised. `data` may be a
    function returning the data, for forms whose files are read once."""

    def post(client):
        try:
            return client.post(url, data() if callable(data) else data)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(post, client) for client in clients]
        return [future.result(timeout=30) for future in futures]
