// Package storage is dsrbot's small database: the domain types (shops, scores,
// reviews, orders), the rules that belong to them (the Douyin five-point
// display, platform gates, ship-by promises, review aspects), the queries that
// return plain domain values, and the imports that fill it.
//
// It is built on gorm with SQLite. *gorm.DB never leaves this package, so the
// chat surface and the scheduler depend on domain values and small interfaces
// they declare themselves, and every query can be tested against a real SQLite
// file in a temp dir. It is the bottom of the import graph: it imports no
// other package of dsrbot (storagetest, for tests, imports it).
//
// Times are stored in UTC and truncated to the second, so that SQLite's
// text timestamps compare in time order; each shop's zone is applied only
// where a rule speaks of a local day or a local hour.
package storage
