#!/bin/sh
# Nightly backup (docs/deploy.md): a full pg_dump, and the JSON Lines export that any
# dayfacts can import. Files older than BACKUP_KEEP_DAYS (14) are removed.
set -eu
dir="${BACKUP_DIR:-/var/backups/dayfacts}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
# Everything: facts, comments, subscribers, editions and deliveries, accounts.
pg_dump --format=custom --no-owner --no-privileges --file "$dir/dayfacts-$stamp.dump" "$DATABASE_URL"
# Topics, facts and comments (with commenters' addresses: keep the file private).
dayfacts export jsonl --include-private --output "$dir/dayfacts-$stamp.jsonl"
find "$dir" -name 'dayfacts-*' -mtime +"${BACKUP_KEEP_DAYS:-14}" -delete
echo "$dir/dayfacts-$stamp.dump"
echo "$dir/dayfacts-$stamp.jsonl"
