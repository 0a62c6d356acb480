package storage

import "context"

// Ping checks that the database answers, for readiness: one round trip on
// a pooled connection, bounded by ctx. It runs no query on the tables, so
// a long import or a slow report does not make a replica look unready.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }
