# Start a throwaway PostgreSQL server on loopback for pdsa's tests; meant to be SOURCED:
#
#     source .ci/postgres.sh        # exports PDSA_TEST_POSTGRES_URL
#
# - installs PostgreSQL from Debian's packages when no server binaries are found
#   (apt-get, non-interactive; needs root, as in CI);
# - keeps one cluster in $PDSA_PG_DIR (default /tmp/pdsa-test-postgres), owned by the user
#   `postgres` when run as root (initdb refuses root), else by the current user;
# - listens on 127.0.0.1 only, on a free port, with password (SCRAM) authentication; the
#   bootstrap superuser `pdsa_ci` gets a random password kept in the cluster folder;
# - is idempotent and quick: a second `source` reuses the running server.
#
# `pdsa_ci_postgres_stop` stops the server again (the cluster folder is kept for reuse).
# Nothing here reads standard input.

_pdsa_pg_main() {
    local dir="${PDSA_PG_DIR:-/tmp/pdsa-test-postgres}"
    local bindir="" candidate owner port password pwfile log

    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir="$candidate"; break; fi
    done
    if [ -z "$bindir" ]; then
        if [ "$(id -u)" != "0" ]; then
            echo "postgres.sh: PostgreSQL is not installed and this user cannot install it (not root)" >&2
            return 1
        fi
        echo "postgres.sh: installing PostgreSQL from Debian packages" >&2
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q --no-install-recommends postgresql </dev/null >/tmp/pdsa-pg-apt.log 2>&1; then
            apt-get update -q </dev/null >>/tmp/pdsa-pg-apt.log 2>&1
            apt-get install -y -q --no-install-recommends postgresql </dev/null >>/tmp/pdsa-pg-apt.log 2>&1 || {
                echo "postgres.sh: apt-get install postgresql failed; see /tmp/pdsa-pg-apt.log" >&2
                return 1
            }
        fi
        for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
            if [ -x "$candidate/initdb" ]; then bindir="$candidate"; break; fi
        done
        [ -n "$bindir" ] || { echo "postgres.sh: no initdb after installing postgresql" >&2; return 1; }
    fi

    # run a command as the cluster's owner
    if [ "$(id -u)" = "0" ]; then
        owner=postgres
        id "$owner" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh "$owner"
        _pdsa_pg_as() { runuser -u postgres -- "$@"; }
    else
        owner="$(id -un)"
        _pdsa_pg_as() { "$@"; }
    fi

    mkdir -p "$dir"
    chmod 700 "$dir"
    [ "$owner" != "$(id -un)" ] && chown "$owner" "$dir"
    pwfile="$dir/password"
    log="$dir/server.log"

    if [ ! -s "$dir/data/PG_VERSION" ]; then
        rm -rf "$dir/data"
        password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
        printf '%s\n' "$password" >"$pwfile"
        chmod 600 "$pwfile"
        [ "$owner" != "$(id -un)" ] && chown "$owner" "$pwfile"
        if ! _pdsa_pg_as "$bindir/initdb" -D "$dir/data" -U pdsa_ci --pwfile="$pwfile" \
            --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 </dev/null; then
            echo "postgres.sh: initdb failed; see $dir/initdb.log" >&2
            return 1
        fi
    fi
    password="$(cat "$pwfile")"

    if _pdsa_pg_as "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && [ -s "$dir/port" ]; then
        port="$(cat "$dir/port")"
    else
        port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
        printf '%s\n' "$port" >"$dir/port"
        if ! _pdsa_pg_as "$bindir/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1 </dev/null; then
            echo "postgres.sh: the server did not start; see $log" >&2
            tail -n 20 "$log" >&2 2>/dev/null
            return 1
        fi
    fi

    export PDSA_TEST_POSTGRES_URL="postgresql://pdsa_ci:${password}@127.0.0.1:${port}/postgres"
    export PDSA_PG_DIR="$dir"
    _PDSA_PG_BINDIR="$bindir"
    echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (PDSA_TEST_POSTGRES_URL set)" >&2
}

pdsa_ci_postgres_stop() {
    local dir="${PDSA_PG_DIR:-/tmp/pdsa-test-postgres}"
    [ -n "${_PDSA_PG_BINDIR:-}" ] || return 0
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$_PDSA_PG_BINDIR/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 </dev/null || true
    else
        "$_PDSA_PG_BINDIR/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 </dev/null || true
    fi
    unset PDSA_TEST_POSTGRES_URL
}

_pdsa_pg_main || echo "postgres.sh: no PostgreSQL for the tests; they will be skipped" >&2
unset -f _pdsa_pg_main
