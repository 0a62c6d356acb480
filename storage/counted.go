package storage

import "gorm.io/gorm"

// counted lists q's rows in order, cut at limit (0 lists all), and how many
// match in all, in one statement rather than a count and then a list:
// COUNT(*) OVER () is taken before LIMIT cuts. On PostgreSQL each statement
// is a round trip and a plan, and the morning sweep asks five such
// questions of each of 300 shops. No row means a total of 0.
//
// SQLite, in process, has no round trip to save, and counts from an index
// without reading the rows: there it stays a count, then the list when
// there is one.
func counted[T any](d dialect, q *gorm.DB, order string, limit int) ([]T, int, error) {
	if !d.postgres {
		return countThenList[T](q, order, limit)
	}
	type row struct {
		Row   T   `gorm:"embedded"`
		Total int `gorm:"column:counted_total"`
	}
	q = q.Select("*, COUNT(*) OVER () AS counted_total").Order(order)
	if limit > 0 {
		q = q.Limit(limit)
	}
	var rows []row
	if err := q.Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	if len(rows) == 0 {
		return nil, 0, nil
	}
	out := make([]T, len(rows))
	for i := range rows {
		out[i] = rows[i].Row
	}
	return out, rows[0].Total, nil
}

// countThenList is counted in two statements.
func countThenList[T any](q *gorm.DB, order string, limit int) ([]T, int, error) {
	// A Session makes q safe to finish twice (count, then list).
	q = q.Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil || total == 0 {
		return nil, 0, err
	}
	lq := q.Order(order)
	if limit > 0 {
		lq = lq.Limit(limit)
	}
	var rows []T
	if err := lq.Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	return rows, int(total), nil
}
