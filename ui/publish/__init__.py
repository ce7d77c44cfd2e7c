"""Publishing: sites, pushing pieces, pulling posts, the outbox."""
