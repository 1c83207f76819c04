"""A TCP proxy a test can cut and restore: the database "goes away" without stopping it."""
from __future__ import annotations

import socket
import threading


class CutoverProxy:
    """Forward 127.0.0.1:<port> to ``upstream``; ``cut()`` drops every connection and refuses
    new ones (they are closed at once) until ``restore()``."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._closing = False
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()  # the "server" is away: the driver sees the connection drop
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        """Drop every forwarded connection and refuse new ones."""
        self.up = False
        with self._lock:
            dropped, self._open = self._open, []
        for sock in dropped:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def restore(self) -> None:
        """Forward new connections again."""
        self.up = True

    def close(self) -> None:
        """Stop listening and drop everything."""
        self._closing = True
        self.cut()
        self.listener.close()
