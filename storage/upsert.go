package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batchRows is how many rows one multi-row INSERT carries. SQLite allows
// 32766 bound values; 256 rows of up to 10 columns stays well inside that
// while cutting per-statement overhead to noise.
const batchRows = 256

// table describes how rows of one kind are upserted: which columns are
// written and what a re-import of the same key updates. It is the single
// place that knows a kind's columns, shared by imports and the demo.
type table struct {
	name    string
	columns []string
	// conflict is the unique key that makes re-imports idempotent.
	conflict string
	// update is the DO UPDATE SET clause; it must leave follow-up state that
	// the team owns (owner, status, outcome) alone.
	update string
	// changed is the DO UPDATE's WHERE: only rows whose imported values
	// differ are written, so a re-import of the same file writes nothing
	// and the summary can tell updated rows from unchanged ones.
	changed string
}

var (
	scoresTable = table{
		name:     "scores",
		columns:  append([]string{"shop_id", "date", "stage", "overall", "product", "logistics", "service"}, indicatorColumns()...),
		conflict: "shop_id, date",
		update:   "stage = excluded.stage, overall = excluded.overall, product = excluded.product, logistics = excluded.logistics, service = excluded.service" + indicatorUpdate(),
		changed:  changedWhere("scores", append([]string{"stage", "overall", "product", "logistics", "service"}, indicatorColumns()...)...),
	}
	reviewsTable = table{
		name:     "reviews",
		columns:  []string{"shop_id", "review_id", "order_id", "product_id", "product", "rating", "grade", "created_at", "opened_at", "content", "aspects", "status"},
		conflict: "shop_id, review_id",
		update: `order_id = excluded.order_id, product_id = excluded.product_id, product = excluded.product,
			rating = excluded.rating, grade = excluded.grade, created_at = excluded.created_at,
			opened_at = CASE WHEN reviews.opened_at IS NOT DISTINCT FROM reviews.created_at THEN excluded.created_at ELSE reviews.opened_at END, content = excluded.content, aspects = excluded.aspects,
			status = CASE
				WHEN excluded.rating <= 2 AND reviews.status = '' THEN 'open'
				WHEN excluded.rating > 2 AND reviews.status = 'open' THEN ''
				ELSE reviews.status END`,
		changed: changedWhere("reviews", "order_id", "product_id", "product", "rating", "grade", "created_at", "content", "aspects"),
	}
	ordersTable = table{
		name:     "orders",
		columns:  []string{"shop_id", "order_id", "product", "amount_fen", "paid_at", "promise", "ship_by", "shipped_at", "picked_up_at", "tracking_no", "cancelled", "main_order_id"},
		conflict: "shop_id, order_id",
		update: `product = excluded.product, amount_fen = excluded.amount_fen, paid_at = excluded.paid_at,
			promise = excluded.promise, ship_by = excluded.ship_by, shipped_at = excluded.shipped_at, picked_up_at = excluded.picked_up_at, tracking_no = excluded.tracking_no,
			cancelled = excluded.cancelled, main_order_id = excluded.main_order_id`,
		changed: changedWhere("orders", "product", "amount_fen", "paid_at", "promise", "ship_by", "shipped_at", "picked_up_at", "tracking_no", "cancelled", "main_order_id"),
	}
)

// statement returns the upsert of n rows.
func (t *table) statement(n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.columns)), ",") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(t.name)
	b.WriteString(" (")
	b.WriteString(strings.Join(t.columns, ", "))
	b.WriteString(") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT (")
	b.WriteString(t.conflict)
	b.WriteString(") DO UPDATE SET ")
	b.WriteString(t.update)
	if t.changed != "" {
		b.WriteString(" WHERE ")
		b.WriteString(t.changed)
	}
	return b.String()
}

// changedWhere is "t.a IS DISTINCT FROM excluded.a OR ...": IS DISTINCT
// FROM, unlike SQLite's IS NOT, is what PostgreSQL understands too.
func changedWhere(table string, cols ...string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = table + "." + c + " IS DISTINCT FROM excluded." + c
	}
	return strings.Join(parts, " OR ")
}

