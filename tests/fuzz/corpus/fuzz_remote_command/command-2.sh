set -e
cd "$HOME" && printf '%s\n' "a\\b" | tr a b
