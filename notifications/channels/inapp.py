from notifications.channels.base import Transport
from notifications.models import Delivery


class InAppTransport(Transport):
    """The inbox row is the message: an in-app delivery is written as sent. One that is
    queued again (an admin's resend) has nothing more to do."""

    def send(self, delivery: Delivery) -> None:
        return None