// batcher upserts rows into one table inside a transaction, batchRows at a
// time, so that a million-row import keeps only one batch in memory.
type batcher struct {
	ctx  context.Context
	tx   *sql.Tx
	d    dialect
	t    *table
	full *sql.Stmt // the prepared statement for a full batch
	args []any
	rows int
	// keys are the conflict keys of the queued rows, kept only where an
	// upsert may not touch a row twice (dialect.upsertOnceARow).
	keys   map[string]bool
	keyIdx []int
	// written counts rows sent to the database; changed those the
	// database inserted or updated (an unchanged row is neither).
	written int
	changed int64
}

func newBatcher(ctx context.Context, d dialect, tx *sql.Tx, t *table) *batcher {
	b := &batcher{ctx: ctx, d: d, tx: tx, t: t, args: make([]any, 0, batchRows*len(t.columns))}
	if d.upsertOnceARow() {
		b.keys = make(map[string]bool, batchRows)
		for _, k := range strings.Split(t.conflict, ",") {
			for i, c := range t.columns {
				if c == strings.TrimSpace(k) {
					b.keyIdx = append(b.keyIdx, i)
				}
			}
		}
	}
	return b
}

// key is a row's conflict key as text.
func (b *batcher) key(values []any) string {
	var k strings.Builder
	for _, i := range b.keyIdx {
		fmt.Fprint(&k, values[i], "\x00")
	}
	return k.String()
}

// add queues one row, whose values follow t.columns, and flushes a full batch.
func (b *batcher) add(values ...any) error {
	if b.keys != nil {
		k := b.key(values)
		if b.keys[k] {
			if err := b.flush(); err != nil {
				return err
			}
		}
		b.keys[k] = true
	}
	b.args = append(b.args, values...)
	b.rows++
	if b.rows == batchRows {
		return b.flush()
	}
	return nil
}

// flush writes the queued rows.
func (b *batcher) flush() error {
	if b.rows == 0 {
		return nil
	}
	var err error
	var res sql.Result
	if b.rows == batchRows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(b.ctx, b.d.rebind(b.t.statement(batchRows))); err != nil {
				return err
			}
		}
		res, err = b.full.ExecContext(b.ctx, b.args...)
	} else {
		res, err = b.tx.ExecContext(b.ctx, b.d.rebind(b.t.statement(b.rows)), b.args...)
	}
	if err != nil {
		return err
	}
	// An upsert's rows affected are the rows it inserted or updated, on
	// both engines; its DO UPDATE's WHERE leaves unchanged rows out.
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	b.changed += n
	b.written += b.rows
	b.args, b.rows = b.args[:0], 0
	clear(b.keys)
	return nil
}

// close flushes what is left and releases the prepared statement.
func (b *batcher) close() error {
	err := b.flush()
	if b.full != nil {
		b.full.Close()
	}
	return err
}

// scoreValues, reviewValues and orderValues put a domain value in its
// table's column order, normalising times for storage.
func scoreValues(s *Score) []any {
	v := []any{s.ShopID, s.Date, string(s.Stage), s.Overall, s.Product, s.Logistics, s.Service}
	for _, ind := range Indicators {
		v = append(v, s.Indicator(ind.Column))
	}
	return v
}

// indicatorUpdate is the DO UPDATE SET of the indicator columns: a
// re-import states the day's indicators as the file has them.
func indicatorUpdate() string {
	var b strings.Builder
	for _, c := range indicatorColumns() {
		b.WriteString(", " + c + " = excluded." + c)
	}
	return b.String()
}

func reviewValues(r *Review) []any {
	status := ""
	if r.Bad() {
		status = StatusOpen
	}
	return []any{r.ShopID, r.ReviewID, r.OrderID, r.ProductID, r.Product, r.Rating, string(r.Grade), utc(r.CreatedAt), utc(r.CreatedAt), r.Content, r.Aspects, status}
}

func orderValues(o *Order) []any {
	return []any{o.ShopID, o.OrderID, o.Product, o.AmountFen, utc(o.PaidAt), string(o.Promise), utc(o.ShipBy), utcPtr(o.ShippedAt), utcPtr(o.PickedUpAt), o.TrackingNo, o.Cancelled, o.MainOrderID}
}
