package storage

import "strconv"

// The conditions of the partial indexes on reviews (rating <= 2, status =
// 'open' or 'done'), written into the hot queries' SQL rather than bound.
// PostgreSQL plans a prepared statement for its parameters five times,
// then keeps one generic plan if it costs no more; a bound rating or
// status cannot prove a partial index's WHERE, so the generic plan could
// not use those indexes and every run was planned again, a third of the
// sweep's server time on reviews queries. Constants of this package, never
// user input.
var (
	badRatingSQL  = "rating <= " + strconv.Itoa(BadRating)
	statusOpenSQL = "status = '" + StatusOpen + "'"
	statusDoneSQL = "status = '" + StatusDone + "'"
)
