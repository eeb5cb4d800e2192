"""A TCP relay on 127.0.0.1 whose connections a test can cut, to imitate a tablet losing its network."""

import socket
import threading

BUFFER_BYTES = 65536
ACCEPT_POLL_SECONDS = 0.2


class TcpRelay:
    """Forwards connections from its own port to `target_port` until `cut` drops them all."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(ACCEPT_POLL_SECONDS)
        self.port = int(self._listener.getsockname()[1])
        self._passing = threading.Event()
        self._passing.set()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, name="tcp-relay", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "TcpRelay":
        self._thread.start()
        return self

    def cut(self) -> None:
        """Close every open connection and refuse new ones until `restore`."""
        self._passing.clear()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for connection in sockets:
            _close(connection)

    def restore(self) -> None:
        self._passing.set()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        self._thread.join()
        self._listener.close()

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            if not self._passing.is_set():
                _close(client)
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER_BYTES):
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()
