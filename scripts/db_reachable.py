"""Exit 0 when the PostgreSQL server in the URL answers, 1 otherwise (used by `make test`)."""

import sys

import psycopg


def main(url: str) -> int:
    url = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        # The server's maintenance database: the test database is created by the test run.
        with psycopg.connect(url, connect_timeout=3, dbname="postgres"):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
