"""retainer: a federal-records archive for exported WhatsApp chats."""

__version__ = "0.1.0"

__all__ = ["__version__"]
