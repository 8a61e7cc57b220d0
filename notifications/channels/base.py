from types import TracebackType

from notifications.messages import Composer, Message
from notifications.models import Delivery


class ChannelError(Exception):
    """A delivery could not be sent; `permanent` means trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport:
    """One channel, used for one batch: `with Transport(composer) as t: t.send(delivery)`."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer

    def __enter__(self) -> "Transport":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def message(self, delivery: Delivery) -> Message:
        return self.composer.compose(delivery)

    def send(self, delivery: Delivery) -> None:
        raise NotImplementedError
