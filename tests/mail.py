"""A real SMTP server for the tests: aiosmtpd on a free loopback port, keeping what arrives."""

import asyncio
import email
import email.policy
import logging
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Arrival:
    mail_from: str
    rcpt_tos: list
    content: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.content, policy=email.policy.default)


class Recorder:
    """An aiosmtpd handler that keeps what arrives and answers as each test tells it."""

    def __init__(self):
        self.arrivals = []
        self.answers = {}  # address -> list of SMTP replies to RCPT, used up in order
        self.data_answers = {}  # address -> SMTP reply to DATA for messages to it
        self.delay = 0.0
        self.peers = set()  # (host, port) of each client that sent a message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answers = self.answers.get(address)
        if answers:
            return answers.pop(0) if len(answers) > 1 else answers[0]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        for address in envelope.rcpt_tos:
            if address in self.data_answers:
                return self.data_answers[address]
        self.peers.add(session.peer)
        self.arrivals.append(Arrival(envelope.mail_from, list(envelope.rcpt_tos),
                                     envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address):
        """The parsed messages that reached `address`."""
        return [a.message for a in self.arrivals if address in a.rcpt_tos]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, stopped after the test."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()
