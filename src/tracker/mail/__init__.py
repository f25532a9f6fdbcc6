"""E-mail: messages built in the recipient's language, an outbox written in the
same transaction as the change that causes each message, and a sender that
delivers it over SMTP with retries (see docs/operations.md, « Courriel »)."""
