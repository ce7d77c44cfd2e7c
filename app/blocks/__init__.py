"""WordPress block markup, both ways: the parser, the block serialisation the 6.1 editor writes, and
the mapping between a post's blocks and a piece's Markdown (``docs/publishing.md``, "Blocks")."""
