package storage

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/dsrbot/dsrbot/storage/dbtest"
	"path/filepath"
	"strings"
	"testing"
)

// indicatorsOf reads one day's indicators as "col=value" pairs, unknown
// ones left out.
func indicatorsOf(t *testing.T, db *DB, shop, day string) string {
	t.Helper()
	got, err := db.ScoreHistory(context.Background(), shop, day, day)
	if err != nil || len(got) != 1 {
		t.Fatalf("%s %s: %v %v", shop, day, got, err)
	}
	var parts []string
	for _, ind := range Indicators {
		if v := got[0].Indicator(ind.Column); v != nil {
			parts = append(parts, fmt.Sprintf("%s=%g", ind.Column, *v))
		}
	}
	return strings.Join(parts, " ")
}

func TestImportIndicators(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, content string
		want          string
	}{
		{"without the columns", goodScores, ""},
		{"canonical names",
			"shop,date,overall,product,logistics,service,pickup_hours,delivery_on_time_rate,im_response_seconds,product_rating\n" +
				"dy1,2026-11-23,79,81,71,76,26.5,93.2%,45,4.7\n",
			"product_rating=4.7 pickup_hours=26.5 delivery_on_time_rate=93.2 im_response_seconds=45"},
		{"the platform's headers, dash and blank unknown",
			"shop,date,overall,product,logistics,service,商品综合评分,品质退货率,揽收时长,物流品退率,不满意率,平台求助率\n" +
				"dy1,2026-11-23,79,81,71,76,-,0.35%,,0.12,1.5,-\n",
			"quality_return_rate=0.35 logistics_return_rate=0.12 dissatisfaction_rate=1.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := importFixture(t)
			if _, err := importCSV(db, KindScores, "s.csv", tc.content); err != nil {
				t.Fatal(err)
			}
			if got := indicatorsOf(t, db, "dy1", "2026-11-23"); got != tc.want {
				t.Errorf("indicators = %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("JSON lines", func(t *testing.T) {
		db := importFixture(t)
		body := `{"shop":"dy1","date":"2026-11-23","overall":79,"product":81,"logistics":71,"service":76,"aftersale_review_hours":12,"platform_help_rate":"-"}` + "\n"
		if _, err := db.ImportFile(ctx, ImportRequest{Kind: KindScores, Name: "s.jsonl", Reader: strings.NewReader(body), JSONLines: true}); err != nil {
			t.Fatal(err)
		}
		if got := indicatorsOf(t, db, "dy1", "2026-11-23"); got != "aftersale_review_hours=12" {
			t.Errorf("indicators = %q", got)
		}
	})

	t.Run("a re-import states the day's indicators again", func(t *testing.T) {
		db := importFixture(t)
		mustImport(t, db, KindScores, "shop,date,overall,product,logistics,service,pickup_hours\ndy1,2026-11-23,79,81,71,76,20\n", 1)
		res, err := importCSV(db, KindScores, "s.csv", "shop,date,overall,product,logistics,service,pickup_hours\ndy1,2026-11-23,79,81,71,76,22\n")
		if err != nil || res.Updated != 1 {
			t.Fatalf("re-import: %+v %v, want one updated row", res, err)
		}
		if got := indicatorsOf(t, db, "dy1", "2026-11-23"); got != "pickup_hours=22" {
			t.Errorf("indicators = %q", got)
		}
	})

	refused := []struct {
		name, content string
		line          int
		column, want  string
	}{
		{"a bad number", "shop,date,overall,product,logistics,service,pickup_hours\ndy1,2026-11-22,79,81,71,76,12\ndy1,2026-11-23,79,81,71,76,12h\n", 3, "pickup_hours", `"12h" is not a number`},
		{"a bad number under a Chinese header", "shop,date,overall,product,logistics,service,配送时效达成率\ndy1,2026-11-23,79,81,71,76,九十\n", 2, "配送时效达成率", "is not a number"},
		{"a rate over 100", "shop,date,overall,product,logistics,service,不满意率\ndy1,2026-11-23,79,81,71,76,120%\n", 2, "不满意率", "outside 0-100"},
		{"a negative duration", "shop,date,overall,product,logistics,service,揽收时长\ndy1,2026-11-23,79,81,71,76,-3\n", 2, "揽收时长", "outside"},
		{"a Taobao shop", "shop,date,product,logistics,service,pickup_hours\ntb1,2026-11-23,4.8,4.7,4.9,20\n", 2, "pickup_hours", "Taobao shop"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			db := importFixture(t)
			_, err := importCSV(db, KindScores, "s.csv", tc.content)
			ie := asImportError(t, err)
			if ie.Line != tc.line || ie.Column != tc.column || !strings.Contains(ie.Reason, tc.want) {
				t.Errorf("error = %v, want line %d column %s: …%s…", ie, tc.line, tc.column, tc.want)
			}
			if n := tableCounts(t, db)["scores"]; n != 0 {
				t.Errorf("%d scores written by a refused file", n)
			}
		})
	}
}

// TestMigrateAddsIndicators opens a database of the schema before the
// indicators: its scores stay, and a file with indicators imports.
func TestMigrateAddsIndicators(t *testing.T) {
	dbtest.SkipOnPostgres(t, "it migrates an old SQLite file")
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	before := len(migrations) - 1
	for i := 0; i < before; i++ {
		if _, err := raw.Exec(migrations[i]); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	for _, stmt := range []string{
		fmt.Sprintf(`PRAGMA user_version = %d`, before),
		`INSERT INTO shops (id, name, platform, tz, created_at) VALUES ('dy', 'D', 'douyin', 'Asia/Shanghai', '2026-11-01')`,
		`INSERT INTO scores (shop_id, date, stage, overall, product, logistics, service) VALUES ('dy', '2026-11-23', 'formal', 71.2, 72, 70, 71)`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := func(v float64) *float64 { return &v }
	want := Score{ShopID: "dy", Date: "2026-11-23", Stage: StageFormal, Overall: f(71.2), Product: f(72), Logistics: f(70), Service: f(71)}
	if got, err := db.ScoreHistory(context.Background(), "dy", "2026-11-23", "2026-11-23"); err != nil || len(got) != 1 || !sameScore(got[0], want) {
		t.Fatalf("after migration: %v %v", got, err)
	}
	if got := indicatorsOf(t, db, "dy", "2026-11-23"); got != "" {
		t.Errorf("an old day has indicators %q, want none", got)
	}
	mustImport(t, db, KindScores, "shop,date,overall,product,logistics,service,揽收时长\ndy,2026-11-24,70,71,68,71,30\n", 1)
	if got := indicatorsOf(t, db, "dy", "2026-11-24"); got != "pickup_hours=30" {
		t.Errorf("indicators = %q", got)
	}
}
