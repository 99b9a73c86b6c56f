"""The page cache: pages rendered once for every reader, and the static export."""
