package storage

import (
	"testing"
	"time"
)

func TestShipBy(t *testing.T) {
	ny := mustLocation("America/New_York")
	sh := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, shanghai)
	}
	given := sh(2026, 12, 3, 18, 0, 0)
	tests := []struct {
		name    string
		promise Promise
		loc     *time.Location
		paid    time.Time
		given   time.Time
		want    time.Time
		// endOfDay: the local clock of the deadline must read 23:59:59.
		endOfDay bool
	}{
		{"same_day paid 15:59", PromiseSameDay, shanghai, sh(2026, 11, 24, 15, 59, 0), time.Time{}, sh(2026, 11, 24, 23, 59, 59), true},
		{"same_day paid 15:59:59", PromiseSameDay, shanghai, sh(2026, 11, 24, 15, 59, 59), time.Time{}, sh(2026, 11, 24, 23, 59, 59), true},
		{"same_day paid 16:00", PromiseSameDay, shanghai, sh(2026, 11, 24, 16, 0, 0), time.Time{}, sh(2026, 11, 25, 23, 59, 59), true},
		{"same_day paid 23:30", PromiseSameDay, shanghai, sh(2026, 11, 24, 23, 30, 0), time.Time{}, sh(2026, 11, 25, 23, 59, 59), true},
		// 08:30 UTC is 16:30 in Shanghai: the cutoff is the local hour.
		{"same_day cutoff is local", PromiseSameDay, shanghai, time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC), time.Time{}, sh(2026, 11, 25, 23, 59, 59), true},
		// 23:00 UTC on the 23rd is 07:00 on the 24th in Shanghai.
		{"same_day local day", PromiseSameDay, shanghai, time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC), time.Time{}, sh(2026, 11, 24, 23, 59, 59), true},
		{"next_day", PromiseNextDay, shanghai, sh(2026, 11, 24, 10, 0, 0), time.Time{}, sh(2026, 11, 25, 23, 59, 59), true},
		{"next_day paid just before midnight", PromiseNextDay, shanghai, sh(2026, 11, 24, 23, 59, 0), time.Time{}, sh(2026, 11, 25, 23, 59, 59), true},
		{"next_day across month end", PromiseNextDay, shanghai, sh(2026, 11, 30, 9, 0, 0), time.Time{}, sh(2026, 12, 1, 23, 59, 59), true},
		{"48h", Promise48h, shanghai, sh(2026, 11, 24, 10, 17, 5), time.Time{}, sh(2026, 11, 26, 10, 17, 5), false},
		{"empty promise is 48h", Promise(""), shanghai, sh(2026, 11, 24, 10, 0, 0), time.Time{}, sh(2026, 11, 26, 10, 0, 0), false},
		{"custom", PromiseCustom, shanghai, sh(2026, 11, 24, 10, 0, 0), given, given, false},
		{"presale", PromisePresale, shanghai, sh(2026, 11, 24, 10, 0, 0), given, given, false},

		// New York leaves daylight saving on 2026-11-01 at 02:00 EDT: that
		// day has 25 hours, and end of day must still be 23:59:59 EST.
		{"NY next_day across DST end", PromiseNextDay, ny, time.Date(2026, 10, 31, 20, 0, 0, 0, ny),
			time.Time{}, time.Date(2026, 11, 2, 4, 59, 59, 0, time.UTC), true},
		{"NY same_day on DST-end day", PromiseSameDay, ny, time.Date(2026, 11, 1, 0, 30, 0, 0, ny),
			time.Time{}, time.Date(2026, 11, 2, 4, 59, 59, 0, time.UTC), true},
		{"NY same_day after cutoff on DST-end day", PromiseSameDay, ny, time.Date(2026, 11, 1, 16, 0, 0, 0, ny),
			time.Time{}, time.Date(2026, 11, 3, 4, 59, 59, 0, time.UTC), true},
		// 48h is 48 elapsed hours, so the local clock moves back one hour.
		{"NY 48h across DST end", Promise48h, ny, time.Date(2026, 10, 31, 12, 0, 0, 0, ny),
			time.Time{}, time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ShipBy(tt.promise, tt.paid, tt.loc, tt.given)
			if !got.Equal(tt.want) {
				t.Errorf("ShipBy = %v, want %v", got.In(tt.loc), tt.want.In(tt.loc))
			}
			if tt.endOfDay {
				if clock := got.In(tt.loc).Format("15:04:05"); clock != "23:59:59" {
					t.Errorf("local clock of the deadline = %s, want 23:59:59", clock)
				}
			}
		})
	}
}

func TestParsePromise(t *testing.T) {
	tests := []struct {
		in      string
		want    Promise
		wantErr bool
	}{
		{"", Promise48h, false},
		{"same_day", PromiseSameDay, false},
		{"next_day", PromiseNextDay, false},
		{"48h", Promise48h, false},
		{"custom", PromiseCustom, false},
		{"presale", PromisePresale, false},
		{"3d", "", true},
		{"SAME_DAY", "", true},
		{"当日发货", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePromise(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParsePromise(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParsePromise(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPromiseNeedsShipBy(t *testing.T) {
	for p, want := range map[Promise]bool{PromiseSameDay: false, PromiseNextDay: false, Promise48h: false, PromiseCustom: true, PromisePresale: true} {
		if got := p.NeedsShipBy(); got != want {
			t.Errorf("%s.NeedsShipBy() = %v, want %v", p, got, want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"129.9", 12990, false},
		{"¥1,299.00", 129900, false},
		{"￥88", 8800, false},
		{"0.5", 50, false},
		{".05", 5, false},
		{"0", 0, false},
		{"19.99", 1999, false},
		{"-1", 0, true},
		{"1.234", 0, true},
		{"abc", 0, true},
		{"", 0, true},
		{".", 0, true},
		{"1.2.3", 0, true},
		{"+5", 0, true},
		{"1e3", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseAmount(%q) = %d, %v; wantErr %v", tt.in, got, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseAmount(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
