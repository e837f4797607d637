# Shared by start-redis.sh and start-sentinel.sh (sourced, POSIX sh): the lab's Redis password from its secret.
# One password for the lab's Redis users; Redis keeps only its SHA-256 (the "#<hash>" form of an ACL rule).
password_file=${LAB_REDIS_PASSWORD_FILE:-/run/secrets/redis_password}

read_password() {
  if [ ! -r "$password_file" ]; then
    echo "error: the Redis password secret $password_file is missing or unreadable" >&2
    exit 1
  fi
  password=$(tr -d '\r\n' < "$password_file")
  # Only characters that need no quoting in a Redis configuration line (openssl rand -hex 32 gives such a one).
  case "$password" in
    '' | *[!A-Za-z0-9_-]*)
      echo "error: $password_file must hold one line of letters, digits, '_' or '-'" >&2
      exit 1
      ;;
  esac
  if [ "${#password}" -lt 16 ]; then
    echo "error: the Redis password must be at least 16 characters" >&2
    exit 1
  fi
  password_hash=$(printf '%s' "$password" | sha256sum | cut -d' ' -f1)
}
